import { ApiError } from '../api/errors';
import { once, payloadHash, type StoredResponse as ApiStoredResponse } from '../api/idempotency';
import type { Db } from '../db';
import { DutyError } from './errors';

export type StoredResponse = Omit<ApiStoredResponse<unknown>, 'replayed'>;

/**
 * Runs `work` once per (user, key) with the shared idempotency store (`api/idempotency.ts`). A
 * replay with another scope or payload gets 422. Refusals (DutyError) are stored and replayed like
 * successes, so a retried request always gets the first answer.
 */
export async function idempotent(
	db: Db,
	input: { key: string; userId: string; scope: string; payload: unknown },
	work: (tx: Db) => Promise<StoredResponse>
): Promise<StoredResponse> {
	try {
		const stored = await once(
			db,
			{
				scope: `duty:${input.userId}`,
				key: input.key,
				requestHash: payloadHash({ scope: input.scope, payload: input.payload ?? null })
			},
			async (tx) => {
				try {
					return await tx.transaction((inner) => work(inner));
				} catch (error) {
					if (!(error instanceof DutyError)) throw error;
					return {
						status: error.status,
						body: { error: { code: error.code, fields: error.fields } }
					};
				}
			}
		);
		return { status: stored.status, body: stored.body };
	} catch (error) {
		// The shared store speaks ApiError; the duty area speaks DutyError.
		if (error instanceof ApiError) throw new DutyError(error.code, error.status);
		throw error;
	}
}
