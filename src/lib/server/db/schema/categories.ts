import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { CategoryGroup, CategoryQuestion } from '../../../domain/categories';
import { departments } from './jurisdiction';

export const categories = pgTable('categories', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	group: text('group').$type<CategoryGroup>().notNull(),
	description: text('description'),
	departmentId: uuid('department_id').references(() => departments.id),
	/** Working hours to handle a case once dispatched (时限). */
	deadlineHours: integer('deadline_hours').notNull().default(72),
	/** Shorter deadline that applies to urgent-priority cases. */
	urgentDeadlineHours: integer('urgent_deadline_hours').notNull().default(4),
	/** Life-safety fast lane: shows the 119 notice and takes urgent priority. */
	urgent: boolean('urgent').notNull().default(false),
	/** Indoor problems are located publicly only to the compound. */
	indoor: boolean('indoor').notNull().default(false),
	duplicateRadiusM: integer('duplicate_radius_m').notNull().default(150),
	/** Days after closure when the case is revisited (回头看). */
	revisitDays: integer('revisit_days').notNull().default(14),
	questions: jsonb('questions').$type<CategoryQuestion[]>().notNull().default([]),
	keywords: text('keywords').array().notNull().default([]),
	sortOrder: integer('sort_order').notNull().default(0),
	active: boolean('active').notNull().default(true)
});
