import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import { staffRoles } from '$lib/domain/roles';
import { addDays } from '$lib/domain/duty';
import type { Db } from '../db';
import { posts, staffAssignments, users } from '../db/schema';
import { DutyError } from './errors';

/** Staff who can be sent down to a post: every staff role, active accounts. */
export async function assignableStaff(db: Db) {
	return db
		.select({ id: users.id, name: users.name, role: users.role })
		.from(users)
		.where(and(inArray(users.role, [...staffRoles]), eq(users.disabled, false)))
		.orderBy(asc(users.name));
}

export async function assign(
	db: Db,
	input: { postId: string; userId: string; day: string; assignedBy: string; note?: string }
) {
	const [person] = await db
		.select({ role: users.role })
		.from(users)
		.where(eq(users.id, input.userId));
	if (!person || !(staffRoles as readonly string[]).includes(person.role))
		throw new DutyError('invalid_input', 400, { user: 'choice' });
	const [row] = await db
		.insert(staffAssignments)
		.values(input)
		.onConflictDoNothing()
		.returning({ id: staffAssignments.id });
	return row?.id ?? null;
}

export async function unassign(db: Db, id: string) {
	await db.delete(staffAssignments).where(eq(staffAssignments.id, id));
}

/** The assignments of the 7 days from a Monday, with post and person. */
export async function weekRota(db: Db, monday: string) {
	return db
		.select({
			id: staffAssignments.id,
			day: staffAssignments.day,
			postId: staffAssignments.postId,
			userId: staffAssignments.userId,
			name: users.name
		})
		.from(staffAssignments)
		.innerJoin(users, eq(staffAssignments.userId, users.id))
		.where(and(gte(staffAssignments.day, monday), lt(staffAssignments.day, addDays(monday, 7))))
		.orderBy(asc(staffAssignments.day), asc(users.name));
}

/** Copies a week's assignments to the next week; ones already there are kept, not doubled. */
export async function copyWeekForward(db: Db, monday: string, assignedBy: string) {
	const rows = await weekRota(db, monday);
	if (!rows.length) return 0;
	const inserted = await db
		.insert(staffAssignments)
		.values(
			rows.map((r) => ({ postId: r.postId, userId: r.userId, day: addDays(r.day, 7), assignedBy }))
		)
		.onConflictDoNothing()
		.returning({ id: staffAssignments.id });
	return inserted.length;
}

/** A staff member's assignments on a day (what their phone shows). */
export async function assignmentsFor(db: Db, userId: string, day: string) {
	return db
		.select({
			id: staffAssignments.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			lat: posts.lat,
			lng: posts.lng,
			coordinatorName: posts.coordinatorName,
			coordinatorPhone: posts.coordinatorPhone,
			note: staffAssignments.note
		})
		.from(staffAssignments)
		.innerJoin(posts, eq(staffAssignments.postId, posts.id))
		.where(and(eq(staffAssignments.userId, userId), eq(staffAssignments.day, day)));
}
