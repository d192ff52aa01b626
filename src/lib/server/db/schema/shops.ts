import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	doublePrecision,
	index,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import type { Duty, DutyResult } from '../../../domain/shops';
import { communities, compounds } from './jurisdiction';
import { reports } from './reports';
import { users } from './users';

/** The shop registry (门前三包): each shop answers for the street in front of it. */
export const shops = pgTable(
	'shops',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		address: text('address').notNull(),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		communityId: uuid('community_id').references(() => communities.id),
		ownerName: text('owner_name'),
		/** AES-GCM ciphertext of the owner's phone (see crypto.ts); shown masked. */
		ownerContactEncrypted: text('owner_contact_encrypted'),
		/** Notes per duty: 市容 (appearance), 环境卫生 (sanitation), 秩序 (order). */
		dutyNotes: jsonb('duty_notes').$type<Partial<Record<Duty, string>>>().notNull().default({}),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('shops_community_idx').on(t.communityId),
		unique('shops_name_address_unique').on(t.name, t.address)
	]
);

/** An inspection campaign (集中查处) over a set of shops and a date range. */
export const campaigns = pgTable(
	'campaigns',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		startsOn: date('starts_on').notNull(),
		endsOn: date('ends_on').notNull(),
		createdByUserId: uuid('created_by_user_id').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [check('campaigns_dates_check', sql`${t.endsOn} >= ${t.startsOn}`)]
);

export const campaignShops = pgTable(
	'campaign_shops',
	{
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id, { onDelete: 'cascade' }),
		shopId: uuid('shop_id')
			.notNull()
			.references(() => shops.id)
	},
	(t) => [primaryKey({ columns: [t.campaignId, t.shopId] })]
);

/** One visit of an inspector to a shop, with pass or fail per duty. */
export const inspections = pgTable(
	'inspections',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Made on the phone when the inspector records: a replayed sync creates nothing twice. */
		clientId: uuid('client_id').notNull().unique(),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id, { onDelete: 'cascade' }),
		shopId: uuid('shop_id')
			.notNull()
			.references(() => shops.id),
		inspectorUserId: uuid('inspector_user_id').references(() => users.id),
		inspectedAt: timestamp('inspected_at', { withTimezone: true }).notNull(),
		results: jsonb('results').$type<Record<Duty, DutyResult>>().notNull(),
		note: text('note'),
		/** Server-made name of the re-encoded photo in the upload folder. */
		photoKey: text('photo_key'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('inspections_campaign_idx').on(t.campaignId, t.shopId)]
);

/**
 * Cases about a shop: a resident's report from its duty card, or a failed inspection. The report
 * intake inserts a row here when a report carries `shop`.
 */
export const shopReports = pgTable(
	'shop_reports',
	{
		reportId: uuid('report_id')
			.primaryKey()
			.references(() => reports.id, { onDelete: 'cascade' }),
		shopId: uuid('shop_id')
			.notNull()
			.references(() => shops.id),
		campaignId: uuid('campaign_id').references(() => campaigns.id),
		inspectionId: uuid('inspection_id').references(() => inspections.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('shop_reports_shop_idx').on(t.shopId),
		index('shop_reports_campaign_idx').on(t.campaignId)
	]
);

/** Fire-hydrant water checks of compounds; a compound whose latest check found none is 无水小区. */
export const hydrantChecks = pgTable(
	'hydrant_checks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		compoundId: uuid('compound_id')
			.notNull()
			.references(() => compounds.id, { onDelete: 'cascade' }),
		checkedOn: date('checked_on').notNull(),
		hasWater: boolean('has_water').notNull(),
		note: text('note'),
		recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('hydrant_checks_compound_idx').on(t.compoundId, t.checkedOn)]
);
