import { json, type RequestEvent } from '@sveltejs/kit';
import { checkInSchema } from '$lib/domain/duty-validation';
import { parseInput } from '$lib/domain/validation';
import { ApiError, readJsonBody } from '../api/errors';
import { requireApi } from '../auth/permissions';
import { getDb } from '../db';
import { dutyEndpoint } from './api';
import { checkIn, checkOut } from './checkin';

/** POST /api/v1/checkins and /checkouts: the body is {code, deviceAt?, lat?, lng?}. */
export function scanEndpoint(kind: 'in' | 'out') {
	return dutyEndpoint(async (event: RequestEvent) => {
		const user = requireApi(event, 'duty.book');
		const parsed = parseInput(checkInSchema, await readJsonBody(event.request));
		if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
		const { deviceAt, ...rest } = parsed.value;
		const input = {
			volunteerId: user.id,
			...rest,
			deviceAt: deviceAt ? new Date(deviceAt) : undefined
		};
		const db = await getDb();
		const result = kind === 'in' ? await checkIn(db, input) : await checkOut(db, input);
		return json(result);
	});
}
