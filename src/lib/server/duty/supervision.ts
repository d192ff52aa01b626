import { and, asc, desc, eq, gte, lt, or, sql } from 'drizzle-orm';
import { addDays, atLocal, localDate, localSpan, localTime } from '$lib/domain/duty';
import type { SpotCheckResult } from '../db/schema';
import type { Db } from '../db';
import {
	bookings,
	posts,
	shifts,
	spotChecks,
	staffAssignments,
	standInRequests,
	users
} from '../db/schema';
import { DutyError } from './errors';
import { notify, type Notice } from '../notify';

export interface RosterEntry {
	kind: 'volunteer' | 'staff';
	userId: string;
	name: string;
	postId: string;
	postName: string;
	postNameEn: string | null;
	bookingId: string | null;
	assignmentId: string | null;
	startsAt: Date | null;
	endsAt: Date | null;
	checkedInAt: Date | null;
	lastCheck: SpotCheckResult | null;
	/** The last check's id when it has a photo. */
	lastPhotoCheckId: string | null;
}

/** Who should be at each post on a day: booked volunteers and assigned staff, with the last check. */
export async function dayRoster(db: Db, day: string): Promise<RosterEntry[]> {
	const from = atLocal(day, '00:00');
	const to = atLocal(addDays(day, 1), '00:00');
	const volunteers = await db
		.select({
			userId: users.id,
			name: users.name,
			postId: posts.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			bookingId: bookings.id,
			startsAt: bookings.startsAt,
			endsAt: bookings.endsAt,
			checkedInAt: bookings.checkedInAt
		})
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.innerJoin(users, eq(bookings.volunteerId, users.id))
		.where(
			and(eq(bookings.status, 'booked'), gte(bookings.startsAt, from), lt(bookings.startsAt, to))
		)
		.orderBy(asc(posts.name), asc(bookings.startsAt), asc(users.name));
	const staff = await db
		.select({
			userId: users.id,
			name: users.name,
			postId: posts.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			assignmentId: staffAssignments.id
		})
		.from(staffAssignments)
		.innerJoin(posts, eq(staffAssignments.postId, posts.id))
		.innerJoin(users, eq(staffAssignments.userId, users.id))
		.where(eq(staffAssignments.day, day))
		.orderBy(asc(posts.name), asc(users.name));
	const checks = await db
		.select({
			id: spotChecks.id,
			bookingId: spotChecks.bookingId,
			assignmentId: spotChecks.assignmentId,
			result: spotChecks.result,
			photoKey: spotChecks.photoKey
		})
		.from(spotChecks)
		.where(and(gte(spotChecks.checkedAt, from), lt(spotChecks.checkedAt, to)))
		.orderBy(asc(spotChecks.checkedAt));
	const last = new Map<string, { result: SpotCheckResult; photoCheckId: string | null }>();
	for (const c of checks)
		last.set((c.bookingId ?? c.assignmentId)!, {
			result: c.result,
			photoCheckId: c.photoKey ? c.id : null
		});
	return [
		...volunteers.map((v) => ({
			kind: 'volunteer' as const,
			...v,
			assignmentId: null,
			lastCheck: last.get(v.bookingId)?.result ?? null,
			lastPhotoCheckId: last.get(v.bookingId)?.photoCheckId ?? null
		})),
		...staff.map((s) => ({
			kind: 'staff' as const,
			...s,
			bookingId: null,
			startsAt: null,
			endsAt: null,
			checkedInAt: null,
			lastCheck: last.get(s.assignmentId)?.result ?? null,
			lastPhotoCheckId: last.get(s.assignmentId)?.photoCheckId ?? null
		}))
	].sort((a, b) => a.postName.localeCompare(b.postName));
}

/**
 * Records a supervisor's check of one booked volunteer or one assigned staff member. Returns the
 * check and the notices an absence made, to push once the caller's transaction commits.
 */
export async function recordSpotCheck(
	db: Db,
	input: {
		bookingId?: string;
		assignmentId?: string;
		result: SpotCheckResult;
		note?: string;
		photoKey?: string | null;
		checkedBy: string;
		checkedAt?: Date;
	}
) {
	return db.transaction(async (tx) => saveSpotCheck(tx, input));
}

export type SpotCheckRecord = { check: typeof spotChecks.$inferSelect; told: Notice[] };

async function saveSpotCheck(
	db: Db,
	input: Parameters<typeof recordSpotCheck>[1]
): Promise<SpotCheckRecord> {
	let subject: { postId: string; userId: string } | undefined;
	if (input.bookingId) {
		[subject] = await db
			.select({ postId: shifts.postId, userId: bookings.volunteerId })
			.from(bookings)
			.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
			.where(and(eq(bookings.id, input.bookingId), eq(bookings.status, 'booked')));
	} else if (input.assignmentId) {
		[subject] = await db
			.select({ postId: staffAssignments.postId, userId: staffAssignments.userId })
			.from(staffAssignments)
			.where(eq(staffAssignments.id, input.assignmentId));
	}
	if (!subject) throw new DutyError('not_found', 404);
	const [row] = await db
		.insert(spotChecks)
		.values({
			postId: subject.postId,
			subjectUserId: subject.userId,
			bookingId: input.bookingId ?? null,
			assignmentId: input.assignmentId ?? null,
			result: input.result,
			note: input.note || null,
			photoKey: input.photoKey ?? null,
			checkedBy: input.checkedBy,
			checkedAt: input.checkedAt ?? new Date()
		})
		.returning();
	const told =
		input.result === 'absent' ? await onAbsence(db, row, input.checkedAt ?? new Date()) : [];
	return { check: row, told };
}
const STAND_IN_LIMIT = 20;

