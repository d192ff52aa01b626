import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCategory, saveCommunity } from './admin';
import type { Database } from './db';
import { categories } from './db/schema';
import { openTestDatabase } from './db/testing';
import { listCommunities, listPublicCategories } from './jurisdiction';
import { cachedReference, clearReferenceCache, REFERENCE_TTL_MS } from './reference-cache';
import { reportFormCategories } from './reports/public';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database?.close();
});

describe('reference data cache', () => {
	it('shows an admin change to a category at once on the report form and the API', async () => {
		const { db } = database;
		expect((await listPublicCategories(db)).map((c) => c.code)).not.toContain('bench-new');
		expect((await reportFormCategories(db)).map((c) => c.code)).not.toContain('bench-new');
		await saveCategory(db, null, {
			code: 'bench-new',
			name: '新类别',
			nameEn: 'New category',
			group: 'cleaning',
			deadlineHours: 48,
			urgentDeadlineHours: 4,
			urgent: false,
			indoor: false,
			duplicateRadiusM: 50,
			active: true
		});
		expect((await listPublicCategories(db)).map((c) => c.code)).toContain('bench-new');
		expect((await reportFormCategories(db)).map((c) => c.code)).toContain('bench-new');
	});

	it('shows an admin change to a community at once', async () => {
		const { db } = database;
		const before = await listCommunities(db);
		await saveCommunity(db, before[0].id, {
			code: before[0].code,
			name: '改名社区',
			nameEn: '',
			boundary: null,
			active: true
		});
		expect((await listCommunities(db)).find((c) => c.id === before[0].id)?.name).toBe('改名社区');
	});

	it('answers from memory within the time to live, and reads again after it', async () => {
		const { db } = database;
		const read = () => cachedReference(db, 'spec-count', () => db.select().from(categories), 0);
		const first = await read();
		// A change behind the cache's back (another server) is not seen yet…
		await db.update(categories).set({ active: false }).where(eq(categories.code, first[0].code));
		expect(await read()).toBe(first);
		// …and is seen once the entry is older than the time to live.
		const later = await cachedReference(
			db,
			'spec-count',
			() => db.select().from(categories),
			REFERENCE_TTL_MS
		);
		expect(later).not.toBe(first);
		expect(later.find((c) => c.code === first[0].code)?.active).toBe(false);
	});

	it('does not keep a failed read, and keeps databases apart', async () => {
		const { db } = database;
		clearReferenceCache();
		await expect(
			cachedReference(db, 'spec-fail', () => Promise.reject(new Error('database down')))
		).rejects.toThrow('database down');
		expect(await cachedReference(db, 'spec-fail', async () => 'back')).toBe('back');
		const other = {} as typeof db;
		expect(await cachedReference(other, 'spec-fail', async () => 'other')).toBe('other');
	});
});
