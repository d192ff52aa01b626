import { bookingBodySchema } from '$lib/domain/duty-validation';
import { parseInput } from '$lib/domain/validation';
import { ApiError, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyEndpoint, storedResponse, uuidParam } from '$lib/server/duty/api';
import { bookShift } from '$lib/server/duty/booking';
import { idempotencyKeyOf } from '$lib/server/api/idempotency';
import { idempotent } from '$lib/server/duty/idempotency';

function emptyOk(request: Request) {
	return async (error: unknown) => {
		if ((await request.text()) === '') return {};
		throw error;
	};
}

export const POST = dutyEndpoint(async (event) => {
	const user = requireApi(event, 'duty.book');
	const shiftId = uuidParam(event.params.id);
	const key = idempotencyKeyOf(event.request);
	// The body is optional: an empty one books with the defaults.
	const raw = event.request.body
		? await readJsonBody(event.request.clone()).catch(emptyOk(event.request))
		: {};
	const parsed = parseInput(bookingBodySchema, raw);
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const db = await getDb();
	const stored = await idempotent(
		db,
		{ key, userId: user.id, scope: `book:${shiftId}`, payload: parsed.value },
		async (tx) => ({
			status: 201,
			body: await bookShift(tx, { shiftId, volunteerId: user.id, ...parsed.value })
		})
	);
	return storedResponse(stored);
});
