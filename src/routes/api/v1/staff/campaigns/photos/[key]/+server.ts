import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireCampaignApi } from '$lib/server/shops/api';
import { readInspectionPhoto } from '$lib/server/shops/photo';

export const GET = endpoint(async (event) => {
	await requireCampaignApi(event);
	const bytes = await readInspectionPhoto(event.params.key ?? '');
	if (!bytes) throw new ApiError(404, 'not_found');
	return new Response(new Uint8Array(bytes), {
		headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=86400' }
	});
});
