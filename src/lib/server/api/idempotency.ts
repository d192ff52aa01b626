import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { idempotencyKeys } from '../db/schema';
import { ApiError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the Idempotency-Key header: a UUID made when the user acted. Missing or malformed: 400. */
export function idempotencyKeyOf(request: Request): string {
	const key = request.headers.get('idempotency-key')?.trim();
	if (!key || !UUID.test(key)) throw new ApiError(400, 'idempotency_key_required');
	return key.toLowerCase();
}

/** A stable hash of a payload: object keys sorted, binary parts by their bytes. */
export function payloadHash(parts: unknown): string {
	const normalise = (value: unknown): unknown => {
		if (value instanceof Uint8Array)
			return `bytes:${createHash('sha256').update(value).digest('hex')}`;
		if (Array.isArray(value)) return value.map(normalise);
		if (value && typeof value === 'object') {
			return Object.fromEntries(
				Object.keys(value)
					.sort()
					.map((k) => [k, normalise((value as Record<string, unknown>)[k])])
			);
		}
		return value;
	};
	return createHash('sha256')
		.update(JSON.stringify(normalise(parts)))
		.digest('hex');
}

export interface StoredResponse<T> {
	status: number;
	body: T;
	/** True when this is a replay of an earlier request. */
	replayed: boolean;
}

/**
 * Runs a create at most once per (scope, key). The key row is inserted in the same transaction as
 * the create, so a concurrent request with the same key waits on the unique index until the first
 * commits, then reads its response; if the first fails, the key is free again.
 */
export async function once<T>(
	db: Db,
	input: { scope: string; key: string; requestHash: string },
	create: (tx: Db) => Promise<{ status: number; body: T }>
): Promise<StoredResponse<T>> {
	return db.transaction(async (tx) => {
		const claimed = await tx
			.insert(idempotencyKeys)
			.values({ ...input, status: 0, body: {} })
			.onConflictDoNothing()
			.returning({ key: idempotencyKeys.key });
		const where = and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key));
		if (claimed.length === 0) {
			const [stored] = await tx.select().from(idempotencyKeys).where(where);
			if (stored.requestHash !== input.requestHash)
				throw new ApiError(422, 'idempotency_key_mismatch');
			return { status: stored.status, body: stored.body as T, replayed: true };
		}
		const result = await create(tx);
		await tx
			.update(idempotencyKeys)
			.set({ status: result.status, body: result.body as object })
			.where(where);
		return { ...result, replayed: false };
	});
}
