import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { sessions, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { DEMO_PASSWORD, demoAccounts } from '../seed/demo';
import { accountLoginLimit, changeOwnPassword, createUser, login, updateUser } from './accounts';
import { hashPassword, verifyPassword } from './password';
import { hit } from './rate-limit';
import {
	createSession,
	generateSessionToken,
	sessionIdFromToken,
	SESSION_LIFETIME_MS,
	validateSessionToken
} from './session';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

describe('passwords', () => {
	it('hashes with argon2id and verifies', async () => {
		const hashed = await hashPassword('correct horse');
		expect(hashed.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hashed, 'correct horse')).toBe(true);
		expect(await verifyPassword(hashed, 'wrong horse')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
	});
});

describe('sessions', () => {
	it('stores only the SHA-256 of a 160-bit token', async () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		const [user] = await database.db.select().from(users).where(eq(users.phone, '13800000001'));
		await createSession(database.db, token, user.id);
		const rows = await database.db.select().from(sessions).where(eq(sessions.userId, user.id));
		expect(rows.map((r) => r.id)).toContain(sessionIdFromToken(token));
		expect(rows.map((r) => r.id)).not.toContain(token);
		expect(sessionIdFromToken(token)).toMatch(/^[0-9a-f]{64}$/);
	});

	it('slides the expiry when less than half the lifetime is left, and drops expired sessions', async () => {
		const { db } = database;
		const [user] = await db.select().from(users).where(eq(users.phone, '13800000002'));
		const token = generateSessionToken();
		await createSession(db, token, user.id);
		const id = sessionIdFromToken(token);
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() + 60_000) })
			.where(eq(sessions.id, id));
		const renewed = await validateSessionToken(db, token);
		expect(renewed!.session.expiresAt.getTime()).toBeGreaterThan(
			Date.now() + SESSION_LIFETIME_MS - 60_000
		);
		await db
			.update(sessions)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(sessions.id, id));
		expect(await validateSessionToken(db, token)).toBeNull();
		expect(await db.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
	});

	it('ends every session when the password changes or the account is disabled', async () => {
		const { db } = database;
		const user = await createUser(db, {
			phone: '13900000001',
			password: 'first-password',
			name: '测试',
			role: 'resident'
		});
		const [a, b] = [generateSessionToken(), generateSessionToken()];
		await createSession(db, a, user.id);
		await createSession(db, b, user.id);
		expect(await changeOwnPassword(db, user.id, 'wrong', 'second-password')).toBe(false);
		expect(await validateSessionToken(db, a)).not.toBeNull();
		expect(await changeOwnPassword(db, user.id, 'first-password', 'second-password')).toBe(true);
		expect(await validateSessionToken(db, a)).toBeNull();
		expect(await validateSessionToken(db, b)).toBeNull();

		const c = generateSessionToken();
		await createSession(db, c, user.id);
		await updateUser(db, user.id, { disabled: true });
		expect(await validateSessionToken(db, c)).toBeNull();
		const result = await login(db, {
			phone: '13900000001',
			password: 'second-password',
			clientAddress: '10.0.0.9'
		});
		expect(result.ok).toBe(false);
	});
});

describe('login', () => {
	it('lets every demo account in with the demo password', async () => {
		for (const account of demoAccounts) {
			const result = await login(database.db, {
				phone: account.phone,
				password: DEMO_PASSWORD,
				clientAddress: '10.0.0.1'
			});
			expect(result.ok && result.user.role).toBe(account.role);
		}
	});

	it('answers 429 from the tenth wrong password in a row, even for the right one after', async () => {
		const { db } = database;
		await createUser(db, {
			phone: '13900000002',
			password: 'right-password',
			name: '测试',
			role: 'volunteer'
		});
		const attempt = (password: string) =>
			login(db, { phone: '13900000002', password, clientAddress: '10.0.0.2' });
		for (let i = 1; i < accountLoginLimit.limit; i++) {
			expect((await attempt('wrong')).ok ? 'ok' : 'fail').toBe('fail');
		}
		const tenth = await attempt('wrong');
		expect(tenth).toMatchObject({ ok: false, reason: 'rate_limited' });
		const after = await attempt('right-password');
		expect(after).toMatchObject({ ok: false, reason: 'rate_limited' });
		if (!after.ok && after.reason === 'rate_limited') {
			expect(after.retryAfterSeconds).toBeGreaterThan(0);
			expect(after.retryAfterSeconds).toBeLessThanOrEqual(accountLoginLimit.windowSeconds);
		}
	});

	it('limits per client across accounts', async () => {
		const { db } = database;
		for (let i = 0; i < 49; i++) {
			const r = await login(db, {
				phone: `1370000${String(i).padStart(4, '0')}`,
				password: 'x',
				clientAddress: '10.0.0.3'
			});
			expect(r).toMatchObject({ reason: 'invalid_credentials' });
		}
		const fiftieth = await login(db, {
			phone: '13700009999',
			password: 'x',
			clientAddress: '10.0.0.3'
		});
		expect(fiftieth).toMatchObject({ reason: 'rate_limited' });
		// Another client is unaffected.
		expect(
			await login(db, { phone: '13800000001', password: DEMO_PASSWORD, clientAddress: '10.0.0.4' })
		).toMatchObject({ ok: true });
	});
});

describe('rate limit counter', () => {
	it('counts atomically under concurrent hits', async () => {
		const rule = { limit: 5, windowSeconds: 60 };
		const results = await Promise.all(
			Array.from({ length: 20 }, () => hit(database.db, 'test:concurrent', rule))
		);
		expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
			Array.from({ length: 20 }, (_, i) => i + 1)
		);
		expect(results.filter((r) => r.allowed)).toHaveLength(5);
	});
	it('starts a new window after the old one ends', async () => {
		const rule = { limit: 1, windowSeconds: 1 };
		expect((await hit(database.db, 'test:window', rule)).allowed).toBe(true);
		expect((await hit(database.db, 'test:window', rule)).allowed).toBe(false);
		await new Promise((r) => setTimeout(r, 1100));
		expect((await hit(database.db, 'test:window', rule)).count).toBe(1);
	});
});
