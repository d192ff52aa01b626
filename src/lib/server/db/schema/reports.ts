import { sql } from 'drizzle-orm';
import {
	type AnyPgColumn,
	boolean,
	check,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';
import { stages, type Priority, type Stage } from '../../../domain/stages';
import { openStages } from '../../../domain/workflow';
import { categories } from './categories';
import { communities, compounds, departments, grids } from './jurisdiction';
import { users } from './users';

/** The predicate of the partial queue indexes: the same list the queue's "open" filter uses. */
const openCase = sql.raw(`stage in (${openStages.map((s) => `'${s}'`).join(', ')})`);

/*
 * The case core shared by intake (resident reporting), the workflow and Open311. Areas add their own
 * columns or tables in their own migrations.
 */
/**
 * The distinct character pairs of a case's code, description and address, lower-cased; chr(1)
 * keeps a pair from spanning two columns. The queue's search and its index share this expression.
 */
export function searchPairs(t: {
	trackingCode: AnyPgColumn;
	description: AnyPgColumn;
	address: AnyPgColumn;
}) {
	return sql`jx_char_pairs(coalesce(${t.trackingCode}, '') || chr(1) || coalesce(${t.description}, '') || chr(1) || coalesce(${t.address}, ''))`;
}

export const reports = pgTable(
	'reports',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Short public code shown to the reporter and on the tracking page. */
		trackingCode: text('tracking_code').notNull().unique(),
		categoryId: uuid('category_id')
			.notNull()
			.references(() => categories.id),
		stage: text('stage').$type<Stage>().notNull().default('submitted'),
		priority: text('priority').$type<Priority>().notNull().default('normal'),
		description: text('description').notNull().default(''),
		/** Answers to the category's extra questions, by question code. */
		answers: jsonb('answers').$type<Record<string, string | string[]>>().notNull().default({}),
		/** WGS84; null when the resident gave only a community and address. */
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		accuracyM: doublePrecision('accuracy_m'),
		address: text('address'),
		communityId: uuid('community_id').references(() => communities.id),
		gridId: uuid('grid_id').references(() => grids.id),
		compoundId: uuid('compound_id').references(() => compounds.id),
		/** The point lies outside the subdistrict: kept, and flagged for triage. */
		outsideArea: boolean('outside_area').notNull().default(false),
		reporterUserId: uuid('reporter_user_id').references(() => users.id),
		/** AES-GCM ciphertext of the optional feedback phone; never shown unmasked. */
		reporterPhoneEncrypted: text('reporter_phone_encrypted'),
		/** The department the case is dispatched to (or proposed). */
		departmentId: uuid('department_id').references(() => departments.id),
		/** When the current stage's deadline falls (accept, handle or check). */
		dueAt: timestamp('due_at', { withTimezone: true }),
		duplicateOfId: uuid('duplicate_of_id'),
		meTooCount: integer('me_too_count').notNull().default(0),
		// Kept by each move, so the dashboard reads one row per case, not its timeline.
		firstDispatchedAt: timestamp('first_dispatched_at', { withTimezone: true }),
		lastHandledAt: timestamp('last_handled_at', { withTimezone: true }),
		/** The last handling came within the handling deadline then running. */
		lastHandledOnTime: boolean('last_handled_on_time'),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** Optimistic concurrency: every transition bumps it. */
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check(
			'reports_stage_check',
			sql.raw(`${t.stage.name} in (${stages.map((s) => `'${s}'`).join(', ')})`)
		),
		check('reports_priority_check', sql.raw(`${t.priority.name} in ('normal', 'urgent')`)),
		index('reports_category_idx').on(t.categoryId),
		index('reports_community_idx').on(t.communityId),
		index('reports_department_idx').on(t.departmentId),
		index('reports_created_idx').on(t.createdAt),
		// The queue's first page: open cases by deadline, overall and per scope (bench/queue-bench.js).
		index('reports_open_due_idx').on(t.dueAt, t.createdAt).where(openCase),
		index('reports_open_community_due_idx').on(t.communityId, t.dueAt, t.createdAt).where(openCase),
		index('reports_open_department_due_idx')
			.on(t.departmentId, t.dueAt, t.createdAt)
			.where(openCase),
		index('reports_stage_due_idx').on(t.stage, t.dueAt),
		// The dashboard's closures and handlings in a period.
		index('reports_closed_at_idx')
			.on(t.closedAt)
			.where(sql.raw(`${t.stage.name} = 'closed'`)),
		index('reports_last_handled_idx').on(t.lastHandledAt),
		// The queue's search box (ILIKE '%…%' on each): trigram indexes, so a search over all cases
		// reads the matching rows, not the whole table (bench/queue-bench.js).
		index('reports_tracking_code_trgm_idx').using('gin', t.trackingCode.op('gin_trgm_ops')),
		index('reports_description_trgm_idx').using('gin', t.description.op('gin_trgm_ops')),
		index('reports_address_trgm_idx').using('gin', t.address.op('gin_trgm_ops')),
		// A trigram index cannot serve a two-character search (垃圾, 占道), the commonest in Chinese:
		// the character pairs of the three columns can (jx_char_pairs, migration 0011).
		index('reports_search_pairs_idx').using('gin', searchPairs(t))
	]
);

