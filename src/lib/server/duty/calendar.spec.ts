import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import { bookings, notifications } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift } from './booking';
import {
	calendarFeed,
	calendarToken,
	feedLocale,
	feedUrl,
	foldLine,
	regenerateCalendarToken
} from './calendar';
import { sendReminders } from './reminders';
import { makePostWithShifts, makeVolunteers } from './testing';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

const now = atLocal('2026-12-07', '09:00');

describe(`calendar feed and reminders (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('folds long lines at 75 octets without splitting characters', () => {
		const folded = foldLine('SUMMARY:' + '文明劝导'.repeat(20));
		for (const line of folded.split('\r\n'))
			expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		expect(folded.replace(/\r\n /g, '')).toBe('SUMMARY:' + '文明劝导'.repeat(20));
	});

	it('parses with ical.js and matches the bookings; a new token revokes the old', async () => {
		const { db } = database;
		const { post, shifts } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		const [v, other] = await makeVolunteers(db, 2);
		const one = await bookShift(db, { shiftId: shifts[0].id, volunteerId: v, now });
		await bookShift(db, { shiftId: shifts[1].id, volunteerId: other, now });
		const two = await bookShift(db, { shiftId: shifts[1].id, volunteerId: v, now });
		const token = (await calendarToken(db, v))!;
		expect(await calendarToken(db, v)).toBe(token);
		const feed = (await calendarFeed(db, token, now))!;
		const calendar = new ICAL.Component(ICAL.parse(feed));
		const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
		expect(events.map((e) => e.uid)).toEqual([`${one.id}@jiexiang`, `${two.id}@jiexiang`]);
		expect(events[0].startDate.toJSDate()).toEqual(shifts[0].startsAt);
		expect(events[0].endDate.toJSDate()).toEqual(shifts[0].endsAt);
		expect(events[0].location).toBe(post.name);
		expect(events[1].component.getFirstPropertyValue('status')).toBe('TENTATIVE');
		await regenerateCalendarToken(db, v);
		expect(await calendarFeed(db, token, now)).toBeNull();
	});

	it('names the feed and its shifts in English when its address asks for English', async () => {
		const { db } = database;
		const { post, shifts } = await makePostWithShifts(db, now, { volunteersNeeded: 1 });
		const [v, other] = await makeVolunteers(db, 2);
		await bookShift(db, { shiftId: shifts[0].id, volunteerId: v, now });
		await bookShift(db, { shiftId: shifts[1].id, volunteerId: other, now });
		await bookShift(db, { shiftId: shifts[1].id, volunteerId: v, now });
		const token = (await calendarToken(db, v))!;
		const url = new URL(feedUrl('https://jx.example', token, 'en'));
		expect(url.pathname).toBe(`/calendar/${token}.ics`);
		expect(feedLocale(url)).toBe('en');
		const summaries = async (feed: string | null) => {
			const calendar = new ICAL.Component(ICAL.parse(feed!));
			const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
			return {
				name: calendar.getFirstPropertyValue('x-wr-calname'),
				events: events.map((e) => e.summary)
			};
		};
		expect(await summaries(await calendarFeed(db, token, now, feedLocale(url)))).toEqual({
			name: 'Jiexiang volunteer duty',
			events: [
				`Civility persuasion · ${post.name}`,
				`(waitlist) Civility persuasion · ${post.name}`
			]
		});
		const chinese = new URL(feedUrl('https://jx.example', token, 'zh-CN'));
		expect(feedLocale(chinese)).toBe('zh-CN');
		expect(await summaries(await calendarFeed(db, token, now, feedLocale(chinese)))).toEqual({
			name: '街巷 志愿服务',
			events: [`文明劝导 · ${post.name}`, `（候补）文明劝导 · ${post.name}`]
		});
	});

	it('reminds 24 hours and 1 hour before, once each, however often the job runs', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, now);
		const [v] = await makeVolunteers(db, 1);
		await bookShift(db, { shiftId: shifts[1].id, volunteerId: v, now });
		const start = shifts[1].startsAt.getTime();
		const kinds = async () =>
			(await db.select().from(notifications).where(eq(notifications.userId, v)))
				.map((n) => n.kind)
				.sort();
		await sendReminders(db, new Date(start - 30 * 3600_000));
		expect(await kinds()).toEqual([]);
		await Promise.all([
			sendReminders(db, new Date(start - 20 * 3600_000)),
			sendReminders(db, new Date(start - 20 * 3600_000))
		]);
		expect(await kinds()).toEqual(['reminder_24h']);
		await sendReminders(db, new Date(start - 40 * 60_000));
		await sendReminders(db, new Date(start - 30 * 60_000));
		expect(await kinds()).toEqual(['reminder_1h', 'reminder_24h']);
	});

	// PGlite has one connection, so nothing there can hold a row lock while the job runs.
	it.runIf(Boolean(process.env.DATABASE_URL))(
		'skips a booking another transaction holds, without waiting, and reminds it next run',
		async () => {
			const { db } = database;
			const { shifts } = await makePostWithShifts(db, now, { volunteersNeeded: 2 });
			const [held, free] = await makeVolunteers(db, 2);
			const heldBooking = await bookShift(db, { shiftId: shifts[1].id, volunteerId: held, now });
			await bookShift(db, { shiftId: shifts[1].id, volunteerId: free, now });
			const at = new Date(shifts[1].startsAt.getTime() - 20 * 3600_000);
			let release!: () => void;
			let taken!: () => void;
			const lockTaken = new Promise<void>((resolve) => (taken = resolve));
			// As a check-in or a move holds the booking's row until it commits.
			const holder = db.transaction(async (tx) => {
				await tx.select().from(bookings).where(eq(bookings.id, heldBooking.id)).for('update');
				taken();
				await new Promise<void>((resolve) => (release = resolve));
			});
			await lockTaken;
			const reminded = async (userId: string) =>
				(await db.select().from(notifications).where(eq(notifications.userId, userId))).length;
			try {
				// Finishes while the row is still held (a wait would time the test out).
				await sendReminders(db, at);
				expect(await reminded(free)).toBe(1);
				expect(await reminded(held)).toBe(0);
			} finally {
				release();
				await holder;
			}
			await sendReminders(db, new Date(at.getTime() + 60_000));
			expect(await reminded(held)).toBe(1);
			expect(await reminded(free)).toBe(1);
		}
	);
});
