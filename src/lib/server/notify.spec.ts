import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './db';
import { openTestDatabase } from './db/testing';
import { makeVolunteers } from './duty/testing';
import { notificationsToShow, notify } from './notify';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase({ seed: false });
});
afterAll(() => database?.close());

describe(`a person's notifications, a page at a time (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('pages newest first, says when older ones exist, and marks read only what a page showed', async () => {
		const { db } = database;
		const [person, other] = await makeVolunteers(db, 2);
		const start = Date.parse('2026-12-01T02:00:00Z');
		for (const [i, code] of ['A1', 'A2', 'A3', 'A4', 'A5'].entries())
			await notify(db, [
				{
					userId: person,
					kind: 'case_overdue',
					params: { code, stage: 'accepted' },
					link: `/staff/reports/${code}`,
					createdAt: new Date(start + i * 60_000)
				}
			]);
		await notify(db, [
			{
				userId: other,
				kind: 'case_overdue',
				params: { code: 'B1', stage: 'accepted' },
				link: '/staff/reports/B1'
			}
		]);
		const page = (number: number, shown = true) =>
			notificationsToShow(db, person, {
				locale: 'en',
				limit: 2,
				offset: (number - 1) * 2,
				shown
			});

		const first = await page(1);
		expect(first.more).toBe(true);
		expect(first.items.map((n) => n.title)).toEqual(['Case A5 is overdue', 'Case A4 is overdue']);
		expect(first.items.every((n) => n.unread)).toBe(true);
		// The page after it was not shown: still new.
		const second = await page(2);
		expect(second.items.map((n) => n.link)).toEqual(['/staff/reports/A3', '/staff/reports/A2']);
		expect(second.items.every((n) => n.unread)).toBe(true);
		expect(second.more).toBe(true);
		// Data loaded for a preload marks nothing.
		const preloaded = await page(3, false);
		expect(preloaded).toMatchObject({
			more: false,
			items: [{ link: '/staff/reports/A1', unread: true }]
		});
		expect((await page(3)).items[0].unread).toBe(true);
		expect((await page(3)).items[0].unread).toBe(false);
		expect((await page(1)).items.some((n) => n.unread)).toBe(false);
		// Past the end: nothing, and no more.
		expect(await page(4)).toEqual({ items: [], more: false });
		// Someone else's are not among them.
		expect((await page(1)).items.map((n) => n.link)).not.toContain('/staff/reports/B1');
	});
});
