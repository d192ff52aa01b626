import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './users';

/** A browser's Web Push subscription (RFC 8030/8291): where to post, and the keys to encrypt with. */
export const pushSubscriptions = pgTable(
	'push_subscriptions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		endpoint: text('endpoint').notNull().unique(),
		p256dh: text('p256dh').notNull(),
		auth: text('auth').notNull(),
		// The language of the page it was made on: what the pushes to this device are written in.
		locale: text('locale').notNull().default('zh-CN'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastSentAt: timestamp('last_sent_at', { withTimezone: true })
	},
	(t) => [index('push_subscriptions_user_idx').on(t.userId)]
);

/**
 * The VAPID key pair made when VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are not set (development): one
 * row, kept in the database so every app server signs with the same key.
 */
export const pushVapidKeys = pgTable(
	'push_vapid_keys',
	{
		id: integer('id').primaryKey().default(1),
		publicKey: text('public_key').notNull(),
		privateKey: text('private_key').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('push_vapid_keys_single', sql`${t.id} = 1`)]
);