/**
 * An absence tells the post's community staff and the dispatchers, and, for a volunteer's shift
 * that has not ended, opens one more place and asks up to 20 free volunteers to stand in.
 */
async function onAbsence(
	db: Db,
	check: typeof spotChecks.$inferSelect,
	now: Date
): Promise<Notice[]> {
	const [post] = await db.select().from(posts).where(eq(posts.id, check.postId));
	const [subject] = await db
		.select({ name: users.name })
		.from(users)
		.where(eq(users.id, check.subjectUserId));
	const when = `${localDate(check.checkedAt)} ${localTime(check.checkedAt)}`;
	const coordinators = await db
		.select({ id: users.id })
		.from(users)
		.where(
			and(
				eq(users.disabled, false),
				or(
					eq(users.role, 'dispatcher'),
					post.communityId
						? and(eq(users.role, 'community_staff'), eq(users.communityId, post.communityId))
						: undefined
				)
			)
		);
	const told = await notify(
		db,
		coordinators.map((c) => ({
			userId: c.id,
			kind: 'absence' as const,
			params: { name: subject?.name ?? '', post: post.name, postEn: post.nameEn, when },
			link: '/staff/duty/supervision',
			tag: `absence-${check.id}`
		}))
	);
	if (!check.bookingId) return told;
	const [shift] = await db
		.select({ shift: shifts })
		.from(bookings)
		.innerJoin(shifts, eq(bookings.shiftId, shifts.id))
		.where(eq(bookings.id, check.bookingId));
	if (!shift || shift.shift.endsAt <= now || shift.shift.status !== 'open') return told;
	const s = shift.shift;
	// One request per absent booking (a unique key), so a second check adds no second place.
	const [request] = await db
		.insert(standInRequests)
		.values({ shiftId: s.id, absentBookingId: check.bookingId })
		.onConflictDoNothing()
		.returning({ id: standInRequests.id });
	if (!request) return told;
	await db
		.update(shifts)
		.set({ capacity: sql`${shifts.capacity} + 1` })
		.where(eq(shifts.id, s.id));
	// Volunteers with a profile and nothing else booked at that time; this shift's waitlist first.
	const free = await db.execute<{ id: string }>(sql`
		select u.id from users u join volunteer_profiles p on p.user_id = u.id
		where u.role = 'volunteer' and not u.disabled and u.id <> ${check.subjectUserId}
		and not exists (select 1 from bookings b where b.volunteer_id = u.id and b.status <> 'cancelled'
			and not (b.shift_id = ${s.id} and b.status = 'waitlisted')
			and tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(${s.startsAt.toISOString()}::timestamptz, ${s.endsAt.toISOString()}::timestamptz, '[)'))
		order by exists (select 1 from bookings w where w.volunteer_id = u.id and w.shift_id = ${s.id}) desc,
			u.created_at
		limit ${STAND_IN_LIMIT}`);
	const ids = (Array.isArray(free) ? free : (free as unknown as { rows: unknown[] }).rows) as {
		id: string;
	}[];
	const slot = localSpan(s.startsAt, s.endsAt);
	const asked = await notify(
		db,
		ids.map((v) => ({
			userId: v.id,
			kind: 'stand_in_request' as const,
			params: { post: post.name, postEn: post.nameEn, when: slot },
			link: `/volunteer/stand-in/${request.id}`
		}))
	);
	return [...told, ...asked];
}

/** People found absent at least `min` times between two dates (the 约谈 list), most first. */
export async function repeatedAbsences(db: Db, from: string, to: string, min = 2) {
	const count = sql<number>`count(*)::int`;
	return db
		.select({ userId: users.id, name: users.name, role: users.role, absences: count })
		.from(spotChecks)
		.innerJoin(users, eq(spotChecks.subjectUserId, users.id))
		.where(
			and(
				eq(spotChecks.result, 'absent'),
				gte(spotChecks.checkedAt, atLocal(from, '00:00')),
				lt(spotChecks.checkedAt, atLocal(addDays(to, 1), '00:00'))
			)
		)
		.groupBy(users.id, users.name, users.role)
		.having(sql`count(*) >= ${min}`)
		.orderBy(desc(count), asc(users.name));
}

/**
 * The coverage wall: for each open shift in the next days, volunteers booked against needed and
 * staff assigned (to the post that day) against needed.
 */
export async function coverage(db: Db, fromDay: string, days = 7) {
	const from = atLocal(fromDay, '00:00');
	const to = atLocal(addDays(fromDay, days), '00:00');
	const rows = await db
		.select({
			shiftId: shifts.id,
			postId: posts.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			startsAt: shifts.startsAt,
			endsAt: shifts.endsAt,
			capacity: shifts.capacity,
			booked: shifts.booked,
			staffNeeded: shifts.staffNeeded
		})
		.from(shifts)
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(and(eq(shifts.status, 'open'), gte(shifts.startsAt, from), lt(shifts.startsAt, to)))
		.orderBy(asc(shifts.startsAt), asc(posts.name));
	const assigned = await db
		.select({
			postId: staffAssignments.postId,
			day: staffAssignments.day,
			count: sql<number>`count(*)::int`
		})
		.from(staffAssignments)
		.where(
			and(gte(staffAssignments.day, fromDay), lt(staffAssignments.day, addDays(fromDay, days)))
		)
		.groupBy(staffAssignments.postId, staffAssignments.day);
	const staffOn = new Map(assigned.map((a) => [`${a.postId}/${a.day}`, a.count]));
	return rows.map((r) => {
		const staff = staffOn.get(`${r.postId}/${localDate(r.startsAt)}`) ?? 0;
		return {
			...r,
			day: localDate(r.startsAt),
			staff,
			short: r.booked < r.capacity || staff < r.staffNeeded
		};
	});
}
