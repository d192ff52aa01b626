import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal, serviceMinutes } from '$lib/domain/duty';
import type { Database } from '../db';
import { bookings, serviceRecordEvents, serviceRecords } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift, lockVolunteers } from './booking';
import { checkIn, checkOut, postCode, timeStep, verifyPostCode, STEP_SECONDS } from './checkin';
import { takeScan } from './scan-endpoint';
import { DutyError } from './errors';
import {
	adjustRecord,
	finaliseRecords,
	listRecords,
	requestCorrection,
	totalMinutes
} from './records';
import { saveCalendarDay } from '../reports/settings';
import { makePostWithShifts, makeVolunteers } from './testing';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

const bookingTime = atLocal('2026-12-07', '09:00');

async function refusal(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DutyError) return error.code;
		throw error;
	}
	return 'accepted';
}

async function bookedShift() {
	const { db } = database;
	const { post, shifts } = await makePostWithShifts(database.db, bookingTime);
	const [v] = await makeVolunteers(db, 1);
	const booking = await bookShift(db, { shiftId: shifts[0].id, volunteerId: v, now: bookingTime });
	return { post, shift: shifts[0], volunteerId: v, bookingId: booking.id };
}

describe('post codes', () => {
	it('are 6 digits that rotate by time step and differ by post', () => {
		const at = new Date('2026-12-08T00:00:00Z');
		const code = postCode('post-a', timeStep(at));
		expect(code).toMatch(/^\d{6}$/);
		expect(verifyPostCode('post-a', code, at)).toBe(true);
		expect(verifyPostCode('post-a', code, new Date(at.getTime() + STEP_SECONDS * 1000))).toBe(true);
		expect(verifyPostCode('post-a', code, new Date(at.getTime() + 3 * STEP_SECONDS * 1000))).toBe(
			false
		);
		expect(verifyPostCode('post-b', code, at)).toBe(postCode('post-b', timeStep(at)) === code);
		expect(postCode('post-a', 1, 'other-secret')).not.toBe(postCode('post-a', 1));
	});
});

describe('service minutes', () => {
	it('are capped to the window, and nothing without a check-out', () => {
		const w = {
			startsAt: new Date('2026-12-08T00:00:00Z'),
			endsAt: new Date('2026-12-08T04:00:00Z')
		};
		expect(
			serviceMinutes(w, new Date('2026-12-07T23:40:00Z'), new Date('2026-12-08T05:00:00Z'))
		).toBe(240);
		expect(
			serviceMinutes(w, new Date('2026-12-08T01:00:00Z'), new Date('2026-12-08T02:30:00Z'))
		).toBe(90);
		expect(serviceMinutes(w, new Date('2026-12-08T01:00:00Z'), null)).toBe(0);
		expect(serviceMinutes(w, null, null)).toBe(0);
	});
});

