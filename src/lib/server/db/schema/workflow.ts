import { sql } from 'drizzle-orm';
import {
	check,
	date,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import type { Priority } from '../../../domain/stages';
import { categories } from './categories';
import { reports } from './reports';
import { users } from './users';

/**
 * The holiday calendar for working-hour deadlines: a `holiday` is a weekday off (法定节假日), a
 * `workday` is a weekend day worked instead (调休). Days not listed follow Mon–Fri.
 */
export const calendarDays = pgTable(
	'calendar_days',
	{
		day: date('day').primaryKey(),
		kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
		name: text('name').notNull().default('')
	},
	(t) => [check('calendar_days_kind_check', sql.raw(`${t.kind.name} in ('holiday', 'workday')`))]
);

/**
 * Working hours to accept, handle and check a case, per category (null: every category) and
 * priority. A missing row or hour falls back to the default row, then to the built-in hours; the
 * handling hours to the category's own deadline.
 */
export const deadlineRules = pgTable(
	'deadline_rules',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'cascade' }),
		priority: text('priority').$type<Priority>().notNull(),
		acceptHours: integer('accept_hours'),
		/** Null: the category's deadline_hours / urgent_deadline_hours. */
		handleHours: integer('handle_hours'),
		checkHours: integer('check_hours')
	},
	(t) => [
		unique('deadline_rules_category_priority').on(t.categoryId, t.priority).nullsNotDistinct(),
		check('deadline_rules_priority_check', sql.raw(`${t.priority.name} in ('normal', 'urgent')`))
	]
);

/** One escalation per deadline: a case escalated for its current due time is not escalated again. */
export const reportEscalations = pgTable(
	'report_escalations',
	{
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		escalatedAt: timestamp('escalated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('report_escalations_once').on(t.reportId, t.dueAt)]
);

/** Response templates per category (null: any category) for public replies and notes. */
export const responseTemplates = pgTable(
	'response_templates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('response_templates_category_idx').on(t.categoryId)]
);

export const revisitStatuses = ['scheduled', 'confirmed', 'reopened', 'cancelled'] as const;
export type RevisitStatus = (typeof revisitStatuses)[number];

/**
 * The revisit (回头看) of a closed case, scheduled at closure for the category's number of days
 * later. The revisit job marks it due once (due_notified_at); a check confirms the fix held or
 * reopens the problem as a new case, linked here both ways (report_id → new_report_id).
 */
export const reportRevisits = pgTable(
	'report_revisits',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
		status: text('status').$type<RevisitStatus>().notNull().default('scheduled'),
		/** Set by the one job run that announced it: no server announces it twice. */
		dueNotifiedAt: timestamp('due_notified_at', { withTimezone: true }),
		checkedAt: timestamp('checked_at', { withTimezone: true }),
		checkedByUserId: uuid('checked_by_user_id').references(() => users.id),
		note: text('note'),
		/** The new case a failed check opened. */
		newReportId: uuid('new_report_id').references(() => reports.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check(
			'report_revisits_status_check',
			sql.raw(`${t.status.name} in (${revisitStatuses.map((s) => `'${s}'`).join(', ')})`)
		),
		// At most one revisit waits per case.
		uniqueIndex('report_revisits_one_scheduled')
			.on(t.reportId)
			.where(sql.raw(`status = 'scheduled'`)),
		index('report_revisits_due_idx').on(t.status, t.dueAt),
		index('report_revisits_report_idx').on(t.reportId),
		index('report_revisits_new_report_idx').on(t.newReportId)
	]
);
