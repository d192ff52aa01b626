import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { reports } from './reports';

/*
 * Resident intake (issue 3): what only the reporter and the intake path need, kept beside the case
 * core so the core stays small.
 */

/**
 * The reporter's device and their rating of the outcome. The secret link's token is an HMAC of the
 * report id (see reporter.ts), so no token is stored.
 */
export const reportReporters = pgTable(
	'report_reporters',
	{
		reportId: uuid('report_id')
			.primaryKey()
			.references(() => reports.id, { onDelete: 'cascade' }),
		/** SHA-256 (hex) of the device cookie that sent the report: "my reports" without an account. */
		deviceHash: text('device_hash'),
		/** satisfied | basically_satisfied | dissatisfied */
		rating: text('rating'),
		ratedAt: timestamp('rated_at', { withTimezone: true }),
		reopenCount: integer('reopen_count').notNull().default(0)
	},
	(t) => [index('report_reporters_device_idx').on(t.deviceHash)]
);

/** "Me too" (我也遇到): one count per person or device per report. */
export const reportMeToos = pgTable(
	'report_me_toos',
	{
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		/** `user:<id>` or `device:<id>`. */
		supporter: text('supporter').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.reportId, t.supporter] })]
);
