import { and, asc, eq, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import { localSpan } from '$lib/domain/duty';
import { inTransaction, rowsOf, type Db } from '../db';
import {
	activities,
	bookings,
	posts,
	shifts,
	standInRequests,
	volunteerProfiles
} from '../db/schema';
import { DutyError, EXCLUSION_VIOLATION, pgCode } from './errors';
import { notify, type Notice } from '../notify';
import { pushAfterCommit } from '../push/push';

export interface BookingResult {
	id: string;
	status: 'booked' | 'waitlisted';
}

/**
 * Books a place on a shift, or a waitlist place when it is full. The shift row is locked and the
 * count moves by a conditional update (`booked < capacity`), with the table's CHECK as a backstop;
 * overlapping places of one person are refused by the `bookings_no_overlap` exclusion constraint,
 * one request at a time per person (see `lockVolunteers`).
 */
export async function bookShift(
	db: Db,
	input: { shiftId: string; volunteerId: string; waitlist?: boolean; now?: Date }
): Promise<BookingResult> {
	const now = input.now ?? new Date();
	return refusingOverlap(() =>
		inTransaction(db, async (tx) => {
			const shift = await lockShift(tx, input.shiftId);
			if (shift.status !== 'open' || now < shift.signupOpensAt || now >= shift.startsAt)
				throw new DutyError('closed');
			return reservePlace(tx, shift, input.volunteerId, input.waitlist ?? true);
		})
	);
}

/**
 * Calls a shift off: every live booking on it is cancelled and its places are freed. Returns the
 * volunteers who held one, booked or waiting, so that the caller tells them why.
 */
export async function cancelShift(tx: Db, shiftId: string, now: Date): Promise<string[]> {
	await lockShift(tx, shiftId);
	const cancelled = await tx
		.update(bookings)
		.set({ status: 'cancelled', cancelledAt: now })
		.where(and(eq(bookings.shiftId, shiftId), ne(bookings.status, 'cancelled')))
		.returning({ volunteerId: bookings.volunteerId });
	await tx.update(shifts).set({ status: 'cancelled', booked: 0 }).where(eq(shifts.id, shiftId));
	return cancelled.map((booking) => booking.volunteerId);
}

/**
 * Moves and resizes a shift before it starts: its live bookings move with it (their reminders go
 * out again for the new time), a capacity below the people booked is refused, and new places go
 * to the waitlist. Returns everyone holding or waiting for a place, so the caller can tell them,
 * and the notices of those given a place, to push once the transaction commits.
 * Someone with another place at the new time makes the move fail with an exclusion violation
 * (`bookings_no_overlap`), which aborts the transaction.
 */
export async function rescheduleShift(
	tx: Db,
	shiftId: string,
	change: Pick<
		typeof shifts.$inferSelect,
		'postId' | 'startsAt' | 'endsAt' | 'capacity' | 'cancelCutoffAt'
	>,
	now: Date
): Promise<{ people: string[]; promoted: Notice[] }> {
	const shift = await lockShift(tx, shiftId);
	if (change.capacity < shift.booked)
		throw new DutyError('invalid_input', 400, { capacity: 'below_booked' });
	const live = and(eq(bookings.shiftId, shiftId), ne(bookings.status, 'cancelled'));
	const people = (
		await tx.select({ volunteerId: bookings.volunteerId }).from(bookings).where(live)
	).map((booking) => booking.volunteerId);
	const moved =
		change.startsAt.getTime() !== shift.startsAt.getTime() ||
		change.endsAt.getTime() !== shift.endsAt.getTime();
	if (moved) {
		// As booking does: the people's locks before their rows move, so the overlap check cannot deadlock.
		await lockVolunteers(tx, people);
		await tx
			.update(bookings)
			.set({
				startsAt: change.startsAt,
				endsAt: change.endsAt,
				reminded24At: null,
				reminded1At: null
			})
			.where(live);
	}
	await tx.update(shifts).set(change).where(eq(shifts.id, shiftId));
	const promoted = change.capacity > shift.capacity ? await promoteWaitlist(tx, shiftId, now) : [];
	return { people, promoted };
}

/** The shift's row, locked until the transaction ends: every change of its places goes through here. */
async function lockShift(tx: Db, shiftId: string) {
	const [shift] = await tx.select().from(shifts).where(eq(shifts.id, shiftId)).for('update');
	if (!shift) throw new DutyError('not_found', 404);
	return shift;
}

/**
 * Locks volunteers' profile rows, in id order, before any of their bookings is inserted or moved
 * up. Two overlapping inserts for one person would otherwise each wait on the other's unfinished
 * row in the `bookings_no_overlap` check: a deadlock, not the `overlap` refusal. Callers lock the
 * shift first, then these; a check-in, which locks no shift, takes only its volunteer's.
 */
export async function lockVolunteers(tx: Db, volunteerIds: string[]): Promise<string[]> {
	if (!volunteerIds.length) return [];
	const locked = await tx
		.select({ userId: volunteerProfiles.userId })
		.from(volunteerProfiles)
		.where(inArray(volunteerProfiles.userId, volunteerIds))
		.orderBy(asc(volunteerProfiles.userId))
		.for('no key update');
	return locked.map((row) => row.userId);
}

async function lockVolunteer(tx: Db, volunteerId: string): Promise<void> {
	const [locked] = await lockVolunteers(tx, [volunteerId]);
	if (!locked) throw new DutyError('profile_required', 403);
}

/** Takes one place if one is free: a conditional update, with the table's CHECK as a backstop. */
async function claimPlace(tx: Db, shiftId: string): Promise<boolean> {
	const taken = await tx
		.update(shifts)
		.set({ booked: sql`${shifts.booked} + 1` })
		.where(and(eq(shifts.id, shiftId), lt(shifts.booked, shifts.capacity)))
		.returning({ booked: shifts.booked });
	return taken.length > 0;
}

/**
 * A new booking (or waitlist place) on a locked shift. Two statements, as every round trip here
 * is made with the shift locked: one locks the volunteer and finds a live booking of theirs on
 * the shift, the other claims a place as `claimPlace` does and inserts the booking.
 */
async function reservePlace(
	tx: Db,
	shift: typeof shifts.$inferSelect,
	volunteerId: string,
	waitlist: boolean
): Promise<BookingResult> {
	const [volunteer] = await tx
		.select({
			booked: sql<boolean>`exists (select 1 from ${bookings} where ${and(
				eq(bookings.shiftId, shift.id),
				eq(bookings.volunteerId, volunteerId),
				ne(bookings.status, 'cancelled')
			)})`
		})
		.from(volunteerProfiles)
		.where(eq(volunteerProfiles.userId, volunteerId))
		.for('no key update');
	if (!volunteer) throw new DutyError('profile_required', 403);
	if (volunteer.booked) throw new DutyError('already_booked');
	// The update in `claimed` runs whether or not the insert below takes a row.
	const [row] = rowsOf<BookingResult>(
		await tx.execute(sql`
			with claimed as (
				update ${shifts} set booked = booked + 1
				where id = ${shift.id}::uuid and booked < capacity
				returning id
			)
			insert into ${bookings} (shift_id, volunteer_id, status, starts_at, ends_at)
			select ${shift.id}::uuid, ${volunteerId}::uuid,
				case when exists (select 1 from claimed) then 'booked' else 'waitlisted' end,
				${shift.startsAt.toISOString()}::timestamptz, ${shift.endsAt.toISOString()}::timestamptz
			where exists (select 1 from claimed) or ${waitlist}::boolean
			returning id, status
		`)
	);
	if (!row) throw new DutyError('shift_full');
	return { id: row.id, status: row.status };
}

async function refusingOverlap<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (pgCode(error) === EXCLUSION_VIOLATION) throw new DutyError('overlap');
		throw error;
	}
}

