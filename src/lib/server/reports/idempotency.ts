import { and, eq, lt } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Db } from '../db';
import { idempotencyKeys } from '../db/schema';

/*
 * Idempotent creates (API.md): the first response per key is kept; a replay with the same payload
 * gets it again, a different payload gets 422, and a missing key 400. Concurrent requests with one
 * key meet on the primary key inside the transaction: the second waits for the first to commit,
 * then finds the row and replays it.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type IdempotencyProblem = 'idempotency_key_required' | 'idempotency_key_invalid';

export function checkIdempotencyKey(key: string | null | undefined): IdempotencyProblem | null {
	if (!key) return 'idempotency_key_required';
	return uuidPattern.test(key) ? null : 'idempotency_key_invalid';
}

/** A stable hash of a request: its fields (key order does not matter) and its files' bytes. */
export function requestHash(parts: Record<string, unknown>, files: Uint8Array[] = []): string {
	const hash = createHash('sha256');
	const canonical = (value: unknown): unknown =>
		value && typeof value === 'object' && !Array.isArray(value)
			? Object.fromEntries(
					Object.keys(value as object)
						.sort()
						.map((k) => [k, canonical((value as Record<string, unknown>)[k])])
				)
			: value;
	hash.update(JSON.stringify(canonical(parts)));
	for (const file of files) hash.update(createHash('sha256').update(file).digest());
	return hash.digest('hex');
}

export interface StoredResponse<T> {
	status: number;
	body: T;
}

export type IdempotentOutcome<T> =
	| ({ kind: 'created' } & StoredResponse<T>)
	| ({ kind: 'replayed' } & StoredResponse<T>)
	| { kind: 'mismatch' };

class KeyTaken extends Error {}

async function find(db: Db, scope: string, key: string) {
	const [row] = await db
		.select()
		.from(idempotencyKeys)
		.where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
	return row;
}

/** The response already given for this key, if any (a cheap check before slow work). */
export async function earlierResponse<T>(
	db: Db,
	scope: string,
	key: string,
	hash: string
): Promise<IdempotentOutcome<T> | null> {
	const row = await find(db, scope, key);
	if (!row) return null;
	if (row.requestHash !== hash) return { kind: 'mismatch' };
	return { kind: 'replayed', status: row.responseStatus, body: row.responseBody as T };
}

/**
 * Runs `create` in a transaction that first claims the key. Errors thrown by `create` roll the
 * claim back too, so a failed request can be retried with the same key.
 */
export async function runIdempotent<T extends Record<string, unknown>>(
	db: Db,
	scope: string,
	key: string,
	hash: string,
	create: (tx: Db) => Promise<StoredResponse<T>>
): Promise<IdempotentOutcome<T>> {
	try {
		return await db.transaction(async (tx) => {
			const claimed = await tx
				.insert(idempotencyKeys)
				.values({ scope, key, requestHash: hash, responseStatus: 0, responseBody: {} })
				.onConflictDoNothing()
				.returning({ key: idempotencyKeys.key });
			if (claimed.length === 0) throw new KeyTaken();
			const response = await create(tx);
			await tx
				.update(idempotencyKeys)
				.set({ responseStatus: response.status, responseBody: response.body })
				.where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
			return { kind: 'created' as const, ...response };
		});
	} catch (error) {
		if (!(error instanceof KeyTaken)) throw error;
		const outcome = await earlierResponse<T>(db, scope, key, hash);
		// The row was there a moment ago; it cannot vanish before the sweep (a day later).
		return outcome ?? { kind: 'mismatch' };
	}
}

/** Drops keys older than a day: long past any phone's retries. */
export async function sweepIdempotencyKeys(db: Db, olderThan = new Date(Date.now() - 86_400_000)) {
	await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, olderThan));
}
