import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { ActivityInput } from '$lib/domain/activities';
import { atLocal, localSpan } from '$lib/domain/duty';
import { inScope, type StaffScope } from '../auth/permissions';
import type { Db } from '../db';
import {
	activities,
	activityParticipations,
	bookings,
	departments,
	posts,
	propertyCompanies,
	shifts,
	users
} from '../db/schema';
import { cancelShift, rescheduleShift } from '../duty/booking';
import { DutyError, EXCLUSION_VIOLATION, pgCode } from '../duty/errors';
import { notify, type Notice } from '../notify';
import { pushAfterCommit } from '../push/push';

/*
 * One-off volunteer activities (clean-ups, publicity events). Each owns one shift with no
 * template, so booking, the waitlist, check-in with the post's code and service records are the
 * duty module's own code: the capacity guarantee is the same conditional update and CHECK.
 */

/** Cancelling is possible until this long before the start, as for template shifts by default. */
export const ACTIVITY_CANCEL_CUTOFF_HOURS = 2;

/** The post people gather at: active and within the staff member's scope. */
async function postInScope(tx: Db, postId: string, scope: StaffScope) {
	const [post] = await tx
		.select({ id: posts.id, communityId: posts.communityId, active: posts.active })
		.from(posts)
		.where(eq(posts.id, postId));
	if (!post || !post.active) throw new DutyError('invalid_input', 400, { post: 'choice' });
	if (!inScope(scope, { communityId: post.communityId })) throw new DutyError('forbidden', 403);
	return post;
}

/** The activity's times, refused unless still to come. */
function timesOf(input: ActivityInput, now: Date) {
	const startsAt = atLocal(input.day, input.startTime);
	const endsAt = atLocal(input.day, input.endTime);
	if (startsAt <= now) throw new DutyError('invalid_input', 400, { day: 'activity_past' });
	const cancelCutoffAt = new Date(
		Math.max(now.getTime(), startsAt.getTime() - ACTIVITY_CANCEL_CUTOFF_HOURS * 3600_000)
	);
	return { startsAt, endsAt, cancelCutoffAt };
}

/** The activity's own columns, as the form gives them. */
const describedBy = (input: ActivityInput) => ({
	kind: input.kind,
	title: input.title,
	description: input.description,
	place: input.place,
	responsiblePerson: input.responsiblePerson
});

export async function createActivity(
	db: Db,
	input: ActivityInput,
	user: { id: string; departmentId: string | null },
	scope: StaffScope,
	now = new Date()
): Promise<string> {
	const times = timesOf(input, now);
	return db.transaction(async (tx) => {
		const post = await postInScope(tx, input.post, scope);
		const [shift] = await tx
			.insert(shifts)
			.values({
				postId: post.id,
				...times,
				capacity: input.capacity,
				staffNeeded: 0,
				signupOpensAt: now
			})
			.returning({ id: shifts.id });
		const [activity] = await tx
			.insert(activities)
			.values({
				shiftId: shift.id,
				...describedBy(input),
				organiserDepartmentId: user.departmentId,
				createdByUserId: user.id
			})
			.returning({ id: activities.id });
		return activity.id;
	});
}

/**
 * Changes an activity before it starts. Its places move with it; the capacity cannot drop below
 * the people booked, and new places go to the waitlist. When the time or the meeting point
 * changes, everyone booked or waiting is told, in the app and by push (`pushing`).
 */
