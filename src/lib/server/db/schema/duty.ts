import { sql } from 'drizzle-orm';
import {
	bigserial,
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	pgTable,
	smallint,
	text,
	timestamp,
	unique,
	uniqueIndex,
	uuid
} from 'drizzle-orm/pg-core';
import { communities } from './jurisdiction';
import { users } from './users';

export const postZones = ['west', 'east'] as const;
export type PostZone = (typeof postZones)[number];

/** Fixed duty posts (定岗点位); shifts and rotas build on these. */
export const posts = pgTable('posts', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	communityId: uuid('community_id').references(() => communities.id),
	/** West or east of 铜陵路. */
	zone: text('zone').$type<PostZone>().notNull(),
	lat: doublePrecision('lat').notNull(),
	lng: doublePrecision('lng').notNull(),
	coordinatorName: text('coordinator_name'),
	coordinatorPhone: text('coordinator_phone'),
	active: boolean('active').notNull().default(true)
});

/**
 * When a post is staffed: weekdays and a local time window, from a date until a date. The daily
 * job turns templates into shifts 14 days ahead; a change reaches future shifts only.
 */
export const shiftTemplates = pgTable(
	'shift_templates',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		postId: uuid('post_id')
			.notNull()
			.references(() => posts.id),
		/** ISO weekdays, 1 = Monday … 7 = Sunday. */
		weekdays: smallint('weekdays').array().notNull(),
		/** Local wall-clock times (Asia/Shanghai), "HH:MM". */
		startTime: text('start_time').notNull(),
		endTime: text('end_time').notNull(),
		volunteersNeeded: integer('volunteers_needed').notNull(),
		staffNeeded: integer('staff_needed').notNull().default(0),
		validFrom: date('valid_from').notNull(),
		validTo: date('valid_to'),
		/** Sign-up opens this many hours before the start. */
		signupOpensHours: integer('signup_opens_hours').notNull().default(336),
		/** Cancelling is possible until this many hours before the start. */
		cancelCutoffHours: integer('cancel_cutoff_hours').notNull().default(2),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('shift_templates_time_check', sql`${t.startTime} < ${t.endTime}`),
		check('shift_templates_needed_check', sql`${t.volunteersNeeded} >= 0 and ${t.staffNeeded} >= 0`)
	]
);

export const shiftStatuses = ['open', 'cancelled'] as const;
export type ShiftStatus = (typeof shiftStatuses)[number];

/** One staffed window at one post on one day. `booked` is kept by conditional updates. */
export const shifts = pgTable(
	'shifts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		postId: uuid('post_id')
			.notNull()
			.references(() => posts.id),
		templateId: uuid('template_id').references(() => shiftTemplates.id),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		capacity: integer('capacity').notNull(),
		booked: integer('booked').notNull().default(0),
		staffNeeded: integer('staff_needed').notNull().default(0),
		signupOpensAt: timestamp('signup_opens_at', { withTimezone: true }).notNull(),
		cancelCutoffAt: timestamp('cancel_cutoff_at', { withTimezone: true }).notNull(),
		status: text('status').$type<ShiftStatus>().notNull().default('open'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('shifts_capacity_check', sql`${t.booked} >= 0 and ${t.booked} <= ${t.capacity}`),
		check('shifts_time_check', sql`${t.startsAt} < ${t.endsAt}`),
		check('shifts_status_check', sql`${t.status} in ('open', 'cancelled')`),
		unique('shifts_template_window_unique').on(t.templateId, t.startsAt, t.endsAt),
		index('shifts_starts_idx').on(t.startsAt),
		index('shifts_post_idx').on(t.postId, t.startsAt)
	]
);

