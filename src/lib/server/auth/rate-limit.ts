import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { rateLimits } from '../db/schema';

export interface RateLimitRule {
	/** Most hits allowed in one window. */
	limit: number;
	windowSeconds: number;
}

export interface RateLimitResult {
	allowed: boolean;
	count: number;
	retryAfterSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window kept in the database, so every app server shares
 * it. One atomic upsert: no read-then-write race between servers.
 */
export async function hit(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitResult> {
	const [row] = await db
		.insert(rateLimits)
		.values({ key, count: 1, windowStart: sql`now()` })
		.onConflictDoUpdate({ target: rateLimits.key, set: oneMoreHit(rule.windowSeconds) })
		.returning({
			count: rateLimits.count,
			retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${rule.windowSeconds}) - now()))))::int`
		});
	return {
		allowed: row.count <= rule.limit,
		count: row.count,
		retryAfterSeconds: Number(row.retryAfter)
	};
}

/** The counter after one more hit: a window that has passed starts again at one. */
export function oneMoreHit(windowSeconds: number) {
	const passed = sql`${rateLimits.windowStart} <= now() - make_interval(secs => ${windowSeconds})`;
	return {
		count: sql`case when ${passed} then 1 else ${rateLimits.count} + 1 end`,
		windowStart: sql`case when ${passed} then now() else ${rateLimits.windowStart} end`
	};
}

/** Reads the current count without adding to it. */
export async function peek(db: Db, key: string, rule: RateLimitRule): Promise<RateLimitResult> {
	const rows = await db
		.select({
			count: rateLimits.count,
			retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${rule.windowSeconds}) - now()))))::int`,
			current: sql<boolean>`${rateLimits.windowStart} > now() - make_interval(secs => ${rule.windowSeconds})`
		})
		.from(rateLimits)
		.where(sql`${rateLimits.key} = ${key}`);
	const row = rows[0];
	if (!row || !row.current) return { allowed: true, count: 0, retryAfterSeconds: 0 };
	return {
		allowed: row.count < rule.limit,
		count: row.count,
		retryAfterSeconds: Number(row.retryAfter)
	};
}

export async function reset(db: Db, key: string): Promise<void> {
	await db.delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
}
