import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDaySchema, deadlineSettingsSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import { categories } from '../db/schema';
import { deadlineHoursFor, dueAtFor } from './deadlines';
import {
	listCalendarDays,
	listDeadlineSettings,
	removeCalendarDay,
	saveCalendarDay,
	saveDeadlineSettings
} from './settings';

/* The admin's deadline rules, revisit days and holiday calendar, as the admin pages save them. */

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database?.close());

async function category(code: string) {
	const [row] = await database.db.select().from(categories).where(eq(categories.code, code));
	return row;
}

/** The form as posted: strings, empty for "as the default". */
function form(values: Record<string, string>) {
	const parsed = parseInput(deadlineSettingsSchema, values);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
	return parsed.value;
}

describe('deadline settings', () => {
	it('refuses hours that are not whole, positive and at most a year', () => {
		for (const bad of ['0', '-3', '1.5', 'abc', '8761', '1e3'])
			expect(parseInput(deadlineSettingsSchema, { normalAccept: bad })).toEqual({
				ok: false,
				fields: { normalAccept: 'number' }
			});
		expect(parseInput(deadlineSettingsSchema, { revisitDays: '366' })).toMatchObject({
			ok: false,
			fields: { revisitDays: 'number' }
		});
		expect(parseInput(deadlineSettingsSchema, { category: 'Not A Code' })).toMatchObject({
			ok: false,
			fields: { category: 'choice' }
		});
	});

	it('saves a default rule that every category without its own follows', async () => {
		const db = database.db;
		const ads = await category('small-ads');
		expect(await deadlineHoursFor(db, ads.id, 'normal')).toEqual({
			accept: 4,
			handle: 72,
			check: 8
		});
		expect(await saveDeadlineSettings(db, form({ normalAccept: '2', normalCheck: '6' }))).toBe(
			undefined
		);
		expect(await deadlineHoursFor(db, ads.id, 'normal')).toEqual({
			accept: 2,
			handle: 72,
			check: 6
		});
		// Urgent was left empty: built-in hours.
		expect(await deadlineHoursFor(db, ads.id, 'urgent')).toMatchObject({ accept: 1, check: 2 });
		const listed = await listDeadlineSettings(db);
		expect(listed.defaults.normal).toEqual({ accept: 2, check: 6 });
		expect(listed.defaults.urgent).toEqual({ accept: null, check: null });
	});

	it('saves a category’s own hours, handle hours and revisit days; empty hours fall back', async () => {
		const db = database.db;
		const ads = await category('small-ads');
		const saved = await saveDeadlineSettings(
			db,
			form({
				category: 'small-ads',
				normalAccept: '1',
				normalHandle: '24',
				normalCheck: '',
				urgentAccept: '',
				urgentHandle: '3',
				urgentCheck: '1',
				revisitDays: '7'
			})
		);
		expect(saved).toBe(undefined);
		// Check falls back to the default rule (6); handle comes from the category.
		expect(await deadlineHoursFor(db, ads.id, 'normal')).toEqual({
			accept: 1,
			handle: 24,
			check: 6
		});
		expect(await deadlineHoursFor(db, ads.id, 'urgent')).toEqual({
			accept: 1,
			handle: 3,
			check: 1
		});
		expect(await category('small-ads')).toMatchObject({
			deadlineHours: 24,
			urgentDeadlineHours: 3,
			revisitDays: 7
		});
		const row = (await listDeadlineSettings(db)).categories.find((c) => c.code === 'small-ads')!;
		expect(row).toMatchObject({
			revisitDays: 7,
			normal: { accept: 1, check: null, handle: 24 },
			urgent: { accept: null, check: 1, handle: 3 }
		});
		// Emptying the category's hours takes it back to the default rule.
		await saveDeadlineSettings(
			db,
			form({ category: 'small-ads', normalHandle: '24', urgentHandle: '3', revisitDays: '7' })
		);
		expect(await deadlineHoursFor(db, ads.id, 'normal')).toEqual({
			accept: 2,
			handle: 24,
			check: 6
		});
	});

	it('needs a category’s handle hours and revisit days, and a category that exists', async () => {
		const db = database.db;
		expect(
			await saveDeadlineSettings(db, form({ category: 'small-ads', normalAccept: '1' }))
		).toEqual({ normalHandle: 'required', urgentHandle: 'required', revisitDays: 'required' });
		expect(
			await saveDeadlineSettings(
				db,
				form({ category: 'no-such', normalHandle: '1', urgentHandle: '1', revisitDays: '1' })
			)
		).toEqual({ category: 'choice' });
	});
});

describe('the holiday calendar', () => {
	it('moves deadlines when the admin adds a holiday or a make-up working day, and back when removed', async () => {
		const db = database.db;
		const street = await category('street-cleaning');
		const report = { categoryId: street.id, priority: 'normal' as const };
		// Monday 7 Dec 2026, 09:00 in Hefei: 6 hours to check ends the same day.
		const from = new Date('2026-12-07T09:00:00+08:00');
		const plain = await dueAtFor(db, report, 'handled', from);
		expect(parseInput(calendarDaySchema, { day: '2026-02-30', kind: 'holiday' }).ok).toBe(false);
		expect(parseInput(calendarDaySchema, { day: '2026-12-07', kind: 'day off' }).ok).toBe(false);
		await saveCalendarDay(db, { day: '2026-12-07', kind: 'holiday', name: '测试假日' });
		const onHoliday = await dueAtFor(db, report, 'handled', from);
		expect(+onHoliday!).toBeGreaterThan(+plain!);
		expect(onHoliday!.toISOString().slice(0, 10)).toBe('2026-12-08');
		// Saving the same day again changes it rather than adding a second.
		await saveCalendarDay(db, { day: '2026-12-07', kind: 'holiday', name: '改名' });
		expect((await listCalendarDays(db)).filter((d) => d.day === '2026-12-07')).toEqual([
			{ day: '2026-12-07', kind: 'holiday', name: '改名' }
		]);
		await removeCalendarDay(db, '2026-12-07');
		expect(+(await dueAtFor(db, report, 'handled', from))!).toBe(+plain!);
	});
});
