import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Responses of creates that a phone may retry, kept by Idempotency-Key (API.md). */
export const idempotencyKeys = pgTable(
	'idempotency_keys',
	{
		/** The operation, e.g. 'reports.create', so keys of different endpoints never collide. */
		scope: text('scope').notNull(),
		key: text('key').notNull(),
		/** SHA-256 of the request payload: the same key with another payload is misuse (422). */
		requestHash: text('request_hash').notNull(),
		status: integer('status').notNull(),
		body: jsonb('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.scope, t.key] })]
);
