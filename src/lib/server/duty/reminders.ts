import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import { localSpan } from '$lib/domain/duty';
import type { Db } from '../db';
import { activities, bookings, posts, shifts } from '../db/schema';
import { pushAfterCommit } from '../push/push';
import { notify, type NewNotification } from '../notify';

/**
 * Sends the 24-hour and 1-hour reminders that are due, in the app and by Web Push where the
 * volunteer subscribed. Each booking is claimed by one conditional update (`reminded_…_at is
 * null`) of the rows no one else holds, so two servers never send one twice, and a restart (or
 * the next run) picks up what is still due.
 */
export async function sendReminders(db: Db, now = new Date()): Promise<number> {
	let sent = 0;
	for (const [hours, column] of [
		[24, bookings.reminded24At],
		[1, bookings.reminded1At]
	] as const) {
		const dueCondition = and(
			eq(bookings.status, 'booked'),
			isNull(column),
			gt(bookings.startsAt, now),
			lte(bookings.startsAt, new Date(now.getTime() + hours * 3600_000))
		);
		// Bookings another transaction holds (a check-in, a move, a cancellation) are left for the
		// next run: the job never waits on a row lock, so it can never be part of a deadlock.
		const claimable = db
			.select({ id: bookings.id })
			.from(bookings)
			.where(dueCondition)
			.for('update', { skipLocked: true });
		const due = await db
			.update(bookings)
			.set(hours === 24 ? { reminded24At: now } : { reminded1At: now })
			.where(and(inArray(bookings.id, claimable), dueCondition))
			.returning({
				id: bookings.id,
				volunteerId: bookings.volunteerId,
				shiftId: bookings.shiftId,
				startsAt: bookings.startsAt,
				endsAt: bookings.endsAt
			});
		// A booking already inside the 1-hour window needs no 24-hour reminder as well.
		const items: NewNotification[] = [];
		for (const b of due) {
			if (hours === 24 && b.startsAt.getTime() - now.getTime() <= 3600_000) continue;
			const [row] = await db
				.select({
					name: posts.name,
					nameEn: posts.nameEn,
					activity: activities.title,
					place: activities.place
				})
				.from(shifts)
				.innerJoin(posts, eq(shifts.postId, posts.id))
				.leftJoin(activities, eq(activities.shiftId, shifts.id))
				.where(eq(shifts.id, b.shiftId));
			const when = localSpan(b.startsAt, b.endsAt);
			// An activity is named by its title and meeting place, a duty shift by its post.
			const where = row?.activity
				? { activity: row.activity, place: row.place ?? '' }
				: { post: row?.name ?? '', postEn: row?.nameEn };
			items.push({
				userId: b.volunteerId,
				kind: hours === 24 ? 'reminder_24h' : 'reminder_1h',
				params: { hours, when, ...where },
				link: '/volunteer/checkin',
				tag: `reminder-${b.id}`
			});
		}
		const notices = await notify(db, items);
		// Push is a courtesy on top of the in-app copy: a failure must not undo the claim.
		await pushAfterCommit(db, notices);
		sent += items.length;
	}
	return sent;
}
