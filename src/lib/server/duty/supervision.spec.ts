import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import {
	bookings,
	notifications,
	shifts as shiftsTable,
	standInRequests,
	users
} from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { acceptStandIn, bookShift } from './booking';
import { DutyError } from './errors';
import { assign, assignmentsFor, copyWeekForward, weekRota } from './rota';
import { coverage, dayRoster, recordSpotCheck, repeatedAbsences } from './supervision';
import { makePostWithShifts, makeVolunteers } from './testing';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

const now = atLocal('2026-12-07', '09:00');

async function userByPhone(phone: string) {
	const [row] = await database.db.select().from(users).where(eq(users.phone, phone));
	return row;
}

describe(`staff rota and spot checks (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('assigns staff per day, copies a week forward once, and shows today’s post', async () => {
		const { db } = database;
		const { post } = await makePostWithShifts(db, now);
		const dispatcher = await userByPhone('13800000006');
		const handler = await userByPhone('13800000004');
		const grid = await userByPhone('13800000003');
		await assign(db, {
			postId: post.id,
			userId: handler.id,
			day: '2026-12-07',
			assignedBy: dispatcher.id
		});
		await assign(db, {
			postId: post.id,
			userId: grid.id,
			day: '2026-12-09',
			assignedBy: dispatcher.id
		});
		// Twice the same is one assignment.
		await assign(db, {
			postId: post.id,
			userId: grid.id,
			day: '2026-12-09',
			assignedBy: dispatcher.id
		});
		const volunteer = await userByPhone('13800000002');
		await expect(
			assign(db, {
				postId: post.id,
				userId: volunteer.id,
				day: '2026-12-09',
				assignedBy: dispatcher.id
			})
		).rejects.toBeInstanceOf(DutyError);
		expect((await weekRota(db, '2026-12-07')).filter((r) => r.postId === post.id)).toHaveLength(2);
		expect(await copyWeekForward(db, '2026-12-07', dispatcher.id)).toBe(2);
		expect(await copyWeekForward(db, '2026-12-07', dispatcher.id)).toBe(0);
		const next = (await weekRota(db, '2026-12-14')).filter((r) => r.postId === post.id);
		expect(next.map((r) => r.day).sort()).toEqual(['2026-12-14', '2026-12-16']);
		expect((await assignmentsFor(db, handler.id, '2026-12-14')).map((a) => a.postName)).toEqual([
			post.name
		]);
		expect(await assignmentsFor(db, handler.id, '2026-12-15')).toEqual([]);
	});

	it('lists the day’s roster, records checks, and puts repeated absentees on the talk list', async () => {
		const { db } = database;
		const { post, shifts } = await makePostWithShifts(db, now);
		const supervisor = await userByPhone('13800000007');
		const [a, b] = await makeVolunteers(db, 2);
		const first = await bookShift(db, { shiftId: shifts[0].id, volunteerId: a, now });
		const second = await bookShift(db, { shiftId: shifts[1].id, volunteerId: a, now });
		const other = await bookShift(db, { shiftId: shifts[0].id, volunteerId: b, now });
		const roster = (await dayRoster(db, '2026-12-08')).filter((r) => r.postId === post.id);
		expect(roster.map((r) => r.bookingId).sort()).toEqual([first.id, other.id].sort());
		await recordSpotCheck(db, {
			bookingId: first.id,
			result: 'absent',
			checkedBy: supervisor.id,
			checkedAt: shifts[0].startsAt
		});
		await recordSpotCheck(db, {
			bookingId: other.id,
			result: 'present',
			checkedBy: supervisor.id,
			checkedAt: shifts[0].startsAt
		});
		expect(
			(await dayRoster(db, '2026-12-08')).find((r) => r.bookingId === first.id)?.lastCheck
		).toBe('absent');
		// The absence tells the dispatcher, opens a place, and asks free volunteers to stand in.
		const dispatcher = await userByPhone('13800000006');
		const told = await db
			.select()
			.from(notifications)
			.where(eq(notifications.userId, dispatcher.id));
		expect(told.map((n) => n.kind)).toContain('absence');
		const [grown] = await db.select().from(shiftsTable).where(eq(shiftsTable.id, shifts[0].id));
		expect(grown.capacity).toBe(6);
		const standIns = await db
			.select()
			.from(notifications)
			.where(eq(notifications.kind, 'stand_in_request'));
		expect(standIns.map((n) => n.userId)).not.toContain(a);
		expect(standIns.map((n) => n.userId)).not.toContain(b);
		expect(standIns.map((n) => n.userId)).toContain((await userByPhone('13800000002')).id);
		expect(
			(await repeatedAbsences(db, '2026-12-01', '2026-12-31', 2)).map((p) => p.userId)
		).not.toContain(a);
		await recordSpotCheck(db, {
			bookingId: second.id,
			result: 'absent',
			checkedBy: supervisor.id,
			checkedAt: shifts[1].startsAt
		});
		const list = await repeatedAbsences(db, '2026-12-01', '2026-12-31', 2);
		expect(list.find((p) => p.userId === a)).toMatchObject({ absences: 2 });
		expect(list.map((p) => p.userId)).not.toContain(b);
		// The coverage wall counts the booked volunteers and flags the shortfall.
		const wall = (await coverage(db, '2026-12-08', 7)).filter((s) => s.postId === post.id);
		expect(wall).toHaveLength(7);
		expect(wall[0]).toMatchObject({
			day: '2026-12-08',
			booked: 2,
			capacity: 6,
			staff: 0,
			short: true
		});
		// Outside the period, nothing.
		expect(
			(await repeatedAbsences(db, '2026-12-10', '2026-12-31', 1)).map((p) => p.userId)
		).not.toContain(a);
	});

	it('lets exactly one free volunteer take the place an absence opens, even after the start', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, now, { volunteersNeeded: 2 });
		const supervisor = await userByPhone('13800000007');
		const shift = shifts[0];
		const [absentee, present, waiting, busy, ...free] = await makeVolunteers(db, 14);
		const absent = await bookShift(db, { shiftId: shift.id, volunteerId: absentee, now });
		await bookShift(db, { shiftId: shift.id, volunteerId: present, now });
		expect(await bookShift(db, { shiftId: shift.id, volunteerId: waiting, now })).toMatchObject({
			status: 'waitlisted'
		});
		// Busy elsewhere at that time.
		const other = await makePostWithShifts(db, now);
		await bookShift(db, { shiftId: other.shifts[0].id, volunteerId: busy, now });
		const during = new Date(shift.startsAt.getTime() + 20 * 60_000);
		await recordSpotCheck(db, {
			bookingId: absent.id,
			result: 'absent',
			checkedBy: supervisor.id,
			checkedAt: during
		});
		// A second absence mark of the same booking opens no second place.
		await recordSpotCheck(db, {
			bookingId: absent.id,
			result: 'absent',
			checkedBy: supervisor.id,
			checkedAt: during
		});
		const [request] = await db
			.select()
			.from(standInRequests)
			.where(eq(standInRequests.absentBookingId, absent.id));
		expect(request.status).toBe('open');
		const [grown] = await db.select().from(shiftsTable).where(eq(shiftsTable.id, shift.id));
		expect(grown).toMatchObject({ capacity: 3, booked: 2 });
		const asked = await db
			.select({ userId: notifications.userId, link: notifications.link })
			.from(notifications)
			.where(eq(notifications.link, `/volunteer/stand-in/${request.id}`));
		const askedIds = asked.map((n) => n.userId);
		expect(askedIds).toContain(waiting);
		expect(askedIds).not.toContain(busy);
		expect(askedIds).not.toContain(absentee);
		expect(askedIds).not.toContain(present);
		// The place is not up for normal booking once the shift has started.
		await expect(
			bookShift(db, { shiftId: shift.id, volunteerId: free[0], now: during })
		).rejects.toMatchObject({ code: 'closed' });
		await expect(
			acceptStandIn(db, { requestId: request.id, volunteerId: busy, now: during })
		).rejects.toMatchObject({ code: 'overlap' });
		// Ten accept at once: one gets it.
		const results = await Promise.allSettled(
			free.map((volunteerId) =>
				acceptStandIn(db, { requestId: request.id, volunteerId, now: during })
			)
		);
		const won = results.filter((r) => r.status === 'fulfilled');
		expect(won).toHaveLength(1);
		for (const r of results)
			if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'stand_in_taken' });
		const [after] = await db.select().from(shiftsTable).where(eq(shiftsTable.id, shift.id));
		expect(after).toMatchObject({ capacity: 3, booked: 3 });
		const [filled] = await db
			.select()
			.from(standInRequests)
			.where(eq(standInRequests.id, request.id));
		expect(filled.status).toBe('filled');
		const [booking] = await db
			.select()
			.from(bookings)
			.where(eq(bookings.id, filled.filledByBookingId!));
		expect(booking).toMatchObject({ status: 'booked', shiftId: shift.id });
	});

	it('moves a waitlisted volunteer up when they accept, and refuses after the end', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		const supervisor = await userByPhone('13800000007');
		const [absentee, waiting] = await makeVolunteers(db, 2);
		const absent = await bookShift(db, { shiftId: shifts[0].id, volunteerId: absentee, now });
		const queued = await bookShift(db, { shiftId: shifts[0].id, volunteerId: waiting, now });
		const during = new Date(shifts[0].startsAt.getTime() + 5 * 60_000);
		await recordSpotCheck(db, {
			bookingId: absent.id,
			result: 'absent',
			checkedBy: supervisor.id,
			checkedAt: during
		});
		const [request] = await db
			.select()
			.from(standInRequests)
			.where(eq(standInRequests.absentBookingId, absent.id));
		await expect(
			acceptStandIn(db, { requestId: request.id, volunteerId: waiting, now: shifts[0].endsAt })
		).rejects.toMatchObject({ code: 'closed' });
		expect(
			await acceptStandIn(db, { requestId: request.id, volunteerId: waiting, now: during })
		).toEqual({ id: queued.id, status: 'booked' });
		const [shift] = await db.select().from(shiftsTable).where(eq(shiftsTable.id, shifts[0].id));
		expect(shift).toMatchObject({ capacity: 2, booked: 2 });
	});
});
