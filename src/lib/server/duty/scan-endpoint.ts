import type { RequestEvent } from '@sveltejs/kit';
import type * as v from 'valibot';
import { checkInSchema } from '$lib/domain/duty-validation';
import { parseInput } from '$lib/domain/validation';
import { ApiError, readJsonBody } from '../api/errors';
import { idempotencyKeyOf } from '../api/idempotency';
import { requireApi } from '../auth/permissions';
import { getDb, type Db } from '../db';
import { dutyEndpoint, storedResponse } from './api';
import { checkIn, checkOut } from './checkin';
import { idempotent, type StoredResponse } from './idempotency';

type ScanBody = v.InferOutput<typeof checkInSchema>;

/**
 * A volunteer's scan. With an Idempotency-Key (the phone's offline queue sends one) a resent scan
 * gets the first answer: a check-out whose answer was lost would otherwise be refused as "not
 * checked in" when sent again.
 */
export async function takeScan(
	db: Db,
	scan: {
		kind: 'in' | 'out';
		volunteerId: string;
		body: ScanBody;
		key: string | null;
		now?: Date;
	}
): Promise<StoredResponse> {
	const { deviceAt, ...rest } = scan.body;
	const input = {
		volunteerId: scan.volunteerId,
		...rest,
		deviceAt: deviceAt ? new Date(deviceAt) : undefined,
		now: scan.now
	};
	const run = async (tx: Db) => ({
		status: 200,
		body: scan.kind === 'in' ? await checkIn(tx, input) : await checkOut(tx, input)
	});
	if (!scan.key) return run(db);
	return idempotent(
		db,
		{ key: scan.key, userId: scan.volunteerId, scope: `scan:${scan.kind}`, payload: scan.body },
		run
	);
}

/** POST /api/v1/checkins and /checkouts: the body is {code, deviceAt?, lat?, lng?}. */
export function scanEndpoint(kind: 'in' | 'out') {
	return dutyEndpoint(async (event: RequestEvent) => {
		const user = requireApi(event, 'duty.book');
		const key = event.request.headers.has('idempotency-key')
			? idempotencyKeyOf(event.request)
			: null;
		const parsed = parseInput(checkInSchema, await readJsonBody(event.request));
		if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
		const stored = await takeScan(await getDb(), {
			kind,
			volunteerId: user.id,
			body: parsed.value,
			key
		});
		return storedResponse(stored);
	});
}