/**
 * A volunteer accepts a stand-in request (顶岗): the place the absence opened is taken with the
 * same lock and conditional update as a booking, so it can go to one person only. Unlike a
 * booking, it can be taken after the start, until the end. Someone on this shift's waitlist is
 * moved up rather than booked twice.
 */
export async function acceptStandIn(
	db: Db,
	input: { requestId: string; volunteerId: string; now?: Date }
): Promise<BookingResult> {
	const now = input.now ?? new Date();
	return refusingOverlap(() =>
		db.transaction(async (tx) => {
			const [found] = await tx
				.select({ shiftId: standInRequests.shiftId })
				.from(standInRequests)
				.where(eq(standInRequests.id, input.requestId));
			if (!found) throw new DutyError('not_found', 404);
			const shift = await lockShift(tx, found.shiftId);
			const [request] = await tx
				.select()
				.from(standInRequests)
				.where(eq(standInRequests.id, input.requestId));
			if (request.status !== 'open') throw new DutyError('stand_in_taken');
			if (shift.status !== 'open' || now >= shift.endsAt) throw new DutyError('closed');
			await lockVolunteer(tx, input.volunteerId);
			const [waiting] = await tx
				.select({ id: bookings.id })
				.from(bookings)
				.where(
					and(
						eq(bookings.shiftId, shift.id),
						eq(bookings.volunteerId, input.volunteerId),
						eq(bookings.status, 'waitlisted')
					)
				);
			let result: BookingResult;
			if (waiting) {
				if (!(await claimPlace(tx, shift.id))) throw new DutyError('shift_full');
				await tx
					.update(bookings)
					.set({ status: 'booked', promotedAt: now })
					.where(eq(bookings.id, waiting.id));
				result = { id: waiting.id, status: 'booked' };
			} else {
				result = await reservePlace(tx, shift, input.volunteerId, false);
			}
			await tx
				.update(standInRequests)
				.set({ status: 'filled', filledByBookingId: result.id, filledAt: now })
				.where(eq(standInRequests.id, request.id));
			return result;
		})
	);
}

