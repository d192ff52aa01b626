import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { users } from './users';

/** Publicity (文明宣传, 普法): notices on the home page, in the feed and the API. */
export const notices = pgTable(
	'notices',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		title: text('title').notNull(),
		/** Markdown; rendered with raw HTML disabled. */
		body: text('body').notNull(),
		pinned: boolean('pinned').notNull().default(false),
		/** Shown from this moment… */
		publishFrom: timestamp('publish_from', { withTimezone: true }).notNull().defaultNow(),
		/** …until this one (open-ended when null). */
		publishUntil: timestamp('publish_until', { withTimezone: true }),
		/** Cover image: server-made key in the photo store (re-encoded JPEG), with its alt text. */
		coverKey: text('cover_key'),
		coverAlt: text('cover_alt'),
		coverWidth: integer('cover_width'),
		coverHeight: integer('cover_height'),
		authorUserId: uuid('author_user_id').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check(
			'notices_window_check',
			sql`${t.publishUntil} is null or ${t.publishUntil} > ${t.publishFrom}`
		),
		index('notices_publish_idx').on(t.publishFrom)
	]
);
