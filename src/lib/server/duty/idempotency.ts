import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { dutyIdempotencyKeys } from '../db/schema';
import { DutyError } from './errors';

export interface StoredResponse {
	status: number;
	body: unknown;
}

const keyPattern = /^[A-Za-z0-9_-]{8,100}$/;

/** The Idempotency-Key header, or a 400 when it is missing or malformed. */
export function idempotencyKey(headers: Headers): string {
	const key = headers.get('idempotency-key')?.trim();
	if (!key || !keyPattern.test(key)) throw new DutyError('idempotency_key_required', 400);
	return key;
}

function hashRequest(scope: string, payload: unknown): string {
	return createHash('sha256')
		.update(scope)
		.update('\n')
		.update(JSON.stringify(payload ?? null))
		.digest('hex');
}

/**
 * Runs `work` once per (user, key). The key row is written in the same transaction as the work,
 * so a concurrent retry waits for the first to commit and then replays its answer. A replay with
 * another scope or payload gets 422. Refusals (DutyError) are stored and replayed like successes.
 */
export async function idempotent(
	db: Db,
	input: { key: string; userId: string; scope: string; payload: unknown },
	work: (tx: Db) => Promise<StoredResponse>
): Promise<StoredResponse> {
	const requestHash = hashRequest(input.scope, input.payload);
	return db.transaction(async (tx) => {
		const inserted = await tx
			.insert(dutyIdempotencyKeys)
			.values({
				key: input.key,
				userId: input.userId,
				scope: input.scope,
				requestHash,
				status: 0,
				body: ''
			})
			.onConflictDoNothing()
			.returning({ key: dutyIdempotencyKeys.key });
		const where = and(
			eq(dutyIdempotencyKeys.userId, input.userId),
			eq(dutyIdempotencyKeys.key, input.key)
		);
		if (!inserted.length) {
			const [stored] = await tx.select().from(dutyIdempotencyKeys).where(where);
			if (!stored || stored.requestHash !== requestHash)
				throw new DutyError('idempotency_key_mismatch', 422);
			if (stored.status === 0) throw new DutyError('idempotency_in_progress', 409);
			return { status: stored.status, body: JSON.parse(stored.body) };
		}
		let response: StoredResponse;
		try {
			response = await tx.transaction((inner) => work(inner));
		} catch (error) {
			if (!(error instanceof DutyError)) throw error;
			response = {
				status: error.status,
				body: { error: { code: error.code, fields: error.fields } }
			};
		}
		await tx
			.update(dutyIdempotencyKeys)
			.set({ status: response.status, body: JSON.stringify(response.body) })
			.where(where);
		return response;
	});
}
