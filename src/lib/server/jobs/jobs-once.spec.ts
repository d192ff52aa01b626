import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import { openDatabase, type Database, type Db } from '../db';
import { notifications, reportEvents, shifts, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift } from '../duty/booking';
import { runDutyJobs } from '../duty/jobs';
import { makePostWithShifts, makeVolunteers } from '../duty/testing';
import { createCase } from '../reports/fixtures';
import { escalateOverdue } from '../reports/deadlines';

/*
 * Two app servers tick their scheduled jobs at the same moment on one database: shift generation,
 * service records, reminders and deadline escalation must each happen exactly once. On PostgreSQL
 * the "servers" are two separate connection pools; PGlite has one connection, so there the jobs
 * only interleave.
 */

let first: Database & { url?: string };
let second: Database;

beforeAll(async () => {
	first = await openTestDatabase();
	second = first.url ? await openDatabase({ databaseUrl: first.url }) : first;
});
afterAll(async () => {
	if (second !== first) await second.close();
	await first.close();
});

/** Both servers' full tick, started together. */
async function tickBoth(a: Db, b: Db, now: Date) {
	const [dutyA, dutyB, escalatedA, escalatedB] = await Promise.all([
		runDutyJobs(a, now),
		runDutyJobs(b, now),
		escalateOverdue(a, now),
		escalateOverdue(b, now)
	]);
	return { duty: [dutyA, dutyB], escalated: [...escalatedA, ...escalatedB] };
}

describe(`scheduled jobs on two servers (${process.env.DATABASE_URL ? 'PostgreSQL, two pools' : 'PGlite, one connection'})`, () => {
	it('generates, reminds and escalates exactly once when both servers tick at the same time', async () => {
		const a = first.db;
		const b = second.db;
		const setupAt = atLocal('2026-12-07', '09:00');
		const { template, shifts: generated } = await makePostWithShifts(a, setupAt, {
			volunteersNeeded: 10
		});
		const volunteers = await makeVolunteers(a, 8);
		const target = generated[1];
		for (const volunteerId of volunteers)
			await bookShift(a, { shiftId: target.id, volunteerId, now: setupAt });
		// Shifts not generated yet: every future shift of the template without bookings goes.
		await a
			.delete(shifts)
			.where(and(eq(shifts.templateId, template.id), sql`${shifts.id} <> ${target.id}`));
		const overdue = await Promise.all(
			Array.from({ length: 6 }, (_, i) =>
				createCase(a, {
					stage: 'dispatched',
					department: 'city-management',
					dueAt: new Date(setupAt.getTime() + i * 60_000)
				})
			)
		);
		const dispatchers = await a
			.select({ id: users.id })
			.from(users)
			.where(eq(users.role, 'dispatcher'));
		expect(dispatchers.length).toBeGreaterThan(0);

		// 20 hours before the booked shift: inside the 24-hour reminder window, cases overdue.
		const tickAt = new Date(target.startsAt.getTime() - 20 * 3600_000);
		const rounds = [];
		for (let round = 0; round < 3; round++)
			rounds.push(await tickBoth(a, b, new Date(tickAt.getTime() + round * 1000)));

		const templateShifts = await a
			.select({ startsAt: shifts.startsAt })
			.from(shifts)
			.where(eq(shifts.templateId, template.id));
		expect(templateShifts).toHaveLength(generated.length);
		expect(new Set(templateShifts.map((s) => s.startsAt.getTime())).size).toBe(generated.length);

		const reminders = await a
			.select({ userId: notifications.userId })
			.from(notifications)
			.where(
				and(inArray(notifications.userId, volunteers), eq(notifications.kind, 'reminder_24h'))
			);
		expect(reminders.map((r) => r.userId).sort()).toEqual([...volunteers].sort());
		const sent = rounds.flatMap((r) => r.duty).reduce((n, d) => n + d.reminders, 0);
		expect(sent).toBe(volunteers.length);

		const ids = overdue.map((c) => c.id);
		expect(rounds.flatMap((r) => r.escalated).sort()).toEqual([...ids].sort());
		const events = await a
			.select({ reportId: reportEvents.reportId })
			.from(reportEvents)
			.where(and(inArray(reportEvents.reportId, ids), eq(reportEvents.action, 'escalate')));
		expect(events.map((e) => e.reportId).sort()).toEqual([...ids].sort());
		const told = await a
			.select({ link: notifications.link })
			.from(notifications)
			.where(
				and(
					eq(notifications.kind, 'case_overdue'),
					inArray(
						notifications.link,
						ids.map((id) => `/staff/reports/${id}`)
					)
				)
			);
		expect(told).toHaveLength(ids.length * dispatchers.length);
	});
});
