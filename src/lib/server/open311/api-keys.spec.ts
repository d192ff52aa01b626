import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { apiKeys, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import * as v from 'valibot';
import {
	API_KEY_PREFIX,
	apiKeyNameSchema,
	apiKeyLimit,
	checkApiKey,
	createApiKey,
	hashApiKey,
	listApiKeys,
	revokeApiKey
} from './api-keys';

let database: Database;
let adminId: string;
beforeAll(async () => {
	database = await openTestDatabase();
	[{ id: adminId }] = await database.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.role, 'admin'));
});
afterAll(() => database.close());

describe('API keys', () => {
	it('takes a name of 1 to 100 printable characters', () => {
		const ok = (name: unknown) => v.safeParse(apiKeyNameSchema, { name }).success;
		expect(ok('FixMyStreet 合作方')).toBe(true);
		expect(ok('  ')).toBe(false);
		expect(ok('x'.repeat(101))).toBe(false);
		expect(ok('a\u0000b')).toBe(false);
		expect(ok(3)).toBe(false);
	});

	it('stores only the hash of a new key and accepts the key itself', async () => {
		const made = await createApiKey(database.db, { name: 'FixMyStreet', createdBy: adminId });
		expect(made.key.startsWith(API_KEY_PREFIX)).toBe(true);
		expect(made.key.length).toBeGreaterThan(30);
		const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, made.id));
		expect(row.keyHash).toBe(hashApiKey(made.key));
		expect(JSON.stringify(row)).not.toContain(made.key);
		expect(made.key.startsWith(row.prefix)).toBe(true);

		const check = await checkApiKey(database.db, made.key);
		expect(check).toEqual({ ok: true, id: made.id, name: 'FixMyStreet' });
		const [listed] = (await listApiKeys(database.db)).filter((k) => k.id === made.id);
		expect(listed.lastUsedAt).toBeInstanceOf(Date);
		expect(listed.createdByName).toBeTruthy();
	});

	it('tells a missing key from a wrong one', async () => {
		expect(await checkApiKey(database.db, undefined)).toEqual({ ok: false, reason: 'missing' });
		expect(await checkApiKey(database.db, '  ')).toEqual({ ok: false, reason: 'missing' });
		expect(await checkApiKey(database.db, `${API_KEY_PREFIX}nope`)).toEqual({
			ok: false,
			reason: 'invalid'
		});
		const made = await createApiKey(database.db, { name: 'x', createdBy: null });
		expect(await checkApiKey(database.db, made.key.slice(0, -1))).toEqual({
			ok: false,
			reason: 'invalid'
		});
	});

	it('refuses a revoked key, and revoking again keeps the first time', async () => {
		const made = await createApiKey(database.db, { name: 'old app', createdBy: adminId });
		const first = await revokeApiKey(database.db, made.id);
		expect(first?.revokedAt).toBeInstanceOf(Date);
		expect(await checkApiKey(database.db, made.key)).toEqual({ ok: false, reason: 'invalid' });
		const again = await revokeApiKey(database.db, made.id);
		expect(again?.revokedAt.getTime()).toBe(first!.revokedAt.getTime());
		expect(await revokeApiKey(database.db, '00000000-0000-4000-8000-000000000000')).toBeNull();
	});

	it('rate-limits each key on its own', async () => {
		const busy = await createApiKey(database.db, { name: 'busy', createdBy: null });
		const calm = await createApiKey(database.db, { name: 'calm', createdBy: null });
		for (let i = 0; i < apiKeyLimit.limit; i++) {
			expect((await checkApiKey(database.db, busy.key)).ok).toBe(true);
		}
		const limited = await checkApiKey(database.db, busy.key);
		expect(limited).toMatchObject({ ok: false, reason: 'rate_limited' });
		expect(
			limited.ok === false && limited.reason === 'rate_limited' && limited.retryAfterSeconds
		).toBeGreaterThan(0);
		expect((await checkApiKey(database.db, calm.key)).ok).toBe(true);
	});
});
