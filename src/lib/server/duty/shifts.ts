import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import { addDays, atLocal, isoWeekday, localDate, localSpan } from '$lib/domain/duty';
import { m } from '$lib/paraglide/messages.js';
import type { Db } from '../db';
import { activities, bookings, communities, posts, shiftTemplates, shifts } from '../db/schema';
import { isUuid } from './api';
import { DutyError } from './errors';
import { notify, type Notice } from '../notify';
import { pushAfterCommit } from '../push/push';
import { cancelShift, promoteWaitlist } from './booking';

export const HORIZON_DAYS = 14;
const GENERATE_LOCK = 72203;

export type TemplateInput = Omit<
	typeof shiftTemplates.$inferInsert,
	'id' | 'createdAt' | 'updatedAt'
>;

export async function createTemplate(db: Db, input: TemplateInput, now = new Date()) {
	const [row] = await db.insert(shiftTemplates).values(input).returning();
	await generateShifts(db, { now, templateId: row.id });
	return row;
}

/** Changes a template; only shifts that have not started are brought in line with it. */
export async function updateTemplate(
	db: Db,
	id: string,
	changes: Partial<TemplateInput>,
	now = new Date()
) {
	const [row] = await db
		.update(shiftTemplates)
		.set({ ...changes, updatedAt: now })
		.where(eq(shiftTemplates.id, id))
		.returning();
	if (!row) throw new DutyError('not_found', 404);
	const result = await generateShifts(db, { now, templateId: id });
	return { template: row, ...result };
}

export async function listTemplates(db: Db) {
	return db
		.select({ template: shiftTemplates, postName: posts.name, postNameEn: posts.nameEn })
		.from(shiftTemplates)
		.innerJoin(posts, eq(shiftTemplates.postId, posts.id))
		.orderBy(asc(posts.name), asc(shiftTemplates.startTime));
}

export interface GenerateResult {
	created: number;
	updated: number;
	cancelled: number;
	deleted: number;
}

/**
 * Makes the shifts of the next 14 days from the templates, and brings future shifts in line with
 * changed templates. Idempotent; a transaction-scoped advisory lock keeps two servers from running
 * it at once. A future shift that no longer fits its template is deleted only when nobody ever
 * booked it; otherwise it is cancelled and its people are told.
 */
export async function generateShifts(
	db: Db,
	options: { now?: Date; templateId?: string; days?: number } = {}
): Promise<GenerateResult> {
	const now = options.now ?? new Date();
	const days = options.days ?? HORIZON_DAYS;
	const today = localDate(now);
	const result: GenerateResult = { created: 0, updated: 0, cancelled: 0, deleted: 0 };
	const told: Notice[] = [];
	await db.transaction(async (tx) => {
		told.length = 0;
		await tx.execute(sql`select pg_advisory_xact_lock(${GENERATE_LOCK})`);
		const templates = await tx
			.select({
				template: shiftTemplates,
				postActive: posts.active,
				postName: posts.name,
				postNameEn: posts.nameEn
			})
			.from(shiftTemplates)
			.innerJoin(posts, eq(shiftTemplates.postId, posts.id))
			.where(options.templateId ? eq(shiftTemplates.id, options.templateId) : undefined);
		for (const { template: t, postActive, postName, postNameEn } of templates) {
			const wanted = new Map<string, { startsAt: Date; endsAt: Date }>();
			if (t.active && postActive) {
				for (let i = 0; i <= days; i++) {
					const day = addDays(today, i);
					if (day < t.validFrom || (t.validTo && day > t.validTo)) continue;
					if (!t.weekdays.includes(isoWeekday(day))) continue;
					const startsAt = atLocal(day, t.startTime);
					const endsAt = atLocal(day, t.endTime);
					if (startsAt <= now) continue;
					wanted.set(`${startsAt.getTime()}/${endsAt.getTime()}`, { startsAt, endsAt });
				}
			}
			const existing = await tx
				.select()
				.from(shifts)
				.where(and(eq(shifts.templateId, t.id), gt(shifts.startsAt, now)))
				.for('update');
			const byKey = new Map(
				existing.map((s) => [`${s.startsAt.getTime()}/${s.endsAt.getTime()}`, s])
			);
			for (const [key, slot] of wanted) {
				const fields = {
					staffNeeded: t.staffNeeded,
					signupOpensAt: new Date(slot.startsAt.getTime() - t.signupOpensHours * 3600_000),
					cancelCutoffAt: new Date(slot.startsAt.getTime() - t.cancelCutoffHours * 3600_000)
				};
				const current = byKey.get(key);
				if (!current) {
					const inserted = await tx
						.insert(shifts)
						.values({
							postId: t.postId,
							templateId: t.id,
							...slot,
							capacity: t.volunteersNeeded,
							...fields
						})
						.onConflictDoNothing()
						.returning({ id: shifts.id });
					result.created += inserted.length;
					continue;
				}
				// Never below the people already booked: nobody loses a place silently.
				const capacity = Math.max(t.volunteersNeeded, current.booked);
				if (
					current.status !== 'open' ||
					current.capacity !== capacity ||
					current.staffNeeded !== fields.staffNeeded ||
					current.signupOpensAt.getTime() !== fields.signupOpensAt.getTime() ||
					current.cancelCutoffAt.getTime() !== fields.cancelCutoffAt.getTime()
				) {
					await tx
						.update(shifts)
						.set({ ...fields, capacity, status: 'open' })
						.where(eq(shifts.id, current.id));
					result.updated++;
					if (capacity > current.capacity)
						told.push(...(await promoteWaitlist(tx, current.id, now)));
				}
			}
			for (const [key, s] of byKey) {
				if (wanted.has(key) || s.status === 'cancelled') continue;
				const [anyone] = await tx
					.select({ id: bookings.id })
					.from(bookings)
					.where(eq(bookings.shiftId, s.id))
					.limit(1);
				if (!anyone) {
					await tx.delete(shifts).where(eq(shifts.id, s.id));
					result.deleted++;
					continue;
				}
				const people = await cancelShift(tx, s.id, now);
				const when = localSpan(s.startsAt, s.endsAt);
				told.push(
					...(await notify(
						tx,
						people.map((userId) => ({
							userId,
							kind: 'shift_cancelled' as const,
							params: { post: postName, postEn: postNameEn, when },
							link: '/volunteer',
							tag: `shift-cancelled-${s.id}`
						}))
					))
				);
				result.cancelled++;
			}
		}
	});
	void pushAfterCommit(db, told);
	return result;
}

