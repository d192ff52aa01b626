import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { photoStore } from '$lib/server/reports/photos';
import { requireCampaignApi } from '$lib/server/shops/api';
import { inspectionPhotoKey } from '$lib/server/shops/campaigns';
import { uuidPattern } from '$lib/server/shops/form';

/** An inspection's photo (by the inspection's id), from the shared photo store. */
export const GET = endpoint(async (event) => {
	await requireCampaignApi(event);
	const id = event.params.id ?? '';
	const key = uuidPattern.test(id) ? await inspectionPhotoKey(await getDb(), id) : null;
	const bytes = key ? await photoStore().get(key) : null;
	if (!bytes) throw new ApiError(404, 'not_found');
	return new Response(new Uint8Array(bytes), {
		headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=86400' }
	});
});
