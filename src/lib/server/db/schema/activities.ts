import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { shifts } from './duty';
import { departments, propertyCompanies } from './jurisdiction';
import { users } from './users';

export const activityKinds = ['cleanup', 'publicity'] as const;
export type ActivityKind = (typeof activityKinds)[number];

/**
 * A one-off volunteer activity (clean-up, publicity event). It owns one shift without a template,
 * at the post where people gather: booking, waitlist, check-in and service records are the duty
 * module's, unchanged.
 */
export const activities = pgTable(
	'activities',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		shiftId: uuid('shift_id')
			.notNull()
			.unique()
			.references(() => shifts.id),
		kind: text('kind').$type<ActivityKind>().notNull(),
		title: text('title').notNull(),
		description: text('description').notNull().default(''),
		/** Where exactly (the post is the meeting point whose code checks people in). */
		place: text('place').notNull(),
		organiserDepartmentId: uuid('organiser_department_id').references(() => departments.id),
		responsiblePerson: text('responsible_person').notNull(),
		createdByUserId: uuid('created_by_user_id').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('activities_kind_check', sql`${t.kind} in ('cleanup', 'publicity')`)]
);

/** A property company that took part in an activity (counts in its 物业考核 scorecard). */
export const activityParticipations = pgTable(
	'activity_participations',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		activityId: uuid('activity_id')
			.notNull()
			.references(() => activities.id, { onDelete: 'cascade' }),
		propertyCompanyId: uuid('property_company_id')
			.notNull()
			.references(() => propertyCompanies.id),
		note: text('note'),
		recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		unique('activity_participations_unique').on(t.activityId, t.propertyCompanyId),
		index('activity_participations_company_idx').on(t.propertyCompanyId)
	]
);
