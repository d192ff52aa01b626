import { and, desc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import type { NoticeInput } from '$lib/domain/notices';
import { inDepartment } from '../auth/department';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import { notices, users } from '../db/schema';
import { PhotoError, photoStore, storePhoto, type PhotoStore } from '../reports/photos';
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

export interface NoticeCover {
	url: string;
	alt: string;
	width: number | null;
	height: number | null;
}

export interface PublicNotice {
	id: string;
	title: string;
	summary: string;
	pinned: boolean;
	publishedAt: Date;
	updatedAt: Date;
	cover: NoticeCover | null;
}

/** The cover's URL changes with the notice, so a replaced cover is never served from a cache. */
export function noticeCoverUrl(n: { id: string; updatedAt: Date }): string {
	return `/notices/${n.id}/cover?v=${n.updatedAt.getTime()}`;
}

function coverOf(n: typeof notices.$inferSelect): NoticeCover | null {
	if (!n.coverKey) return null;
	return {
		url: noticeCoverUrl(n),
		alt: n.coverAlt ?? '',
		width: n.coverWidth,
		height: n.coverHeight
	};
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
		updatedAt: n.updatedAt,
		cover: coverOf(n)
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
		updatedAt: row.updatedAt,
		cover: coverOf(row)
	};
}

/** The stored cover of a notice that is live now (or of any notice, for its publishers). */
export async function noticeCoverKey(
	db: Db,
	id: string,
	{ now = new Date(), anyState = false }: { now?: Date; anyState?: boolean } = {}
): Promise<string | null> {
	const [row] = await db
		.select({ key: notices.coverKey })
		.from(notices)
		.where(anyState ? eq(notices.id, id) : and(eq(notices.id, id), isLive(now)));
	return row?.key ?? null;
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
	input: NoticeInput & Partial<Pick<typeof notices.$inferInsert, CoverColumn>>,
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

type CoverColumn = 'coverKey' | 'coverAlt' | 'coverWidth' | 'coverHeight';

/** Deletes a notice and its cover file. */
export async function deleteNotice(
	db: Db,
	id: string,
	store: PhotoStore = photoStore()
): Promise<void> {
	const [row] = await db
		.delete(notices)
		.where(eq(notices.id, id))
		.returning({ coverKey: notices.coverKey });
	if (row?.coverKey) await store.delete(row.coverKey);
}

export interface CoverChange {
	/** A new image's bytes, or null to keep (or remove) the current one. */
	upload: Uint8Array | null;
	alt: string;
	remove: boolean;
}

export type SaveNoticeResult =
	| { ok: true; id: string }
	| { ok: false; status: 400 | 404 | 413 | 415; fields: Record<string, string> };

/**
 * Saves a notice with its cover image. The upload goes through the photo pipeline (type from the
 * bytes, size cap, EXIF rotate and strip) into the photo store; a cover needs alt text. A replaced
 * or removed cover's file is deleted once the row no longer points at it.
 */
export async function saveNoticeWithCover(
	db: Db,
	id: string | null,
	input: NoticeInput,
	cover: CoverChange,
	author: Pick<SessionUser, 'id'>,
	store: PhotoStore = photoStore()
): Promise<SaveNoticeResult> {
	const existing = id ? await getNotice(db, id) : null;
	if (id && !existing) return { ok: false, status: 404, fields: {} };
	const alt = cover.alt.trim();
	const keeps = !!existing?.coverKey && !cover.remove;
	if ((cover.upload || keeps) && !alt)
		return { ok: false, status: 400, fields: { coverAlt: 'required' } };
	if (alt.length > 200) return { ok: false, status: 400, fields: { coverAlt: 'notices_too_long' } };
	let stored: Awaited<ReturnType<typeof storePhoto>> | null = null;
	if (cover.upload) {
		try {
			stored = await storePhoto(cover.upload, store);
		} catch (error) {
			if (error instanceof PhotoError)
				return { ok: false, status: error.status, fields: { cover: error.code } };
			throw error;
		}
	}
	const coverFields = stored
		? {
				coverKey: stored.storageKey,
				coverAlt: alt,
				coverWidth: stored.width,
				coverHeight: stored.height
			}
		: keeps
			? { coverAlt: alt }
			: { coverKey: null, coverAlt: null, coverWidth: null, coverHeight: null };
	let savedId: string | null;
	try {
		savedId = await saveNotice(db, id, { ...input, ...coverFields }, author);
	} catch (error) {
		if (stored) await store.delete(stored.storageKey);
		throw error;
	}
	if (!savedId) {
		if (stored) await store.delete(stored.storageKey);
		return { ok: false, status: 404, fields: {} };
	}
	if (
		existing?.coverKey &&
		existing.coverKey !== (stored?.storageKey ?? (keeps ? existing.coverKey : null))
	)
		await store.delete(existing.coverKey);
	return { ok: true, id: savedId };
}