export interface ShiftQuery {
	from: Date;
	to: Date;
	postId?: string;
}

/** Open shifts starting in [from, to), with their post and how many places are taken. */
export async function listShifts(db: Db, query: ShiftQuery) {
	const conditions = [
		eq(shifts.status, 'open'),
		gte(shifts.startsAt, query.from),
		lt(shifts.startsAt, query.to)
	];
	if (query.postId) conditions.push(eq(shifts.postId, query.postId));
	return db
		.select({
			id: shifts.id,
			postId: posts.id,
			postName: posts.name,
			postNameEn: posts.nameEn,
			startsAt: shifts.startsAt,
			endsAt: shifts.endsAt,
			capacity: shifts.capacity,
			booked: shifts.booked,
			signupOpensAt: shifts.signupOpensAt,
			cancelCutoffAt: shifts.cancelCutoffAt,
			waitlisted: sql<number>`(select count(*)::int from bookings b where b.shift_id = "shifts"."id" and b.status = 'waitlisted')`,
			/** Set when the shift is a one-off activity's (clean-up, publicity event). */
			activityId: activities.id,
			activityTitle: activities.title
		})
		.from(shifts)
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.leftJoin(activities, eq(activities.shiftId, shifts.id))
		.where(and(...conditions))
		.orderBy(asc(shifts.startsAt), asc(posts.name))
		.limit(500);
}

export async function getShift(db: Db, id: string) {
	const [row] = await db
		.select({ shift: shifts, post: posts })
		.from(shifts)
		.innerJoin(posts, eq(shifts.postId, posts.id))
		.where(eq(shifts.id, id));
	return row;
}

export async function listPosts(db: Db, options: { activeOnly?: boolean } = {}) {
	return db
		.select()
		.from(posts)
		.where(options.activeOnly ? eq(posts.active, true) : undefined)
		.orderBy(asc(posts.zone), asc(posts.name));
}

export interface PostInput {
	code: string;
	name: string;
	nameEn: string;
	zone: 'west' | 'east';
	community: string;
	lat: number;
	lng: number;
	coordinatorName: string;
	coordinatorPhone: string;
	active: boolean;
}

/** Creates or edits a post; returns field problems instead of saving when something is wrong. */
export async function savePost(
	db: Db,
	id: string | null,
	input: PostInput
): Promise<void | Record<string, string>> {
	if (id && !isUuid(id)) return { code: m.field_choice() };
	let communityId: string | null = null;
	if (input.community) {
		const [row] = await db
			.select({ id: communities.id })
			.from(communities)
			.where(eq(communities.code, input.community));
		if (!row) return { community: m.field_choice() };
		communityId = row.id;
	}
	const values = {
		code: input.code,
		name: input.name,
		nameEn: input.nameEn || null,
		zone: input.zone,
		communityId,
		lat: input.lat,
		lng: input.lng,
		coordinatorName: input.coordinatorName || null,
		coordinatorPhone: input.coordinatorPhone || null,
		active: input.active
	};
	const [clash] = await db.select({ id: posts.id }).from(posts).where(eq(posts.code, input.code));
	if (clash && clash.id !== id) return { code: m.admin_code_taken() };
	if (id) {
		await db.update(posts).set(values).where(eq(posts.id, id));
		// A post switched off loses its future shifts (booked people are told).
		await generateShifts(db);
	} else {
		await db.insert(posts).values(values);
	}
}
