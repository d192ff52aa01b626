import { and, asc, count, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import { staffRoles } from '$lib/domain/roles';
import { addDays, localDate, weekStart } from '$lib/domain/duty';
import type { Db } from '../db';
import { communities, leaderVisits, leaders, users } from '../db/schema';
import { DutyError } from './errors';

/*
 * Leader visits (班子成员下沉社区): the plan asks each leader to go down to a community at least
 * twice a week. Leaders are staff accounts that an admin names; each logs their own visits.
 */

export const WEEKLY_VISITS_REQUIRED = 2;
/** A visit can be logged for today or up to this many days back (a busy week is logged late). */
export const VISIT_BACKDATE_DAYS = 14;

export async function isLeader(db: Db, userId: string): Promise<boolean> {
	const [row] = await db
		.select({ userId: leaders.userId })
		.from(leaders)
		.where(eq(leaders.userId, userId));
	return !!row;
}

/** Names a staff account as a leader (again: updates the title). */
export async function designateLeader(db: Db, input: { userId: string; title: string }) {
	const [person] = await db
		.select({ role: users.role })
		.from(users)
		.where(eq(users.id, input.userId));
	if (!person || !(staffRoles as readonly string[]).includes(person.role))
		throw new DutyError('invalid_input', 400, { user: 'choice' });
	await db
		.insert(leaders)
		.values(input)
		.onConflictDoUpdate({ target: leaders.userId, set: { title: input.title } });
}

/** Takes a leader off the list; their logged visits go with them. */
export async function removeLeader(db: Db, userId: string) {
	await db.delete(leaders).where(eq(leaders.userId, userId));
}

export async function logVisit(
	db: Db,
	input: { leaderUserId: string; communityId: string; visitedOn: string; notes: string; now?: Date }
) {
	if (!(await isLeader(db, input.leaderUserId))) throw new DutyError('not_leader', 403);
	const today = localDate(input.now ?? new Date());
	if (input.visitedOn > today || input.visitedOn < addDays(today, -VISIT_BACKDATE_DAYS))
		throw new DutyError('invalid_input', 400, { visitedOn: 'visit_date' });
	const [community] = await db
		.select({ id: communities.id })
		.from(communities)
		.where(and(eq(communities.id, input.communityId), eq(communities.active, true)));
	if (!community) throw new DutyError('invalid_input', 400, { community: 'choice' });
	const [row] = await db
		.insert(leaderVisits)
		.values({
			leaderUserId: input.leaderUserId,
			communityId: input.communityId,
			visitedOn: input.visitedOn,
			notes: input.notes
		})
		.returning();
	return row;
}

/** A leader removes one of their own visits (logged by mistake). */
export async function deleteVisit(db: Db, input: { id: string; leaderUserId: string }) {
	const rows = await db
		.delete(leaderVisits)
		.where(and(eq(leaderVisits.id, input.id), eq(leaderVisits.leaderUserId, input.leaderUserId)))
		.returning({ id: leaderVisits.id });
	if (!rows.length) throw new DutyError('not_found', 404);
}

/** A leader's own visits, newest first. */
export async function myVisits(db: Db, leaderUserId: string, since: string) {
	return db
		.select({
			id: leaderVisits.id,
			visitedOn: leaderVisits.visitedOn,
			notes: leaderVisits.notes,
			community: communities.name,
			communityEn: communities.nameEn
		})
		.from(leaderVisits)
		.innerJoin(communities, eq(leaderVisits.communityId, communities.id))
		.where(and(eq(leaderVisits.leaderUserId, leaderUserId), gte(leaderVisits.visitedOn, since)))
		.orderBy(desc(leaderVisits.visitedOn), desc(leaderVisits.createdAt));
}

export interface LeaderWeek {
	userId: string;
	name: string;
	title: string;
	visits: number;
	communities: { name: string; nameEn: string | null }[];
	/** Fewer visits than the plan asks for. */
	short: boolean;
}

/** Every leader's visits in the week (Monday to Sunday) that holds `day`, fewest first. */
export async function weeklyVisits(db: Db, day: string): Promise<LeaderWeek[]> {
	const monday = weekStart(day);
	const sunday = addDays(monday, 6);
	const people = await db
		.select({ userId: leaders.userId, name: users.name, title: leaders.title })
		.from(leaders)
		.innerJoin(users, eq(leaders.userId, users.id))
		.orderBy(asc(users.name));
	if (!people.length) return [];
	const visits = await db
		.select({
			userId: leaderVisits.leaderUserId,
			community: communities.name,
			communityEn: communities.nameEn,
			n: count()
		})
		.from(leaderVisits)
		.innerJoin(communities, eq(leaderVisits.communityId, communities.id))
		.where(
			and(
				inArray(
					leaderVisits.leaderUserId,
					people.map((p) => p.userId)
				),
				gte(leaderVisits.visitedOn, monday),
				lte(leaderVisits.visitedOn, sunday)
			)
		)
		.groupBy(leaderVisits.leaderUserId, communities.name, communities.nameEn);
	return people
		.map((p) => {
			const mine = visits.filter((v) => v.userId === p.userId);
			const total = mine.reduce((sum, v) => sum + Number(v.n), 0);
			return {
				...p,
				visits: total,
				communities: mine
					.map((v) => ({ name: v.community, nameEn: v.communityEn }))
					.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
				short: total < WEEKLY_VISITS_REQUIRED
			};
		})
		.sort((a, b) => a.visits - b.visits || a.name.localeCompare(b.name));
}

/** Staff accounts an admin can name as leaders, and the current list. */
export async function leaderChoices(db: Db) {
	const current = await db
		.select({ userId: leaders.userId, name: users.name, title: leaders.title })
		.from(leaders)
		.innerJoin(users, eq(leaders.userId, users.id))
		.orderBy(asc(users.name));
	const staff = await db
		.select({ id: users.id, name: users.name, role: users.role })
		.from(users)
		.where(and(inArray(users.role, [...staffRoles]), eq(users.disabled, false)))
		.orderBy(asc(users.name));
	return { current, staff };
}
