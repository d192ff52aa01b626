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
import { roles, type Role } from '../../../domain/roles';
import { communities, departments } from './jurisdiction';

export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		phone: text('phone').notNull().unique(),
		name: text('name').notNull(),
		passwordHash: text('password_hash').notNull(),
		role: text('role').$type<Role>().notNull(),
		communityId: uuid('community_id').references(() => communities.id),
		departmentId: uuid('department_id').references(() => departments.id),
		disabled: boolean('disabled').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check(
			'users_role_check',
			sql.raw(`${t.role.name} in (${roles.map((r) => `'${r}'`).join(', ')})`)
		)
	]
);

export const sessions = pgTable(
	'sessions',
	{
		/** SHA-256 of the token, hex; the token itself is never stored. */
		id: text('id').primaryKey(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** Fixed-window counters shared by every app server. */
export const rateLimits = pgTable('rate_limits', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull()
});
