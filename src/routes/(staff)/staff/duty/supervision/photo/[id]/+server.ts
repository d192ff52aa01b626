import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyEndpoint, uuidParam } from '$lib/server/duty/api';
import { DutyError } from '$lib/server/duty/errors';
import { spotCheckPhoto } from '$lib/server/duty/spot-check-input';

/** A spot check's photo, for those who supervise; kept out of shared caches. */
export const GET = dutyEndpoint(async (event) => {
	requireApi(event, 'duty.supervise');
	const photo = await spotCheckPhoto(await getDb(), uuidParam(event.params.id));
	if (!photo) throw new DutyError('not_found', 404);
	return new Response(new Uint8Array(photo), {
		headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=3600' }
	});
});
