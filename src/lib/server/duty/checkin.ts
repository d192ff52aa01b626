import { createHmac } from 'node:crypto';
import { and, eq, gte, isNotNull, isNull, lte } from 'drizzle-orm';
import { distanceMetres } from '$lib/domain/geo';
import { CHECK_IN_EARLY_MINUTES } from '$lib/domain/duty';
import { appSecret } from '../config';
import type { Db } from '../db';
import { bookings, posts, shifts } from '../db/schema';
import { lockVolunteers } from './booking';
import { DutyError } from './errors';
import { createServiceRecord } from './records';

/** A post's code rotates every 5 minutes. */
export const STEP_SECONDS = 300;
/** Codes one step either side of the time are accepted (clock drift, a code shown at rotation). */
export const TOLERANCE_STEPS = 1;
/** An offline scan must be synced within this time. */
export const OFFLINE_MAX_AGE_MS = 7 * 86400_000;
/** Check-out is possible until this long after the end. */
export const CHECK_OUT_GRACE_MS = 2 * 3600_000;
const FUTURE_SKEW_MS = 2 * 60_000;

export function timeStep(at: Date): number {
	return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/** The 6-digit code of a post for a time step: HMAC-SHA256 with dynamic truncation (RFC 4226). */
export function postCode(postId: string, step: number, secret = appSecret()): string {
	const mac = createHmac('sha256', secret).update(`duty-checkin:${postId}:${step}`).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const value = mac.readUInt32BE(offset) & 0x7fffffff;
	return String(value % 1_000_000).padStart(6, '0');
}

/** Whether a code was the post's code at `at`, within the tolerance. */
export function verifyPostCode(postId: string, code: string, at: Date): boolean {
	const step = timeStep(at);
	for (let d = -TOLERANCE_STEPS; d <= TOLERANCE_STEPS; d++) {
		if (postCode(postId, step + d) === code) return true;
	}
	return false;
}

/** What a coordinator's screen shows: the current code and when it changes. */
export function currentPostCode(postId: string, now = new Date()) {
	const step = timeStep(now);
	return {
		code: postCode(postId, step),
		validUntil: new Date((step + 1) * STEP_SECONDS * 1000)
	};
}

export interface ScanInput {
	volunteerId: string;
	code: string;
	/** Device time of an offline scan; absent for a live one. */
	deviceAt?: Date;
	lat?: number;
	lng?: number;
	now?: Date;
}

/**
 * When something done offline happened: its device time if given, refused when it lies in the
 * future or is older than an offline action may be; else now.
 */
export function actionTime(deviceAt: Date | undefined, now = new Date()) {
	if (!deviceAt) return { at: now, offline: false };
	const age = now.getTime() - deviceAt.getTime();
	if (age < -FUTURE_SKEW_MS || age > OFFLINE_MAX_AGE_MS) throw new DutyError('device_time', 400);
	return { at: deviceAt, offline: true };
}

function scanTime(input: ScanInput): { at: Date; offline: boolean } {
	return actionTime(input.deviceAt, input.now);
}

/**
 * Checks a volunteer in at the post whose code they typed or scanned: allowed from 30 minutes
 * before the start to the end of a booked shift. An offline scan is judged at its device time.
 */
export async function checkIn(db: Db, input: ScanInput) {
	const { at, offline } = scanTime(input);
	const early = new Date(at.getTime() + CHECK_IN_EARLY_MINUTES * 60_000);
	const candidates = await db
		.select({ booking: bookings, post: posts })
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(
			and(
				eq(bookings.volunteerId, input.volunteerId),
				eq(bookings.status, 'booked'),
				lte(bookings.startsAt, early),
				gte(bookings.endsAt, at)
			)
		);
	if (!candidates.length) throw new DutyError('not_in_window');
	const match = candidates.find((c) => verifyPostCode(c.post.id, input.code, at));
	if (!match) throw new DutyError('invalid_code', 400);
	if (match.booking.checkedInAt)
		return {
			bookingId: match.booking.id,
			post: match.post.name,
			postEn: match.post.nameEn,
			checkedInAt: match.booking.checkedInAt
		};
	const distance =
		input.lat !== undefined && input.lng !== undefined
			? Math.round(distanceMetres({ lat: input.lat, lng: input.lng }, match.post))
			: null;
	// The person's lock first: the update can add an entry to `bookings_no_overlap`, and one
	// beside a booking of theirs being made would wait on it while it waits on this (a deadlock).
	const [row] = await db.transaction(async (tx) => {
		await lockVolunteers(tx, [input.volunteerId]);
		return tx
			.update(bookings)
			.set({ checkedInAt: at, checkInOffline: offline, checkInDistanceM: distance })
			.where(and(eq(bookings.id, match.booking.id), isNull(bookings.checkedInAt)))
			.returning({ checkedInAt: bookings.checkedInAt });
	});
	return {
		bookingId: match.booking.id,
		post: match.post.name,
		postEn: match.post.nameEn,
		checkedInAt: row?.checkedInAt ?? at
	};
}

/** Checks out with the post's code; the service record is made from the two times. */
export async function checkOut(db: Db, input: ScanInput) {
	const { at } = scanTime(input);
	const candidates = await db
		.select({ booking: bookings, post: posts })
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(
			and(
				eq(bookings.volunteerId, input.volunteerId),
				eq(bookings.status, 'booked'),
				isNotNull(bookings.checkedInAt),
				isNull(bookings.checkedOutAt),
				lte(bookings.checkedInAt, at),
				gte(bookings.endsAt, new Date(at.getTime() - CHECK_OUT_GRACE_MS))
			)
		);
	if (!candidates.length) throw new DutyError('not_checked_in');
	const match = candidates.find((c) => verifyPostCode(c.post.id, input.code, at));
	if (!match) throw new DutyError('invalid_code', 400);
	return db.transaction(async (tx) => {
		await lockVolunteers(tx, [input.volunteerId]); // as in checkIn
		await tx.update(bookings).set({ checkedOutAt: at }).where(eq(bookings.id, match.booking.id));
		const record = await createServiceRecord(tx, match.booking.id);
		return {
			bookingId: match.booking.id,
			post: match.post.name,
			postEn: match.post.nameEn,
			checkedOutAt: at,
			minutes: record.minutes
		};
	});
}
