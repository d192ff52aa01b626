import ICAL from 'ical.js';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitySchema } from '$lib/domain/activities';
import { atLocal } from '$lib/domain/duty';
import { parseInput } from '$lib/domain/validation';
import type { StaffScope } from '../auth/permissions';
import type { Database } from '../db';
import {
	bookings,
	communities,
	notifications,
	posts,
	propertyCompanies,
	serviceRecords,
	shifts,
	users
} from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift, cancelBooking } from '../duty/booking';
import { calendarFeed, calendarToken } from '../duty/calendar';
import { checkIn, checkOut, postCode, timeStep } from '../duty/checkin';
import { sendReminders } from '../duty/reminders';
import { makeVolunteers } from '../duty/testing';
import { propertyScorecards } from '../reports/stats';
import {
	activityDetail,
	cancelActivity,
	createActivity,
	listUpcomingActivities,
	participationCounts,
	recordParticipation,
	updateActivity
} from './activities';

let database: Database;
let postId: string;
const staff = { id: '', departmentId: null as string | null };
const all = { kind: 'all' } as const;
beforeAll(async () => {
	database = await openTestDatabase();
	[{ id: postId }] = await database.db.select({ id: posts.id }).from(posts).limit(1);
	[{ id: staff.id }] = await database.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.phone, '13800000008'));
});
afterAll(() => database.close());

const now = atLocal('2026-12-07', '09:00');
function input(overrides: Record<string, unknown> = {}) {
	const parsed = parseInput(activitySchema, {
		kind: 'cleanup',
		title: '背街小巷大扫除',
		description: '清理陈年垃圾',
		place: '繁昌路 12 弄',
		post: postId,
		day: '2026-12-12',
		startTime: '08:00',
		endTime: '10:30',
		capacity: '7',
		responsiblePerson: '王主任',
		...overrides
	});
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.fields));
	return parsed.value;
}

