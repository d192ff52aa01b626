import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/** Open311 API keys: issued and revoked by an admin; only the key's SHA-256 is stored. */
export const apiKeys = pgTable(
	'api_keys',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Who the key is for (a client application or partner). */
		name: text('name').notNull(),
		/** SHA-256 of the key, hex. */
		keyHash: text('key_hash').notNull().unique(),
		/** The key's first characters, so an admin can tell keys apart. */
		prefix: text('prefix').notNull(),
		createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true })
	},
	(t) => [index('api_keys_created_idx').on(t.createdAt)]
);