/** A stand-in request with its post and times, for the volunteer's page. */
export async function getStandIn(db: Db, id: string) {
	const [row] = await db
		.select({
			id: standInRequests.id,
			status: standInRequests.status,
			shiftId: shifts.id,
			startsAt: shifts.startsAt,
			endsAt: shifts.endsAt,
			postName: posts.name,
			postNameEn: posts.nameEn,
			coordinatorName: posts.coordinatorName
		})
		.from(standInRequests)
		.innerJoin(shifts, eq(standInRequests.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(eq(standInRequests.id, id));
	return row;
}

/**
 * Gives free places to the first on the waitlist, in order, and tells them in the app. Call inside
 * a transaction that holds the shift's row lock; returns the notices, to push once it commits.
 */
export async function promoteWaitlist(
	tx: Db,
	shiftId: string,
	now = new Date()
): Promise<Notice[]> {
	const [shift] = await tx
		.select({ shift: shifts, postName: posts.name, postNameEn: posts.nameEn })
		.from(shifts)
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(eq(shifts.id, shiftId));
	if (!shift || shift.shift.status !== 'open' || shift.shift.startsAt <= now) return [];
	const free = shift.shift.capacity - shift.shift.booked;
	if (free <= 0) return [];
	const next = await tx
		.select({ id: bookings.id, volunteerId: bookings.volunteerId })
		.from(bookings)
		.where(and(eq(bookings.shiftId, shiftId), eq(bookings.status, 'waitlisted')))
		.orderBy(asc(bookings.seq))
		.limit(free)
		.for('update');
	if (!next.length) return [];
	await lockVolunteers(
		tx,
		next.map((b) => b.volunteerId)
	);
	await tx
		.update(bookings)
		.set({ status: 'booked', promotedAt: now })
		.where(
			inArray(
				bookings.id,
				next.map((b) => b.id)
			)
		);
	await tx
		.update(shifts)
		.set({ booked: sql`${shifts.booked} + ${next.length}` })
		.where(eq(shifts.id, shiftId));
	const when = localSpan(shift.shift.startsAt, shift.shift.endsAt);
	return notify(
		tx,
		next.map((b) => ({
			userId: b.volunteerId,
			kind: 'waitlist_promoted' as const,
			params: { post: shift.postName, postEn: shift.postNameEn, when },
			link: '/volunteer',
			tag: `promoted-${shiftId}`
		}))
	);
}

/**
 * Cancels a booking by its volunteer. A booked place can be given up until the shift's cut-off;
 * the freed place goes to the first on the waitlist. Locks the shift before the booking, the
 * same order as booking, so concurrent cancellations cannot deadlock.
 */
export async function cancelBooking(
	db: Db,
	input: { bookingId: string; volunteerId: string; now?: Date }
): Promise<{ id: string; status: 'cancelled'; promoted: number }> {
	const now = input.now ?? new Date();
	let told: Notice[] = [];
	const result = await db.transaction(async (tx) => {
		const [found] = await tx
			.select({ shiftId: bookings.shiftId, volunteerId: bookings.volunteerId })
			.from(bookings)
			.where(eq(bookings.id, input.bookingId));
		if (!found || found.volunteerId !== input.volunteerId) throw new DutyError('not_found', 404);
		const [shift] = await tx
			.select()
			.from(shifts)
			.where(eq(shifts.id, found.shiftId))
			.for('update');
		const [booking] = await tx
			.select()
			.from(bookings)
			.where(eq(bookings.id, input.bookingId))
			.for('update');
		if (booking.status === 'cancelled')
			return { id: booking.id, status: 'cancelled' as const, promoted: 0 };
		if (booking.status === 'booked' && now >= shift.cancelCutoffAt)
			throw new DutyError('cancel_closed');
		await tx
			.update(bookings)
			.set({ status: 'cancelled', cancelledAt: now })
			.where(eq(bookings.id, booking.id));
		if (booking.status === 'booked') {
			await tx
				.update(shifts)
				.set({ booked: sql`${shifts.booked} - 1` })
				.where(eq(shifts.id, shift.id));
			told = await promoteWaitlist(tx, shift.id, now);
		}
		return { id: booking.id, status: 'cancelled' as const, promoted: told.length };
	});
	void pushAfterCommit(db, told);
	return result;
}

/** A volunteer's active and recent bookings, newest shift last. */
export async function myBookings(db: Db, volunteerId: string, options: { since?: Date } = {}) {
	const since = options.since ?? new Date(Date.now() - 7 * 86400_000);
	return db
		.select({
			id: bookings.id,
			status: bookings.status,
			startsAt: bookings.startsAt,
			endsAt: bookings.endsAt,
			checkedInAt: bookings.checkedInAt,
			checkedOutAt: bookings.checkedOutAt,
			shiftId: shifts.id,
			cancelCutoffAt: shifts.cancelCutoffAt,
			postId: posts.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			activityTitle: activities.title,
			waitlistPosition: sql<
				number | null
			>`case when "bookings"."status" = 'waitlisted' then (select count(*)::int from bookings w where w.shift_id = "bookings"."shift_id" and w.status = 'waitlisted' and w.seq <= "bookings"."seq") end`
		})
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.leftJoin(activities, eq(activities.shiftId, shifts.id))
		.where(
			and(
				eq(bookings.volunteerId, volunteerId),
				ne(bookings.status, 'cancelled'),
				gte(bookings.endsAt, since)
			)
		)
		.orderBy(asc(bookings.startsAt));
}

export async function getBooking(db: Db, id: string) {
	const [row] = await db.select().from(bookings).where(eq(bookings.id, id));
	return row;
}