export async function updateActivity(
	db: Db,
	activityId: string,
	input: ActivityInput,
	scope: StaffScope,
	now = new Date()
): Promise<{ pushing: Promise<number> }> {
	let told: Notice[];
	try {
		told = await db.transaction(async (tx) => {
			const [before] = await tx
				.select({
					shiftId: shifts.id,
					status: shifts.status,
					startsAt: shifts.startsAt,
					endsAt: shifts.endsAt,
					postId: shifts.postId,
					place: activities.place,
					communityId: posts.communityId
				})
				.from(activities)
				.innerJoin(shifts, eq(activities.shiftId, shifts.id))
				.innerJoin(posts, eq(shifts.postId, posts.id))
				.where(eq(activities.id, activityId));
			if (!before) throw new DutyError('not_found', 404);
			if (!inScope(scope, { communityId: before.communityId }))
				throw new DutyError('forbidden', 403);
			if (before.status === 'cancelled') throw new DutyError('activity_cancelled');
			if (before.startsAt <= now) throw new DutyError('activity_started');
			const times = timesOf(input, now);
			const post = await postInScope(tx, input.post, scope);
			const { people, promoted } = await rescheduleShift(
				tx,
				before.shiftId,
				{ postId: post.id, capacity: input.capacity, ...times },
				now
			);
			await tx.update(activities).set(describedBy(input)).where(eq(activities.id, activityId));
			const changed =
				times.startsAt.getTime() !== before.startsAt.getTime() ||
				times.endsAt.getTime() !== before.endsAt.getTime() ||
				post.id !== before.postId ||
				input.place !== before.place;
			if (!changed) return promoted;
			const when = localSpan(times.startsAt, times.endsAt);
			const moved = await notify(
				tx,
				people.map((userId) => ({
					userId,
					kind: 'activity_changed' as const,
					params: { title: input.title, when, place: input.place },
					link: '/volunteer/activities',
					tag: `activity-changed-${activityId}`
				}))
			);
			return [...promoted, ...moved];
		});
	} catch (error) {
		// Someone booked has another place at the new time: the move would double-book them.
		if (pgCode(error) === EXCLUSION_VIOLATION)
			throw new DutyError('invalid_input', 409, { day: 'activity_overlap' });
		throw error;
	}
	return { pushing: pushAfterCommit(db, told) };
}

export const CANCEL_REASON_MAX = 200;

/**
 * Calls an activity off before it starts (rain, an order from above): its places are freed and
 * everyone booked or waiting gets the reason, in the app and by push (`pushing`: how many pushes
 * the services took). Calling off one already called off changes nothing.
 */
export async function cancelActivity(
	db: Db,
	activityId: string,
	reason: string,
	now = new Date()
): Promise<{ pushing: Promise<number> }> {
	const why = reason.trim();
	if (!why) throw new DutyError('invalid_input', 400, { reason: 'required' });
	if (why.length > CANCEL_REASON_MAX)
		throw new DutyError('invalid_input', 400, { reason: 'too_long' });
	const told = await db.transaction(async (tx) => {
		const [activity] = await tx
			.select({
				title: activities.title,
				shiftId: shifts.id,
				status: shifts.status,
				startsAt: shifts.startsAt,
				endsAt: shifts.endsAt
			})
			.from(activities)
			.innerJoin(shifts, eq(activities.shiftId, shifts.id))
			.where(eq(activities.id, activityId));
		if (!activity) throw new DutyError('not_found', 404);
		if (activity.status === 'cancelled') return [];
		// People may be on site and checked in, with service records to come.
		if (activity.startsAt <= now) throw new DutyError('activity_started');
		const people = await cancelShift(tx, activity.shiftId, now);
		const when = localSpan(activity.startsAt, activity.endsAt);
		return notify(
			tx,
			people.map((userId) => ({
				userId,
				kind: 'activity_cancelled' as const,
				params: { title: activity.title, when, reason: why },
				link: '/volunteer/activities'
			}))
		);
	});
	return { pushing: pushAfterCommit(db, told, `activity-cancelled-${activityId}`) };
}

const activityColumns = {
	id: activities.id,
	kind: activities.kind,
	title: activities.title,
	description: activities.description,
	place: activities.place,
	responsiblePerson: activities.responsiblePerson,
	organiser: departments.name,
	shiftId: shifts.id,
	startsAt: shifts.startsAt,
	endsAt: shifts.endsAt,
	capacity: shifts.capacity,
	booked: shifts.booked,
	status: shifts.status,
	signupOpensAt: shifts.signupOpensAt,
	cancelCutoffAt: shifts.cancelCutoffAt,
	postId: posts.id,
	postName: posts.name,
	postNameEn: posts.nameEn,
	communityId: posts.communityId,
	waitlisted: sql<number>`(select count(*)::int from bookings b where b.shift_id = ${shifts.id} and b.status = 'waitlisted')`
};

