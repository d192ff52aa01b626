import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import { idempotencyKeyOf, once, payloadHash } from './idempotency';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase({ seed: false });
	await database.db.execute(sql`create table probe_creates (id serial primary key, label text)`);
});
afterAll(() => database.close());

const createProbe = (label: string) => async (tx: Database['db']) => {
	const rows = await tx.execute(
		sql`insert into probe_creates (label) values (${label}) returning id`
	);
	const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
	return { status: 201, body: { id: (list[0] as { id: number }).id, label } };
};
const count = async (label: string) => {
	const rows = await database.db.execute(
		sql`select count(*)::int as n from probe_creates where label = ${label}`
	);
	const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
	return (list[0] as { n: number }).n;
};

describe('once', () => {
	it('runs a create once for 20 concurrent requests with the same key, and answers all alike', async () => {
		const key = crypto.randomUUID();
		const results = await Promise.all(
			Array.from({ length: 20 }, () =>
				once(database.db, { scope: 'probe', key, requestHash: 'h1' }, createProbe('concurrent'))
			)
		);
		expect(await count('concurrent')).toBe(1);
		expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
		expect(results.filter((r) => !r.replayed)).toHaveLength(1);
		expect(results.every((r) => r.status === 201)).toBe(true);
	});

	it('refuses the same key with another payload with 422', async () => {
		const key = crypto.randomUUID();
		await once(database.db, { scope: 'probe', key, requestHash: 'a' }, createProbe('mismatch'));
		await expect(
			once(database.db, { scope: 'probe', key, requestHash: 'b' }, createProbe('mismatch'))
		).rejects.toMatchObject({ status: 422 });
		expect(await count('mismatch')).toBe(1);
	});

	it('frees the key when the create fails', async () => {
		const key = crypto.randomUUID();
		await expect(
			once(database.db, { scope: 'probe', key, requestHash: 'x' }, async () => {
				throw new Error('storage failed');
			})
		).rejects.toThrow('storage failed');
		const retry = await once(
			database.db,
			{ scope: 'probe', key, requestHash: 'x' },
			createProbe('retry')
		);
		expect(retry.replayed).toBe(false);
		expect(await count('retry')).toBe(1);
	});

	it('keeps scopes apart', async () => {
		const key = crypto.randomUUID();
		await once(database.db, { scope: 'one', key, requestHash: 'x' }, createProbe('scoped'));
		await once(database.db, { scope: 'two', key, requestHash: 'y' }, createProbe('scoped'));
		expect(await count('scoped')).toBe(2);
	});
});

describe('idempotencyKeyOf', () => {
	const request = (key?: string) =>
		new Request('http://x/', { method: 'POST', headers: key ? { 'Idempotency-Key': key } : {} });
	it('accepts a UUID', () => {
		const key = crypto.randomUUID();
		expect(idempotencyKeyOf(request(key.toUpperCase()))).toBe(key);
	});
	it.each([undefined, '', 'not-a-uuid', '123'])('refuses %s with 400', (key) => {
		expect(() => idempotencyKeyOf(request(key))).toThrow(expect.objectContaining({ status: 400 }));
	});
});

describe('payloadHash', () => {
	it('ignores key order and tells different bytes apart', () => {
		expect(payloadHash({ a: 1, b: [1, 2] })).toBe(payloadHash({ b: [1, 2], a: 1 }));
		expect(payloadHash({ photo: new Uint8Array([1, 2]) })).not.toBe(
			payloadHash({ photo: new Uint8Array([1, 3]) })
		);
	});
});