describe(`one-off activities (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('cancels before the start: places freed, everyone booked or waiting told why, once', async () => {
		const { db } = database;
		const id = await createActivity(db, input({ capacity: '2' }), staff, all, now);
		const activity = (await activityDetail(db, id))!;
		const [a, b, c, later] = await makeVolunteers(db, 4);
		for (const volunteerId of [a, b, c])
			await bookShift(db, { shiftId: activity.shiftId, volunteerId, now });
		const reason = (text: string) =>
			cancelActivity(db, id, text, now).then(
				async ({ pushing }) => ((await pushing) >= 0 ? 'ok' : 'no'),
				(error) => `${error.code} ${JSON.stringify(error.fields ?? {})}`
			);
		expect(await reason('   ')).toBe('invalid_input {"reason":"required"}');
		expect(await reason('雨'.repeat(201))).toBe('invalid_input {"reason":"too_long"}');
		expect(await reason('暴雨预警')).toBe('ok');

		const after = (await activityDetail(db, id))!;
		expect(after).toMatchObject({ status: 'cancelled', booked: 0, waitlisted: 0 });
		expect(after.people).toEqual([]);
		const told = await db
			.select({ userId: notifications.userId, body: notifications.body })
			.from(notifications)
			.where(eq(notifications.kind, 'activity_cancelled'));
		expect(told.map((n) => n.userId).sort()).toEqual([a, b, c].sort());
		expect(told[0].body).toContain('背街小巷大扫除');
		expect(told[0].body).toContain('暴雨预警');
		// Gone from what volunteers can book, and closed to a late booking.
		expect((await listUpcomingActivities(db, now)).map((x) => x.id)).not.toContain(id);
		await expect(
			bookShift(db, { shiftId: activity.shiftId, volunteerId: later, now })
		).rejects.toMatchObject({
			code: 'closed'
		});
		// A second cancel changes nothing and tells no one again.
		expect(await reason('再次取消')).toBe('ok');
		const again = await db
			.select({ id: notifications.id })
			.from(notifications)
			.where(eq(notifications.kind, 'activity_cancelled'));
		expect(again).toHaveLength(3);
	});

	it('changes an activity before the start: places move, reminders go again, everyone is told', async () => {
		const { db } = database;
		const id = await createActivity(db, input({ capacity: '2' }), staff, all, now);
		const { shiftId } = (await activityDetail(db, id))!;
		const [a, b, c] = await makeVolunteers(db, 3);
		for (const volunteerId of [a, b, c]) await bookShift(db, { shiftId, volunteerId, now });
		// The 24-hour reminder went out for the old time.
		await db.update(bookings).set({ reminded24At: now }).where(eq(bookings.shiftId, shiftId));

		const change = input({
			title: '背街小巷大扫除（改期）',
			day: '2026-12-13',
			startTime: '09:00',
			endTime: '11:00',
			capacity: '3'
		});
		const { pushing } = await updateActivity(db, id, change, all, now);
		expect(await pushing).toBeGreaterThanOrEqual(0);

		const after = (await activityDetail(db, id))!;
		expect(after).toMatchObject({
			title: '背街小巷大扫除（改期）',
			capacity: 3,
			booked: 3,
			waitlisted: 0,
			startsAt: atLocal('2026-12-13', '09:00'),
			endsAt: atLocal('2026-12-13', '11:00'),
			cancelCutoffAt: atLocal('2026-12-13', '07:00')
		});
		const moved = await db
			.select({ startsAt: bookings.startsAt, reminded: bookings.reminded24At })
			.from(bookings)
			.where(eq(bookings.shiftId, shiftId));
		expect(moved).toHaveLength(3);
		for (const booking of moved)
			expect(booking).toEqual({ startsAt: atLocal('2026-12-13', '09:00'), reminded: null });
		const told = await db
			.select({ userId: notifications.userId, kind: notifications.kind, body: notifications.body })
			.from(notifications)
			.where(inArray(notifications.userId, [a, b, c]));
		const changed = told.filter((n) => n.kind === 'activity_changed');
		expect(changed.map((n) => n.userId).sort()).toEqual([a, b, c].sort());
		expect(changed[0].body).toContain('2026-12-13 09:00–11:00');
		// The new third place went to the one waiting.
		expect(told.filter((n) => n.kind === 'waitlist_promoted').map((n) => n.userId)).toEqual([c]);

		// A change of the description alone moves nothing and tells no one.
		await updateActivity(db, id, { ...change, description: '带上手套' }, all, now);
		expect((await activityDetail(db, id))!.description).toBe('带上手套');
		const again = await db
			.select({ id: notifications.id })
			.from(notifications)
			.where(
				and(inArray(notifications.userId, [a, b, c]), eq(notifications.kind, 'activity_changed'))
			);
		expect(again).toHaveLength(3);
	});

	it('names the activity in the calendar feed and the reminders, which go again after a move', async () => {
		const { db } = database;
		const id = await createActivity(db, input({ title: '河道清漂' }), staff, all, now);
		const { shiftId } = (await activityDetail(db, id))!;
		const [v] = await makeVolunteers(db, 1);
		await bookShift(db, { shiftId, volunteerId: v, now });

		const feed = (await calendarFeed(db, (await calendarToken(db, v))!, now))!;
		const [event] = new ICAL.Component(ICAL.parse(feed))
			.getAllSubcomponents('vevent')
			.map((c) => new ICAL.Event(c));
		expect(event.summary).toBe('河道清漂');
		expect(event.location).toBe('繁昌路 12 弄');

		const reminders = async () =>
			(
				await db
					.select({ body: notifications.body })
					.from(notifications)
					.where(and(eq(notifications.userId, v), eq(notifications.kind, 'reminder_24h')))
					.orderBy(notifications.createdAt)
			).map((n) => n.body);
		await sendReminders(db, atLocal('2026-12-11', '09:00'));
		expect(await reminders()).toEqual([
			'河道清漂（繁昌路 12 弄） 2026-12-12 08:00–10:30，请按时到岗签到。'
		]);
		// Moved a day later: the 24-hour reminder goes again, for the new time.
		await updateActivity(
			db,
			id,
			input({ title: '河道清漂', day: '2026-12-13' }),
			all,
			atLocal('2026-12-11', '09:30')
		);
		await sendReminders(db, atLocal('2026-12-12', '09:00'));
		expect((await reminders())[1]).toBe(
			'河道清漂（繁昌路 12 弄） 2026-12-13 08:00–10:30，请按时到岗签到。'
		);
	});

	it('refuses a change that would drop people, double-book them, or come too late, and keeps the activity', async () => {
		const { db } = database;
		const id = await createActivity(db, input({ capacity: '2' }), staff, all, now);
		const { shiftId, startsAt } = (await activityDetail(db, id))!;
		const [a, b] = await makeVolunteers(db, 2);
		for (const volunteerId of [a, b]) await bookShift(db, { shiftId, volunteerId, now });
		// a also holds a place at another activity on the 14th, 08:00–10:00.
		const other = await createActivity(db, input({ day: '2026-12-14' }), staff, all, now);
		await bookShift(db, {
			shiftId: (await activityDetail(db, other))!.shiftId,
			volunteerId: a,
			now
		});
		const refusal = (change: Record<string, unknown>, at = now, scope: StaffScope = all) =>
			updateActivity(db, id, input({ title: '不该保存', ...change }), scope, at).then(
				() => 'saved',
				(error) => `${error.status} ${error.code} ${JSON.stringify(error.fields ?? {})}`
			);
		expect(await refusal({ capacity: '1' })).toBe('400 invalid_input {"capacity":"below_booked"}');
		expect(await refusal({ day: '2026-12-01' })).toBe('400 invalid_input {"day":"activity_past"}');
		expect(await refusal({ day: '2026-12-14', startTime: '09:00', endTime: '11:00' })).toBe(
			'409 invalid_input {"day":"activity_overlap"}'
		);
		const [community] = await db.select({ id: communities.id }).from(communities).limit(1);
		const [post] = await db
			.select({ communityId: posts.communityId })
			.from(posts)
			.where(eq(posts.id, postId));
		const elsewhere = await db
			.select({ id: communities.id })
			.from(communities)
			.where(sql`${communities.id} <> ${post.communityId}`)
			.limit(1);
		expect(
			await refusal({}, now, { kind: 'community', communityId: (elsewhere[0] ?? community).id })
		).toBe('403 forbidden {}');
		expect(await refusal({}, startsAt)).toBe('409 activity_started {}');

		const kept = (await activityDetail(db, id))!;
		expect(kept).toMatchObject({ title: '背街小巷大扫除', capacity: 2, booked: 2, startsAt });
		const places = await db
			.select({ startsAt: bookings.startsAt })
			.from(bookings)
			.where(eq(bookings.shiftId, shiftId));
		expect(places.map((p) => p.startsAt)).toEqual([startsAt, startsAt]);

		await cancelActivity(db, id, '取消', now);
		expect(await refusal({})).toBe('409 activity_cancelled {}');
	});

	it('refuses to cancel an activity once it has started, and an unknown one', async () => {
		const { db } = database;
		const id = await createActivity(db, input(), staff, all, now);
		const { startsAt } = (await activityDetail(db, id))!;
		await expect(cancelActivity(db, id, '来不及了', startsAt)).rejects.toMatchObject({
			code: 'activity_started'
		});
		expect((await activityDetail(db, id))!.status).toBe('open');
		await expect(
			cancelActivity(db, '00000000-0000-4000-8000-000000000000', '不存在', now)
		).rejects.toMatchObject({ code: 'not_found', status: 404 });
	});

	it('holds exactly C places under 50 simultaneous bookings, through the duty booking code', async () => {
		const { db } = database;
		const capacity = 7;
		const id = await createActivity(db, input({ capacity: String(capacity) }), staff, all, now);
		const activity = (await activityDetail(db, id))!;
		const people = await makeVolunteers(db, 50);
		const results = await Promise.allSettled(
			people.map((volunteerId) => bookShift(db, { shiftId: activity.shiftId, volunteerId, now }))
		);
		const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 'error'));
		expect(statuses.filter((s) => s === 'booked')).toHaveLength(capacity);
		expect(statuses.filter((s) => s === 'waitlisted')).toHaveLength(50 - capacity);
		const [{ count }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(bookings)
			.where(and(eq(bookings.shiftId, activity.shiftId), eq(bookings.status, 'booked')));
		expect(count).toBe(capacity);
		const [shift] = await db.select().from(shifts).where(eq(shifts.id, activity.shiftId));
		expect([shift.booked, shift.capacity, shift.templateId]).toEqual([capacity, capacity, null]);

		// A cancellation gives the place to the first on the waitlist, as for any shift.
		const booked = await db
			.select()
			.from(bookings)
			.where(and(eq(bookings.shiftId, activity.shiftId), eq(bookings.status, 'booked')))
			.limit(1);
		const cancelled = await cancelBooking(db, {
			bookingId: booked[0].id,
			volunteerId: booked[0].volunteerId,
			now
		});
		expect(cancelled.promoted).toBe(1);
		const detail = (await activityDetail(db, id))!;
		expect([detail.booked, detail.waitlisted]).toEqual([capacity, 50 - capacity - 1]);
	});

	it('checks people in with the meeting post code and writes an activity service record', async () => {
		const { db } = database;
		const id = await createActivity(
			db,
			input({ title: '文明宣传进社区', kind: 'publicity' }),
			staff,
			all,
			now
		);
		const activity = (await activityDetail(db, id))!;
		expect(activity.status).toBe('open');
		expect((await listUpcomingActivities(db, now)).map((a) => a.id)).toContain(id);
		const [volunteerId] = await makeVolunteers(db, 1);
		await bookShift(db, { shiftId: activity.shiftId, volunteerId, now });
		const start = atLocal('2026-12-12', '08:05');
		await checkIn(db, {
			volunteerId,
			code: postCode(postId, timeStep(start)),
			now: start
		});
		const end = atLocal('2026-12-12', '10:35');
		const out = await checkOut(db, {
			volunteerId,
			code: postCode(postId, timeStep(end)),
			now: end
		});
		// 08:05 to the end of the window at 10:30.
		expect(out.minutes).toBe(145);
		const [record] = await db
			.select()
			.from(serviceRecords)
			.where(eq(serviceRecords.bookingId, out.bookingId));
		expect(record).toMatchObject({
			activity: '文明宣传进社区',
			place: '繁昌路 12 弄',
			content: '清理陈年垃圾',
			responsiblePerson: '王主任',
			serviceDate: '2026-12-12',
			minutes: 145
		});
	});

	it('refuses a past day, a post outside the staff scope and bad input', async () => {
		const { db } = database;
		await expect(
			createActivity(db, input({ day: '2026-12-01' }), staff, all, now)
		).rejects.toMatchObject({ fields: { day: 'activity_past' } });
		const [post] = await db.select().from(posts).where(eq(posts.id, postId));
		const [other] = await db
			.select({ id: communities.id })
			.from(communities)
			.where(sql`${communities.id} is distinct from ${post.communityId}`)
			.limit(1);
		await expect(
			createActivity(db, input(), staff, { kind: 'community', communityId: other.id }, now)
		).rejects.toMatchObject({ status: 403 });
		expect(
			parseInput(activitySchema, {
				kind: 'party',
				title: '',
				place: 'x',
				post: postId,
				day: '2026-12-12',
				startTime: '10:00',
				endTime: '09:00',
				capacity: '0',
				responsiblePerson: 'x'
			})
		).toEqual({
			ok: false,
			fields: { kind: 'choice', title: 'required', capacity: 'number' }
		});
	});

	it("counts a property company's participation in its scorecard", async () => {
		const { db } = database;
		const [company] = await db
			.insert(propertyCompanies)
			.values({ name: `参与物业${Date.now()}` })
			.returning();
		const id = await createActivity(db, input(), staff, all, now);
		const recorder = { id: staff.id };
		expect(
			await recordParticipation(
				db,
				{ activityId: id, propertyCompanyId: company.id, note: '' },
				recorder
			)
		).toBe(true);
		// Recorded twice, counted once.
		await recordParticipation(
			db,
			{ activityId: id, propertyCompanyId: company.id, note: '出动 5 人' },
			recorder
		);
		expect((await activityDetail(db, id))!.companies).toEqual([
			expect.objectContaining({ company: company.name, note: '出动 5 人' })
		]);
		const period = { from: atLocal('2026-12-01', '00:00'), to: atLocal('2027-01-01', '00:00') };
		expect(await participationCounts(db, period)).toContainEqual({
			companyId: company.id,
			company: company.name,
			activities: 1
		});
		const cards = await propertyScorecards(
			db,
			{ id: recorder.id, role: 'admin', communityId: null, departmentId: null },
			period,
			now
		);
		expect(cards.find((c) => c.company === company.name)).toMatchObject({
			reported: 0,
			activities: 1
		});
		const outside = { from: atLocal('2027-01-01', '00:00'), to: atLocal('2027-02-01', '00:00') };
		expect(
			(await participationCounts(db, outside)).find((c) => c.companyId === company.id)
		).toBeUndefined();
	});
});
