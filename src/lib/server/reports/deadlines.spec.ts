import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import {
	calendarDays,
	categories,
	deadlineRules,
	notifications,
	reportEvents,
	users
} from '../db/schema';
import { deadlineHoursFor, dueAtFor, escalateOverdue, isOverdue } from './deadlines';
import { createCase } from './fixtures';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database?.close());

const at = (s: string) => new Date(s.replace(' ', 'T') + ':00+08:00');

async function categoryId(code: string) {
	const [row] = await database.db.select().from(categories).where(eq(categories.code, code));
	return row.id;
}

describe('deadline hours', () => {
	it('fall back to built-in accept and check hours and the category handle hours', async () => {
		const id = await categoryId('fire-lane-blocked'); // urgent category: 24 h, 4 h when urgent
		expect(await deadlineHoursFor(database.db, id, 'normal')).toEqual({
			accept: 4,
			handle: 24,
			check: 8
		});
		expect(await deadlineHoursFor(database.db, id, 'urgent')).toEqual({
			accept: 1,
			handle: 4,
			check: 2
		});
	});

	it('take the default rule, then the category rule', async () => {
		const db = database.db;
		const id = await categoryId('small-ads');
		await db.insert(deadlineRules).values({
			categoryId: null,
			priority: 'normal',
			acceptHours: 2,
			checkHours: 6,
			handleHours: 99
		});
		// The default rule sets accept and check, but handle stays the category's own.
		expect(await deadlineHoursFor(db, id, 'normal')).toEqual({ accept: 2, handle: 72, check: 6 });
		await db.insert(deadlineRules).values({
			categoryId: id,
			priority: 'normal',
			acceptHours: 1,
			checkHours: 3,
			handleHours: 16
		});
		expect(await deadlineHoursFor(db, id, 'normal')).toEqual({ accept: 1, handle: 16, check: 3 });
		// Another category still gets the default rule.
		expect(await deadlineHoursFor(db, await categoryId('street-cleaning'), 'normal')).toEqual({
			accept: 2,
			handle: 72,
			check: 6
		});
	});

	it('count working hours against the holiday calendar in the database', async () => {
		const db = database.db;
		const id = await categoryId('small-ads');
		// Tuesday 1 Dec is a holiday; Saturday 5 Dec a make-up working day.
		await db.insert(calendarDays).values([
			{ day: '2026-12-01', kind: 'holiday', name: '测试假日' },
			{ day: '2026-12-05', kind: 'workday', name: '调休' }
		]);
		// Monday 17:00 + 1 working hour to accept: Monday 17:30, then Wednesday 09:00.
		const due = await dueAtFor(
			db,
			{ categoryId: id, priority: 'normal' },
			'submitted',
			at('2026-11-30 17:00')
		);
		expect(due?.toISOString()).toBe(at('2026-12-02 09:00').toISOString());
		// Friday 17:00 + 3 working hours to check: Friday 17:30, then Saturday 08:30–11:00.
		const check = await dueAtFor(
			db,
			{ categoryId: id, priority: 'normal' },
			'handled',
			at('2026-12-04 17:00')
		);
		expect(check?.toISOString()).toBe(at('2026-12-05 11:00').toISOString());
		expect(
			await dueAtFor(db, { categoryId: id, priority: 'normal' }, 'closed', new Date())
		).toBeNull();
	});
});

describe('overdue and escalation', () => {
	it('flags open cases past their deadline only', () => {
		const now = at('2026-11-30 12:00');
		expect(isOverdue({ stage: 'dispatched', dueAt: at('2026-11-30 11:59') }, now)).toBe(true);
		expect(isOverdue({ stage: 'dispatched', dueAt: at('2026-11-30 12:01') }, now)).toBe(false);
		expect(isOverdue({ stage: 'closed', dueAt: at('2026-11-30 11:59') }, now)).toBe(false);
		expect(isOverdue({ stage: 'submitted', dueAt: null }, now)).toBe(false);
	});

	it('notifies every dispatcher once per missed deadline', async () => {
		const db = database.db;
		const late = await createCase(db, {
			stage: 'dispatched',
			department: 'city-management',
			dueAt: at('2026-11-30 10:00')
		});
		const onTime = await createCase(db, {
			stage: 'dispatched',
			department: 'city-management',
			dueAt: at('2026-11-30 16:00')
		});
		const closed = await createCase(db, { stage: 'closed', dueAt: at('2026-11-30 09:00') });
		const now = at('2026-11-30 12:00');
		const first = await escalateOverdue(db, now);
		expect(first).toContain(late.id);
		expect(first).not.toContain(onTime.id);
		expect(first).not.toContain(closed.id);
		expect(await escalateOverdue(db, at('2026-11-30 12:05'))).not.toContain(late.id);

		const [dispatcher] = await db.select().from(users).where(eq(users.phone, '13800000006'));
		const told = await db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, dispatcher.id), eq(notifications.kind, 'case_overdue')));
		expect(told.filter((n) => n.link === `/staff/reports/${late.id}`)).toHaveLength(1);
		expect(told[0].title).toContain('超时限');
		const events = await db
			.select()
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, late.id), eq(reportEvents.action, 'escalate')));
		expect(events).toHaveLength(1);
		// Later the on-time case misses its own deadline too.
		expect(await escalateOverdue(db, at('2026-11-30 17:00'))).toEqual([onTime.id]);
	});
});
