import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { photoStore } from '$lib/server/reports/photos';
import { getCasePhoto } from '$lib/server/reports/queue';

/** A case photo, for staff in the case's scope only (public photos are served by intake). */
export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const photo = await getCasePhoto(await getDb(), user, event.params.id!, event.params.photoId!);
	const bytes = await photoStore().get(photo.storageKey);
	if (!bytes) throw new ApiError(404, 'not_found');
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': photo.contentType,
			'Cache-Control': 'private, max-age=3600',
			'X-Content-Type-Options': 'nosniff'
		}
	});
});
