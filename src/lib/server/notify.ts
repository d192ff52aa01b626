import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import {
	notificationText,
	storedNotificationText,
	type NotificationContent,
	type NotificationView
} from '$lib/i18n/notifications';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Role } from '$lib/domain/roles';
import type { Db } from './db';
import { notifications } from './db/schema';

export type NewNotification = NotificationContent & {
	userId: string;
	link: string;
	createdAt?: Date;
	/** For Web Push: a later push with the same tag replaces this one on the device (default: the link). */
	tag?: string;
};

/** A stored notification: its Chinese text and its facts, for Web Push in the device's language. */
export interface Notice {
	userId: string;
	title: string;
	body: string;
	content: NotificationContent;
	link: string;
	tag?: string;
}

/**
 * Stores in-app notifications (shown on the person's pages). Each keeps its kind and facts, so
 * that it is shown in the reader's language, and its Chinese text. Returns them for Web Push.
 */
export async function notify(db: Db, items: NewNotification[]): Promise<Notice[]> {
	if (!items.length) return [];
	const rows = items.map(({ tag: _tag, ...item }) => ({
		...item,
		...notificationText(item, 'zh-CN')
	}));
	await db.insert(notifications).values(rows);
	return items.map((item, i) => {
		const { userId, link, tag, createdAt: _createdAt, ...content } = item;
		return { userId, link, tag, title: rows[i].title, body: rows[i].body, content };
	});
}

/**
 * The staff whom the jobs and spot checks tell things: dispatchers (overdue cases, revisits due,
 * absences), community staff (revisits due, absences) and grid workers (revisits due).
 */
export const alertedStaffRoles: readonly Role[] = ['dispatcher', 'community_staff', 'grid_worker'];

/** What a resident hears of the cases they reported or follow. */
export const caseKinds: NotificationContent['kind'][] = ['case_update', 'case_merged'];

/**
 * The person's latest notifications (of these kinds, if given), in the reader's language where
 * their facts were kept.
 */
export async function listNotifications(
	db: Db,
	userId: string,
	locale: Locale,
	limit = 20,
	kinds?: NotificationContent['kind'][],
	offset = 0
) {
	const rows = await db
		.select()
		.from(notifications)
		.where(
			and(eq(notifications.userId, userId), kinds ? inArray(notifications.kind, kinds) : undefined)
		)
		.orderBy(desc(notifications.createdAt))
		.limit(limit)
		.offset(offset);
	return rows.map(({ params, ...row }) => ({
		...row,
		...storedNotificationText({ ...row, params }, locale)
	}));
}

/**
 * The person's latest notifications for a page, in its language (`offset` skips the newer ones);
 * those unread are shown as new this once, and `more` says whether older ones exist. A page
 * rendered whole is being shown, so they are marked read here; data for a client-side navigation
 * may be a preload (on hover), so the list marks them once it is on screen
 * (`POST /api/v1/notifications/read`).
 */
export async function notificationsToShow(
	db: Db,
	userId: string,
	options: {
		locale: Locale;
		limit: number;
		offset?: number;
		kinds?: NotificationContent['kind'][];
		shown: boolean;
	}
): Promise<{ items: NotificationView[]; more: boolean }> {
	const found = await listNotifications(
		db,
		userId,
		options.locale,
		options.limit + 1,
		options.kinds,
		options.offset
	);
	const rows = found.slice(0, options.limit);
	if (options.shown)
		await markRead(
			db,
			userId,
			rows.filter((row) => !row.readAt).map((row) => row.id)
		);
	const items = rows.map(({ id, title, body, link, createdAt, readAt }) => ({
		id,
		title,
		body,
		link,
		at: createdAt.toISOString(),
		unread: !readAt
	}));
	return { items, more: found.length > rows.length };
}

/** Marks these notifications of the person read (someone else's are left alone). */
export async function markRead(db: Db, userId: string, ids: string[]): Promise<void> {
	if (!ids.length) return;
	await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(
			and(
				eq(notifications.userId, userId),
				inArray(notifications.id, ids),
				isNull(notifications.readAt)
			)
		);
}
