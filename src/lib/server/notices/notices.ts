import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { NoticeInput } from '$lib/domain/notices';
import { inDepartment } from '../auth/department';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import { notices, users } from '../db/schema';
import { renderMarkdown, summarize } from './markdown';

/** The department whose staff write notices (基层党建办); admins may too. */
export const PUBLISHER_DEPARTMENT = 'party-building';

export function canPublishNotices(db: Db, user: Pick<SessionUser, 'role' | 'departmentId'> | null) {
	return user ? inDepartment(db, user, PUBLISHER_DEPARTMENT) : Promise.resolve(false);
}

const isLive = (now: Date) =>
	and(
		lte(notices.publishFrom, now),
		or(isNull(notices.publishUntil), gt(notices.publishUntil, now))
	);

export interface PublicNotice {
	id: string;
	title: string;
	summary: string;
	pinned: boolean;
	publishedAt: Date;
	updatedAt: Date;
}

/** Published notices (inside their window), pinned first, then newest. */
export async function listPublishedNotices(
	db: Db,
	{ now = new Date(), limit = 50 }: { now?: Date; limit?: number } = {}
): Promise<PublicNotice[]> {
	const rows = await db
		.select()
		.from(notices)
		.where(isLive(now))
		.orderBy(desc(notices.pinned), desc(notices.publishFrom))
		.limit(limit);
	return rows.map((n) => ({
		id: n.id,
		title: n.title,
		summary: summarize(n.body),
		pinned: n.pinned,
		publishedAt: n.publishFrom,
		updatedAt: n.updatedAt
	}));
}

/** One published notice with its body rendered to safe HTML, or null. */
export async function getPublishedNotice(db: Db, id: string, now = new Date()) {
	const [row] = await db
		.select()
		.from(notices)
		.where(and(eq(notices.id, id), isLive(now)));
	if (!row) return null;
	return {
		id: row.id,
		title: row.title,
		html: renderMarkdown(row.body),
		pinned: row.pinned,
		publishedAt: row.publishFrom,
		updatedAt: row.updatedAt
	};
}

/** Every notice, for the staff list, with its state now. */
export async function listNoticesForStaff(db: Db, now = new Date()) {
	const rows = await db
		.select({
			id: notices.id,
			title: notices.title,
			pinned: notices.pinned,
			publishFrom: notices.publishFrom,
			publishUntil: notices.publishUntil,
			author: users.name,
			updatedAt: notices.updatedAt
		})
		.from(notices)
		.leftJoin(users, eq(notices.authorUserId, users.id))
		.orderBy(desc(notices.pinned), desc(notices.publishFrom));
	return rows.map((r) => ({
		...r,
		state:
			r.publishFrom > now
				? ('scheduled' as const)
				: r.publishUntil && r.publishUntil <= now
					? ('expired' as const)
					: ('live' as const)
	}));
}

export async function getNotice(db: Db, id: string) {
	const [row] = await db.select().from(notices).where(eq(notices.id, id));
	return row ?? null;
}

/** Creates (id null) or updates a notice; returns its id, or null when the id is unknown. */
export async function saveNotice(
	db: Db,
	id: string | null,
	input: NoticeInput,
	author: Pick<SessionUser, 'id'>
): Promise<string | null> {
	if (id) {
		const [row] = await db
			.update(notices)
			.set({ ...input, updatedAt: new Date() })
			.where(eq(notices.id, id))
			.returning({ id: notices.id });
		return row?.id ?? null;
	}
	const [row] = await db
		.insert(notices)
		.values({ ...input, authorUserId: author.id })
		.returning({ id: notices.id });
	return row.id;
}

export async function deleteNotice(db: Db, id: string): Promise<void> {
	await db.delete(notices).where(eq(notices.id, id));
}
