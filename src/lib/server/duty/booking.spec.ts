import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import { bookings, notifications, shifts, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift, cancelBooking, myBookings } from './booking';
import { listNotifications } from '../notify';
import { DutyError } from './errors';
import { generateShifts, listShifts, updateTemplate } from './shifts';
import { makePostWithShifts, makeVolunteers } from './testing';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

// Monday 2026-12-07, 09:00 local.
const now = atLocal('2026-12-07', '09:00');

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DutyError) return error.code;
		throw error;
	}
	return 'accepted';
}

describe(`booking (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('generates 14 days ahead, idempotently, with no shift already begun', async () => {
		const { db } = database;
		const { template, shifts: list } = await makePostWithShifts(db, now);
		// Today's 07:30 has begun; tomorrow through 14 days ahead remain.
		expect(list).toHaveLength(14);
		expect(list[0].startsAt.toISOString()).toBe('2026-12-07T23:30:00.000Z');
		const again = await generateShifts(db, { now, templateId: template.id });
		expect(again).toEqual({ created: 0, updated: 0, cancelled: 0, deleted: 0 });
		const later = await generateShifts(db, {
			now: atLocal('2026-12-08', '09:00'),
			templateId: template.id
		});
		expect(later.created).toBe(1);
	});

	it('books up to capacity, then waitlists, under 30 concurrent requests', async () => {
		const { db } = database;
		const { post, shifts: list } = await makePostWithShifts(db, now);
		const people = await makeVolunteers(db, 30);
		const results = await Promise.all(
			people.map((volunteerId) => bookShift(db, { shiftId: list[0].id, volunteerId, now }))
		);
		expect(results.filter((r) => r.status === 'booked')).toHaveLength(5);
		expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(25);
		const [shift] = await db.select().from(shifts).where(eq(shifts.id, list[0].id));
		expect(shift.booked).toBe(5);
		const [{ count }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(bookings)
			.where(and(eq(bookings.shiftId, list[0].id), eq(bookings.status, 'booked')));
		expect(count).toBe(5);
		const [listed] = await listShifts(db, {
			from: list[0].startsAt,
			to: list[1].startsAt,
			postId: post.id
		});
		expect(listed).toMatchObject({ id: list[0].id, capacity: 5, booked: 5, waitlisted: 25 });
		const last = results.findIndex((r) => r.status === 'waitlisted');
		const [mine] = await myBookings(db, people[last], { since: now });
		expect(mine).toMatchObject({ status: 'waitlisted' });
		expect(mine.waitlistPosition).toBeGreaterThanOrEqual(1);
		expect(mine.waitlistPosition).toBeLessThanOrEqual(25);
	});

	it('refuses a full shift when the waitlist is declined', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		const [a, b] = await makeVolunteers(db, 2);
		await bookShift(db, { shiftId: list[0].id, volunteerId: a, now });
		expect(
			await refusal(bookShift(db, { shiftId: list[0].id, volunteerId: b, now, waitlist: false }))
		).toBe('shift_full');
	});

	it('keeps the CHECK constraint as a backstop against overbooking', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		await expect(
			db.update(shifts).set({ booked: 2 }).where(eq(shifts.id, list[0].id))
		).rejects.toThrow();
	});

	it('refuses overlapping bookings with the exclusion constraint', async () => {
		const { db } = database;
		const first = await makePostWithShifts(db, now);
		const second = await makePostWithShifts(db, now, { startTime: '09:00', endTime: '12:00' });
		const [v] = await makeVolunteers(db, 1);
		await bookShift(db, { shiftId: first.shifts[0].id, volunteerId: v, now });
		expect(
			await refusal(bookShift(db, { shiftId: second.shifts[0].id, volunteerId: v, now }))
		).toBe('overlap');
		// Concurrent overlapping requests: exactly one gets through, and the other is refused as an
		// overlap, never a deadlock (PostgreSQL deadlocked about 1 pair in 260 before the volunteer lock).
		const pairs: string[] = [];
		for (let day = 1; day <= 5; day++) {
			const people = await makeVolunteers(db, 20);
			const outcomes = await Promise.all(
				people.map((w) =>
					Promise.all([
						refusal(bookShift(db, { shiftId: first.shifts[day].id, volunteerId: w, now })),
						refusal(bookShift(db, { shiftId: second.shifts[day].id, volunteerId: w, now }))
					])
				)
			);
			pairs.push(...outcomes.map((pair) => pair.sort().join(' + ')));
		}
		expect(new Set(pairs)).toEqual(new Set(['accepted + overlap']));
		// Straight SQL meets the constraint too.
		const [row] = await db.select().from(bookings).where(eq(bookings.volunteerId, v));
		await expect(
			db.insert(bookings).values({
				shiftId: second.shifts[0].id,
				volunteerId: v,
				status: 'waitlisted',
				startsAt: row.startsAt,
				endsAt: row.endsAt
			})
		).rejects.toThrow();
	});

	it('refuses a booking before sign-up opens, after the start, or twice', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now, { signupOpensHours: 48 });
		const [v] = await makeVolunteers(db, 1);
		const far = list[list.length - 1];
		expect(await refusal(bookShift(db, { shiftId: far.id, volunteerId: v, now }))).toBe('closed');
		expect(
			await refusal(bookShift(db, { shiftId: list[0].id, volunteerId: v, now: far.startsAt }))
		).toBe('closed');
		await bookShift(db, { shiftId: list[0].id, volunteerId: v, now });
		expect(await refusal(bookShift(db, { shiftId: list[0].id, volunteerId: v, now }))).toBe(
			'already_booked'
		);
	});

	it('refuses a volunteer without a profile', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now);
		const [user] = await db
			.insert(users)
			.values({ phone: '13912345670', name: 'x', passwordHash: 'x', role: 'volunteer' })
			.returning();
		expect(await refusal(bookShift(db, { shiftId: list[0].id, volunteerId: user.id, now }))).toBe(
			'profile_required'
		);
	});

	it('promotes the first on the waitlist when a place is given up, and tells them', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		const [a, b, c] = await makeVolunteers(db, 3);
		const booked = await bookShift(db, { shiftId: list[0].id, volunteerId: a, now });
		const second = await bookShift(db, { shiftId: list[0].id, volunteerId: b, now });
		await bookShift(db, { shiftId: list[0].id, volunteerId: c, now });
		expect(second.status).toBe('waitlisted');
		// Someone else cannot cancel it.
		expect(await refusal(cancelBooking(db, { bookingId: booked.id, volunteerId: c, now }))).toBe(
			'not_found'
		);
		const result = await cancelBooking(db, { bookingId: booked.id, volunteerId: a, now });
		expect(result.promoted).toBe(1);
		const [row] = await db.select().from(bookings).where(eq(bookings.id, second.id));
		expect(row.status).toBe('booked');
		const told = await db.select().from(notifications).where(eq(notifications.userId, b));
		expect(told.map((n) => n.kind)).toEqual(['waitlist_promoted']);
		// Stored in Chinese, shown in the reader's language.
		expect(told[0].title).toBe('候补成功：您已获得岗位');
		const [inEnglish] = await listNotifications(db, b, 'en');
		expect(inEnglish.title).toBe('Off the waitlist: you have a place');
		expect(inEnglish.body).toMatch(/^You now have a place at .+, 2026-12-08 07:30–/);
		expect((await listNotifications(db, b, 'zh-CN'))[0].title).toBe(told[0].title);
		// A notification stored before the facts were kept is shown as it was stored.
		await db
			.insert(notifications)
			.values({ userId: b, kind: 'waitlist_promoted', title: '旧', body: '旧的' });
		const [old] = await listNotifications(db, b, 'en');
		expect([old.title, old.body]).toEqual(['旧', '旧的']);
		const [shift] = await db.select().from(shifts).where(eq(shifts.id, list[0].id));
		expect(shift.booked).toBe(1);
	});

	it('frees the place when nobody waits, and refuses after the cut-off', async () => {
		const { db } = database;
		const { shifts: list } = await makePostWithShifts(db, now, { cancelCutoffHours: 2 });
		const [a, b] = await makeVolunteers(db, 2);
		const one = await bookShift(db, { shiftId: list[0].id, volunteerId: a, now });
		await cancelBooking(db, { bookingId: one.id, volunteerId: a, now });
		const [shift] = await db.select().from(shifts).where(eq(shifts.id, list[0].id));
		expect(shift.booked).toBe(0);
		const two = await bookShift(db, { shiftId: list[0].id, volunteerId: b, now });
		const late = new Date(list[0].startsAt.getTime() - 3600_000);
		expect(await refusal(cancelBooking(db, { bookingId: two.id, volunteerId: b, now: late }))).toBe(
			'cancel_closed'
		);
	});

	it('changes future shifts only and tells the booked when a shift goes away', async () => {
		const { db } = database;
		const { template, shifts: list } = await makePostWithShifts(db, now, { volunteersNeeded: 2 });
		const [a, b, c] = await makeVolunteers(db, 3);
		await bookShift(db, { shiftId: list[1].id, volunteerId: a, now });
		await bookShift(db, { shiftId: list[2].id, volunteerId: b, now });
		await bookShift(db, { shiftId: list[2].id, volunteerId: c, now });
		// New window 08:00–12:00 and only one volunteer.
		const result = await updateTemplate(
			db,
			template.id,
			{ startTime: '08:00', endTime: '12:00', volunteersNeeded: 1 },
			now
		);
		expect(result.created).toBe(14);
		expect(result.cancelled).toBe(2);
		expect(result.deleted).toBe(12);
		const old = await db.select().from(shifts).where(eq(shifts.id, list[1].id));
		expect(old[0].status).toBe('cancelled');
		const told = await db.select().from(notifications).where(eq(notifications.userId, a));
		expect(told.map((n) => n.kind)).toContain('shift_cancelled');
		// Capacity change alone keeps booked people: capacity never falls below them.
		const fresh = await db
			.select()
			.from(shifts)
			.where(and(eq(shifts.templateId, template.id), eq(shifts.status, 'open')))
			.orderBy(shifts.startsAt);
		const [d, e] = await makeVolunteers(db, 2);
		await bookShift(db, { shiftId: fresh[0].id, volunteerId: d, now });
		const waiting = await bookShift(db, { shiftId: fresh[0].id, volunteerId: e, now });
		expect(waiting.status).toBe('waitlisted');
		await updateTemplate(db, template.id, { volunteersNeeded: 0 }, now);
		const [kept] = await db.select().from(shifts).where(eq(shifts.id, fresh[0].id));
		expect(kept).toMatchObject({ status: 'open', capacity: 1, booked: 1 });
		// Raising it promotes the waitlist.
		await updateTemplate(db, template.id, { volunteersNeeded: 3 }, now);
		const [promoted] = await db.select().from(bookings).where(eq(bookings.id, waiting.id));
		expect(promoted.status).toBe('booked');
	});
});