describe(`check-in (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('accepts the current code from 30 minutes before the start, and refuses stale or forged codes', async () => {
		const { db } = database;
		const { post, shift, volunteerId } = await bookedShift();
		const tooEarly = new Date(shift.startsAt.getTime() - 45 * 60_000);
		expect(
			await refusal(
				checkIn(db, { volunteerId, code: postCode(post.id, timeStep(tooEarly)), now: tooEarly })
			)
		).toBe('not_in_window');
		const now = new Date(shift.startsAt.getTime() - 20 * 60_000);
		const stale = postCode(post.id, timeStep(now) - 3);
		expect(await refusal(checkIn(db, { volunteerId, code: stale, now }))).toBe('invalid_code');
		const forged = stale === '123456' ? '654321' : '123456';
		expect(await refusal(checkIn(db, { volunteerId, code: forged, now }))).toBe('invalid_code');
		const result = await checkIn(db, {
			volunteerId,
			code: postCode(post.id, timeStep(now)),
			now,
			lat: post.lat + 0.001,
			lng: post.lng
		});
		expect(result.checkedInAt).toEqual(now);
		const [row] = await db.select().from(bookings).where(eq(bookings.id, result.bookingId));
		expect(row.checkInDistanceM).toBeGreaterThan(100);
		expect(row.checkInDistanceM).toBeLessThan(125);
	});

	// PGlite has one connection, so nothing there can hold a lock while check-in runs.
	it.runIf(Boolean(process.env.DATABASE_URL))(
		'waits while a booking of the same person is being made, so the two never deadlock',
		async () => {
			const { db } = database;
			const { post, shift, volunteerId } = await bookedShift();
			let release!: () => void;
			let taken!: () => void;
			const lockTaken = new Promise<void>((resolve) => (taken = resolve));
			// What bookShift holds for this person until its insert commits.
			const booking = db.transaction(async (tx) => {
				await lockVolunteers(tx, [volunteerId]);
				taken();
				await new Promise<void>((resolve) => (release = resolve));
			});
			await lockTaken;
			let finished = false;
			const now = shift.startsAt;
			const checking = checkIn(db, {
				volunteerId,
				code: postCode(post.id, timeStep(now)),
				now
			}).finally(() => (finished = true));
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(finished).toBe(false);
			release();
			await booking;
			expect((await checking).checkedInAt).toEqual(now);
		}
	);

	it('verifies an offline scan at its device time, within the tolerance only', async () => {
		const { db } = database;
		const { post, shift, volunteerId } = await bookedShift();
		const deviceAt = new Date(shift.startsAt.getTime() + 10 * 60_000);
		const syncedAt = new Date(shift.endsAt.getTime() + 3 * 3600_000);
		// The code shown at the device time is accepted hours later.
		const wrongTime = postCode(post.id, timeStep(deviceAt) + 5);
		expect(
			await refusal(checkIn(db, { volunteerId, code: wrongTime, deviceAt, now: syncedAt }))
		).toBe('invalid_code');
		expect(
			await refusal(
				checkIn(db, {
					volunteerId,
					code: postCode(post.id, timeStep(deviceAt)),
					deviceAt: new Date(syncedAt.getTime() + 3600_000),
					now: syncedAt
				})
			)
		).toBe('device_time');
		const ok = await checkIn(db, {
			volunteerId,
			code: postCode(post.id, timeStep(deviceAt)),
			deviceAt,
			now: syncedAt
		});
		expect(ok.checkedInAt).toEqual(deviceAt);
		const [row] = await db.select().from(bookings).where(eq(bookings.id, ok.bookingId));
		expect(row.checkInOffline).toBe(true);
	});

	it('turns check-in and check-out into hours capped to the window; an absence gives none', async () => {
		const { db } = database;
		const { post, shift, volunteerId } = await bookedShift();
		const inAt = new Date(shift.startsAt.getTime() - 25 * 60_000);
		await checkIn(db, { volunteerId, code: postCode(post.id, timeStep(inAt)), now: inAt });
		expect(await totalMinutes(db, volunteerId)).toBe(0);
		const outAt = new Date(shift.endsAt.getTime() + 30 * 60_000);
		const out = await checkOut(db, {
			volunteerId,
			code: postCode(post.id, timeStep(outAt)),
			now: outAt
		});
		expect(out.minutes).toBe(240);
		expect(await totalMinutes(db, volunteerId)).toBe(240);
		const [{ record }] = await listRecords(db, volunteerId);
		expect(record).toMatchObject({
			place: post.name,
			minutes: 240,
			serviceDate: '2026-12-08',
			organisingUnit: '和平路街道'
		});
		// The absent volunteer: booked, never checked in.
		const absent = await bookedShift();
		expect(await totalMinutes(db, absent.volunteerId)).toBe(0);
		expect(
			await refusal(
				checkOut(db, {
					volunteerId: absent.volunteerId,
					code: postCode(absent.post.id, timeStep(outAt)),
					now: outAt
				})
			)
		).toBe('not_checked_in');
	});

	it('lets a coordinator adjust with an audited reason, takes corrections until final', async () => {
		const { db } = database;
		const { post, shift, volunteerId } = await bookedShift();
		const [coordinator] = await makeVolunteers(db, 1);
		await checkIn(db, {
			volunteerId,
			code: postCode(post.id, timeStep(shift.startsAt)),
			now: shift.startsAt
		});
		const outAt = new Date(shift.startsAt.getTime() + 60 * 60_000);
		await checkOut(db, { volunteerId, code: postCode(post.id, timeStep(outAt)), now: outAt });
		const [{ record }] = await listRecords(db, volunteerId);
		expect(record.minutes).toBe(60);
		await requestCorrection(db, {
			recordId: record.id,
			volunteerId,
			reason: '忘记签退',
			now: outAt
		});
		const [{ pendingCorrection }] = await listRecords(db, volunteerId);
		expect(pendingCorrection).toBe(true);
		await adjustRecord(db, {
			recordId: record.id,
			actorUserId: coordinator,
			minutes: 240,
			reason: '核实全程在岗'
		});
		const trail = await db
			.select()
			.from(serviceRecordEvents)
			.where(eq(serviceRecordEvents.recordId, record.id));
		expect(trail.find((e) => e.kind === 'adjust')).toMatchObject({
			fromMinutes: 60,
			toMinutes: 240,
			reason: '核实全程在岗'
		});
		expect(await totalMinutes(db, volunteerId)).toBe(240);
		// After 10 working days the record is final.
		expect(await finaliseRecords(db, atLocal(record.finalisesOn, '12:00'))).toBe(0);
		expect(await finaliseRecords(db, atLocal('2026-12-23', '01:00'))).toBeGreaterThanOrEqual(1);
		expect(
			await refusal(requestCorrection(db, { recordId: record.id, volunteerId, reason: 'x' }))
		).toBe('record_final');
		expect(
			await refusal(
				adjustRecord(db, { recordId: record.id, actorUserId: coordinator, minutes: 1, reason: 'x' })
			)
		).toBe('record_final');
	});
});

describe(`record finalisation (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('counts 10 working days by the admin’s holiday calendar, even a holiday added later', async () => {
		const { db } = database;
		const { post, shift, volunteerId } = await bookedShift();
		await checkIn(db, {
			volunteerId,
			code: postCode(post.id, timeStep(shift.startsAt)),
			now: shift.startsAt
		});
		const outAt = new Date(shift.startsAt.getTime() + 90 * 60_000);
		await checkOut(db, { volunteerId, code: postCode(post.id, timeStep(outAt)), now: outAt });
		const mine = async () => (await listRecords(db, volunteerId))[0].record;
		// Tuesday 12-08 + 10 working days (Monday to Friday) = Tuesday 12-22.
		expect(await mine()).toMatchObject({ serviceDate: '2026-12-08', finalisesOn: '2026-12-22' });
		// The admin marks Thursday 12-10 a holiday after the record was made.
		await saveCalendarDay(db, { day: '2026-12-10', kind: 'holiday', name: '测试假日' });
		await finaliseRecords(db, atLocal('2026-12-23', '01:00'));
		expect(await mine()).toMatchObject({ finalisesOn: '2026-12-23', finalisedAt: null });
		// So a correction can still be asked for on the 23rd.
		await requestCorrection(db, {
			recordId: (await mine()).id,
			volunteerId,
			reason: '签退时间有误',
			now: atLocal('2026-12-23', '09:00')
		});
		await finaliseRecords(db, atLocal('2026-12-24', '01:00'));
		expect((await mine()).finalisedAt).not.toBeNull();
		// A record made while the holiday is listed gets the later date at once.
		const second = await bookedShift();
		await checkIn(db, {
			volunteerId: second.volunteerId,
			code: postCode(second.post.id, timeStep(second.shift.startsAt)),
			now: second.shift.startsAt
		});
		await checkOut(db, {
			volunteerId: second.volunteerId,
			code: postCode(second.post.id, timeStep(outAt)),
			now: outAt
		});
		expect((await listRecords(db, second.volunteerId))[0].record.finalisesOn).toBe('2026-12-23');
	});
});

