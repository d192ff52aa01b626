import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { notifications } from '../db/schema';

export interface NewNotification {
	userId: string;
	kind: string;
	title: string;
	body?: string;
	link?: string;
}

/** Stores in-app notifications (shown on the person's pages). */
export async function notify(db: Db, items: NewNotification[]): Promise<void> {
	if (!items.length) return;
	await db.insert(notifications).values(items.map((n) => ({ ...n, body: n.body ?? '' })));
}

export async function listNotifications(db: Db, userId: string, limit = 20) {
	return db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt))
		.limit(limit);
}

export async function markAllRead(db: Db, userId: string): Promise<void> {
	await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
