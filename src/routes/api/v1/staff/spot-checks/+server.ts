import { json } from '@sveltejs/kit';
import { readMultipartBody } from '$lib/server/api/errors';
import { idempotencyKeyOf } from '$lib/server/api/idempotency';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyEndpoint, storedResponse } from '$lib/server/duty/api';
import { submitSpotCheck } from '$lib/server/duty/spot-check-input';

/**
 * A supervisor's check (multipart: booking or assignment, result, note?, checkedAt?, photo?)
 * with an Idempotency-Key: live, or replayed from the phone's offline outbox.
 */
export const POST = dutyEndpoint(async (event) => {
	const user = requireApi(event, 'duty.supervise');
	const key = idempotencyKeyOf(event.request);
	const form = await readMultipartBody(event.request);
	const stored = await submitSpotCheck(await getDb(), {
		key,
		checkedBy: user.id,
		fields: form.fields(),
		photo: form.files('photo')[0]
	});
	return stored.status === 201 ? json(stored.body, { status: 201 }) : storedResponse(stored);
});