export const photoKinds = ['before', 'after'] as const;
export type PhotoKind = (typeof photoKinds)[number];

export const reportPhotos = pgTable(
	'report_photos',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<PhotoKind>().notNull().default('before'),
		/** Server-made name in the photo store. */
		storageKey: text('storage_key').notNull().unique(),
		contentType: text('content_type').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		bytes: integer('bytes').notNull(),
		public: boolean('public').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('report_photos_report_idx').on(t.reportId)]
);

/**
 * A resident's photo taken at intake and not yet re-encoded: its metadata already cut at the door,
 * kept under `storageKey` (never served) until the finishing job makes it a `report_photos` row.
 */
export const reportPhotoUploads = pgTable(
	'report_photo_uploads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		storageKey: text('storage_key').notNull().unique(),
		/** Order among the report's photos. */
		position: integer('position').notNull(),
		/** Tries that found no file (another server's storage may not have it yet). */
		attempts: integer('attempts').notNull().default(0),
		/** Not finished before this: set after a try that found no file. */
		nextTryAt: timestamp('next_try_at', { withTimezone: true }).notNull().defaultNow(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('report_photo_uploads_created_idx').on(t.createdAt)]
);

/** The audit trail and timeline: every move and every reply. */
export const reportEvents = pgTable(
	'report_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorUserId: uuid('actor_user_id').references(() => users.id),
		/** A transition action (accept, dispatch…), or 'submit', 'reply', 'note', 'me_too', 'rate', 'reopen'. */
		action: text('action').notNull(),
		fromStage: text('from_stage').$type<Stage>(),
		toStage: text('to_stage').$type<Stage>(),
		/** Internal note: staff only. */
		note: text('note'),
		/** Public reply: shown to the reporter and on the tracking page. */
		publicNote: text('public_note'),
		departmentId: uuid('department_id').references(() => departments.id),
		data: jsonb('data').$type<Record<string, unknown>>()
	},
	(t) => [
		index('report_events_report_idx').on(t.reportId, t.at),
		// The dashboard counts moves of some kinds in a period.
		index('report_events_action_at_idx').on(t.action, t.at),
		// A case's first or last move of one kind (first dispatch, last handling) in one probe.
		index('report_events_report_action_idx').on(t.reportId, t.action, t.at)
	]
);

/** Who follows a case: its reporters, "me too" residents and merged reporters. */
export const reportFollowers = pgTable(
	'report_followers',
	{
		reportId: uuid('report_id')
			.notNull()
			.references(() => reports.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		reason: text('reason').notNull().default('reporter'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.reportId, t.userId] })]
);