describe(`scans with an Idempotency-Key (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('answer a resent check-out as the first time, with one service record', async () => {
		const { db } = database;
		const { post, shift, volunteerId, bookingId } = await bookedShift();
		const at = (minutes: number) => new Date(shift.startsAt.getTime() + minutes * 60_000);
		const scan = (kind: 'in' | 'out', minutes: number, key: string | null) =>
			takeScan(db, {
				kind,
				volunteerId,
				key,
				body: { code: postCode(post.id, timeStep(at(minutes))) },
				now: at(minutes)
			});
		expect((await scan('in', 0, null)).status).toBe(200);
		const first = await scan('out', 60, 'scan-out-aaaaaaaa');
		expect(first.status).toBe(200);
		// The answer was lost on the way; the phone sends the same scan again.
		// As the phone reads it: JSON.
		const asJson = (answer: unknown) => JSON.parse(JSON.stringify(answer));
		expect(asJson(await scan('out', 60, 'scan-out-aaaaaaaa'))).toEqual(asJson(first));
		// Without the key the same scan is a new one, refused: there is no check-in left to close.
		expect(await refusal(scan('out', 60, null))).toBe('not_checked_in');
		const records = await db
			.select()
			.from(serviceRecords)
			.where(eq(serviceRecords.bookingId, bookingId));
		expect(records).toHaveLength(1);
		expect(records[0].minutes).toBe(60);
	});
});
