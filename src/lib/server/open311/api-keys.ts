import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull } from 'drizzle-orm';
import * as v from 'valibot';
import type { Db } from '../db';
import { apiKeys, users } from '../db/schema';
import { hit, type RateLimitRule } from '../auth/rate-limit';

/*
 * Open311 API keys. The admin sees a key once, when it is made; the database keeps only its
 * SHA-256, as with session tokens. Each key has its own rate limit, shared by every app server.
 */

export const API_KEY_PREFIX = 'jx311_';
/** Per key: a busy partner app files a few reports a minute, not hundreds. */
export const apiKeyLimit: RateLimitRule = { limit: 60, windowSeconds: 60 };

export const apiKeyNameSchema = v.object({
	name: v.pipe(
		v.string('required'),
		v.trim(),
		v.minLength(1, 'required'),
		v.maxLength(100, 'name'),
		// eslint-disable-next-line no-control-regex
		v.regex(/^[^\u0000-\u001F\u007F]*$/, 'name')
	)
});

/** 160 random bits, base32, with a recognisable prefix (for secret scanners and people). */
export function generateApiKey(): string {
	return (
		API_KEY_PREFIX + encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)))
	);
}

export function hashApiKey(key: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(key)));
}

export async function createApiKey(
	db: Db,
	input: { name: string; createdBy: string | null }
): Promise<{ id: string; key: string; prefix: string }> {
	const key = generateApiKey();
	const prefix = key.slice(0, API_KEY_PREFIX.length + 4);
	const [row] = await db
		.insert(apiKeys)
		.values({ name: input.name, keyHash: hashApiKey(key), prefix, createdBy: input.createdBy })
		.returning({ id: apiKeys.id });
	return { id: row.id, key, prefix };
}

export interface ApiKeyInfo {
	id: string;
	name: string;
	prefix: string;
	createdAt: Date;
	createdByName: string | null;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
	return db
		.select({
			id: apiKeys.id,
			name: apiKeys.name,
			prefix: apiKeys.prefix,
			createdAt: apiKeys.createdAt,
			createdByName: users.name,
			lastUsedAt: apiKeys.lastUsedAt,
			revokedAt: apiKeys.revokedAt
		})
		.from(apiKeys)
		.leftJoin(users, eq(apiKeys.createdBy, users.id))
		.orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes a key; false if there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Db, id: string): Promise<{ revokedAt: Date } | null> {
	await db
		.update(apiKeys)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
	const [row] = await db
		.select({ revokedAt: apiKeys.revokedAt })
		.from(apiKeys)
		.where(eq(apiKeys.id, id));
	return row?.revokedAt ? { revokedAt: row.revokedAt } : null;
}

export type KeyCheck =
	| { ok: true; id: string; name: string }
	| { ok: false; reason: 'missing' | 'invalid' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/** Checks a presented key: it must exist and not be revoked; then counts one hit against it. */
export async function checkApiKey(db: Db, key: string | null | undefined): Promise<KeyCheck> {
	const presented = key?.trim();
	if (!presented) return { ok: false, reason: 'missing' };
	if (!presented.startsWith(API_KEY_PREFIX) || presented.length > 100)
		return { ok: false, reason: 'invalid' };
	const [row] = await db
		.select({ id: apiKeys.id, name: apiKeys.name })
		.from(apiKeys)
		.where(and(eq(apiKeys.keyHash, hashApiKey(presented)), isNull(apiKeys.revokedAt)));
	if (!row) return { ok: false, reason: 'invalid' };
	const limit = await hit(db, `open311:key:${row.id}`, apiKeyLimit);
	if (!limit.allowed)
		return { ok: false, reason: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
	await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
	return { ok: true, id: row.id, name: row.name };
}