export const bookingStatuses = ['booked', 'waitlisted', 'cancelled'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/**
 * A volunteer's place on a shift. The shift's times are copied here so an exclusion constraint
 * (custom migration, `bookings_no_overlap`) refuses overlapping active bookings of one person.
 */
export const bookings = pgTable(
	'bookings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		shiftId: uuid('shift_id')
			.notNull()
			.references(() => shifts.id),
		volunteerId: uuid('volunteer_id')
			.notNull()
			.references(() => users.id),
		status: text('status').$type<BookingStatus>().notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		/** Waitlist order. */
		seq: bigserial('seq', { mode: 'number' }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		promotedAt: timestamp('promoted_at', { withTimezone: true }),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
		checkedOutAt: timestamp('checked_out_at', { withTimezone: true }),
		/** The scan was made offline and synced later. */
		checkInOffline: boolean('check_in_offline').notNull().default(false),
		/** Distance to the post at check-in, a soft signal; no track is kept. */
		checkInDistanceM: integer('check_in_distance_m'),
		/** When the 24-hour and 1-hour reminders went out (set by one conditional update each). */
		reminded24At: timestamp('reminded_24_at', { withTimezone: true }),
		reminded1At: timestamp('reminded_1_at', { withTimezone: true })
	},
	(t) => [
		check('bookings_status_check', sql`${t.status} in ('booked', 'waitlisted', 'cancelled')`),
		index('bookings_shift_idx').on(t.shiftId, t.status, t.seq),
		index('bookings_volunteer_idx').on(t.volunteerId, t.startsAt)
	]
);

/** What a volunteer adds at sign-up: real name, skills and, for under-18s, a guardian's consent. */
export const volunteerProfiles = pgTable('volunteer_profiles', {
	userId: uuid('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	realName: text('real_name').notNull(),
	birthDate: date('birth_date').notNull(),
	skills: text('skills').notNull().default(''),
	guardianName: text('guardian_name'),
	guardianPhone: text('guardian_phone'),
	guardianConsentAt: timestamp('guardian_consent_at', { withTimezone: true }),
	/** The secret in the volunteer's iCal feed URL; regenerating it revokes the old URL. */
	calendarToken: text('calendar_token').unique(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

// In-app notifications live in ./notifications.ts, shared by every area.

/** Staff sent down to a post for a day (下沉人员), assigned by a dispatcher. */
export const staffAssignments = pgTable(
	'staff_assignments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		postId: uuid('post_id')
			.notNull()
			.references(() => posts.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		day: date('day').notNull(),
		note: text('note'),
		assignedBy: uuid('assigned_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('staff_assignments_unique').on(t.postId, t.userId, t.day),
		index('staff_assignments_day_idx').on(t.day)
	]
);

export const spotCheckResults = ['present', 'late', 'absent'] as const;
export type SpotCheckResult = (typeof spotCheckResults)[number];

/** A supervisor's on-site check of one person at one post (在岗督察). */
export const spotChecks = pgTable(
	'spot_checks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		postId: uuid('post_id')
			.notNull()
			.references(() => posts.id),
		subjectUserId: uuid('subject_user_id')
			.notNull()
			.references(() => users.id),
		bookingId: uuid('booking_id').references(() => bookings.id),
		assignmentId: uuid('assignment_id').references(() => staffAssignments.id),
		result: text('result').$type<SpotCheckResult>().notNull(),
		note: text('note'),
		/** The supervisor's optional photo, through the photo pipeline and store. */
		photoKey: text('photo_key'),
		checkedBy: uuid('checked_by')
			.notNull()
			.references(() => users.id),
		/** When the supervisor tapped (device time for offline checks). */
		checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('spot_checks_result_check', sql`${t.result} in ('present', 'late', 'absent')`),
		index('spot_checks_subject_idx').on(t.subjectUserId, t.checkedAt)
	]
);

export const standInStatuses = ['open', 'filled'] as const;
export type StandInStatus = (typeof standInStatuses)[number];

/**
 * An absence found by a spot check opens one extra place on the shift for a stand-in (顶岗).
 * Free volunteers are asked; the first to accept takes it through the booking code.
 */
export const standInRequests = pgTable(
	'stand_in_requests',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		shiftId: uuid('shift_id')
			.notNull()
			.references(() => shifts.id),
		/** The absent person's booking; one request per absent booking. */
		absentBookingId: uuid('absent_booking_id')
			.notNull()
			.unique()
			.references(() => bookings.id),
		status: text('status').$type<StandInStatus>().notNull().default('open'),
		filledByBookingId: uuid('filled_by_booking_id').references(() => bookings.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		filledAt: timestamp('filled_at', { withTimezone: true })
	},
	(t) => [
		check('stand_in_requests_status_check', sql`${t.status} in ('open', 'filled')`),
		index('stand_in_requests_shift_idx').on(t.shiftId)
	]
);

/** A volunteer-service record (志愿服务记录) per finished shift. */
export const serviceRecords = pgTable(
	'service_records',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		bookingId: uuid('booking_id')
			.notNull()
			.unique()
			.references(() => bookings.id),
		volunteerId: uuid('volunteer_id')
			.notNull()
			.references(() => users.id),
		activity: text('activity').notNull(),
		serviceDate: date('service_date').notNull(),
		place: text('place').notNull(),
		content: text('content').notNull(),
		/** Service time in minutes, from check-in and check-out capped to the window. */
		minutes: integer('minutes').notNull(),
		organisingUnit: text('organising_unit').notNull(),
		responsiblePerson: text('responsible_person').notNull(),
		/** Finalised automatically after 10 working days; no correction after that. */
		finalisesOn: date('finalises_on').notNull(),
		finalisedAt: timestamp('finalised_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('service_records_minutes_check', sql`${t.minutes} >= 0`),
		index('service_records_volunteer_idx').on(t.volunteerId, t.serviceDate)
	]
);

/** The audit trail of a record: adjustments by a coordinator and correction requests. */
export const serviceRecordEvents = pgTable(
	'service_record_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		recordId: uuid('record_id')
			.notNull()
			.references(() => serviceRecords.id, { onDelete: 'cascade' }),
		/** 'adjust' (coordinator), 'correction_request' (volunteer), 'correction_resolved'. */
		kind: text('kind').notNull(),
		actorUserId: uuid('actor_user_id')
			.notNull()
			.references(() => users.id),
		fromMinutes: integer('from_minutes'),
		toMinutes: integer('to_minutes'),
		reason: text('reason').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('service_record_events_record_idx').on(t.recordId, t.at)]
);

/** The subdistrict's leaders (班子成员) whose community visits are counted each week. */
export const leaders = pgTable('leaders', {
	userId: uuid('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	/** Their post in the leadership, e.g. 党工委副书记. */
	title: text('title').notNull().default(''),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** A leader's visit to a community (班子成员下沉社区), logged from the phone. */
export const leaderVisits = pgTable(
	'leader_visits',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		leaderUserId: uuid('leader_user_id')
			.notNull()
			.references(() => leaders.userId, { onDelete: 'cascade' }),
		communityId: uuid('community_id')
			.notNull()
			.references(() => communities.id),
		visitedOn: date('visited_on').notNull(),
		notes: text('notes').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('leader_visits_leader_idx').on(t.leaderUserId, t.visitedOn)]
);
