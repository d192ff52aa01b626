import { json } from '@sveltejs/kit';
import { formObject } from '$lib/domain/validation';
import { ApiError } from '$lib/server/api/errors';
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
	const type = event.request.headers.get('content-type') ?? '';
	if (!type.startsWith('multipart/form-data')) throw new ApiError(415, 'unsupported_media_type');
	const key = idempotencyKeyOf(event.request);
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		throw new ApiError(400, 'invalid_input');
	}
	const photo = form.get('photo');
	const stored = await submitSpotCheck(await getDb(), {
		key,
		checkedBy: user.id,
		fields: formObject(form),
		photo:
			photo instanceof File && photo.size > 0
				? new Uint8Array(await photo.arrayBuffer())
				: undefined
	});
	return stored.status === 201 ? json(stored.body, { status: 201 }) : storedResponse(stored);
});