function activityQuery(db: Db) {
	return db
		.select(activityColumns)
		.from(activities)
		.innerJoin(shifts, eq(activities.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.leftJoin(departments, eq(activities.organiserDepartmentId, departments.id));
}

/** Activities still to come (or under way), soonest first: what volunteers can book. */
export async function listUpcomingActivities(db: Db, now = new Date()) {
	return activityQuery(db)
		.where(and(eq(shifts.status, 'open'), gt(shifts.endsAt, now)))
		.orderBy(asc(shifts.startsAt))
		.limit(200);
}

/** Every activity, newest first, within the staff member's scope. */
export async function listActivitiesForStaff(db: Db, scope: StaffScope) {
	const rows = await activityQuery(db).orderBy(desc(shifts.startsAt)).limit(200);
	return rows.filter((r) => inScope(scope, { communityId: r.communityId }));
}

/** One activity with the people booked and the property companies that took part. */
export async function activityDetail(db: Db, id: string) {
	const [activity] = await activityQuery(db).where(eq(activities.id, id));
	if (!activity) return null;
	const people = await db
		.select({
			bookingId: bookings.id,
			name: users.name,
			status: bookings.status,
			checkedInAt: bookings.checkedInAt,
			checkedOutAt: bookings.checkedOutAt
		})
		.from(bookings)
		.innerJoin(users, eq(bookings.volunteerId, users.id))
		.where(and(eq(bookings.shiftId, activity.shiftId), sql`${bookings.status} <> 'cancelled'`))
		.orderBy(asc(bookings.seq));
	const companies = await db
		.select({
			id: activityParticipations.id,
			companyId: propertyCompanies.id,
			company: propertyCompanies.name,
			note: activityParticipations.note
		})
		.from(activityParticipations)
		.innerJoin(
			propertyCompanies,
			eq(activityParticipations.propertyCompanyId, propertyCompanies.id)
		)
		.where(eq(activityParticipations.activityId, id))
		.orderBy(asc(propertyCompanies.name));
	return { ...activity, people, companies };
}

/** Records that a property company took part (once per activity); false when either is unknown. */
export async function recordParticipation(
	db: Db,
	input: { activityId: string; propertyCompanyId: string; note: string },
	user: { id: string }
): Promise<boolean> {
	const [company] = await db
		.select({ id: propertyCompanies.id })
		.from(propertyCompanies)
		.where(eq(propertyCompanies.id, input.propertyCompanyId));
	const [activity] = await db
		.select({ id: activities.id })
		.from(activities)
		.where(eq(activities.id, input.activityId));
	if (!company || !activity) return false;
	await db
		.insert(activityParticipations)
		.values({
			activityId: activity.id,
			propertyCompanyId: company.id,
			note: input.note.trim() || null,
			recordedByUserId: user.id
		})
		.onConflictDoUpdate({
			target: [activityParticipations.activityId, activityParticipations.propertyCompanyId],
			set: { note: input.note.trim() || null }
		});
	return true;
}

export async function removeParticipation(db: Db, activityId: string, participationId: string) {
	await db
		.delete(activityParticipations)
		.where(
			and(
				eq(activityParticipations.id, participationId),
				eq(activityParticipations.activityId, activityId)
			)
		);
}

/** Activities each property company took part in, for those starting in [from, to). */
export async function participationCounts(db: Db, period: { from: Date; to: Date }) {
	return db
		.select({
			companyId: activityParticipations.propertyCompanyId,
			company: propertyCompanies.name,
			activities: sql<number>`count(*)::int`
		})
		.from(activityParticipations)
		.innerJoin(activities, eq(activityParticipations.activityId, activities.id))
		.innerJoin(shifts, eq(activities.shiftId, shifts.id))
		.innerJoin(
			propertyCompanies,
			eq(activityParticipations.propertyCompanyId, propertyCompanies.id)
		)
		.where(and(gte(shifts.startsAt, period.from), lt(shifts.startsAt, period.to)))
		.groupBy(activityParticipations.propertyCompanyId, propertyCompanies.name);
}

/** What the service record of an activity's shift says instead of the fixed-post defaults. */
export async function activityRecordFields(db: Db, shiftId: string) {
	const [row] = await db
		.select({
			title: activities.title,
			description: activities.description,
			place: activities.place,
			responsiblePerson: activities.responsiblePerson,
			organiser: departments.name
		})
		.from(activities)
		.leftJoin(departments, eq(activities.organiserDepartmentId, departments.id))
		.where(eq(activities.shiftId, shiftId));
	if (!row) return null;
	return {
		activity: row.title,
		place: row.place,
		content: row.description || row.title,
		responsiblePerson: row.responsiblePerson,
		...(row.organiser ? { organisingUnit: row.organiser } : {})
	};
}
