import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Polygon } from '../../../domain/geo';

/** The subdistrict (街道) this deployment serves. Usually one row. */
export const subdistricts = pgTable('subdistricts', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	boundary: jsonb('boundary').$type<Polygon>()
});

export const communities = pgTable('communities', {
	id: uuid('id').primaryKey().defaultRandom(),
	subdistrictId: uuid('subdistrict_id')
		.notNull()
		.references(() => subdistricts.id),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	boundary: jsonb('boundary').$type<Polygon>(),
	active: boolean('active').notNull().default(true)
});

export const grids = pgTable('grids', {
	id: uuid('id').primaryKey().defaultRandom(),
	communityId: uuid('community_id')
		.notNull()
		.references(() => communities.id),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	boundary: jsonb('boundary').$type<Polygon>(),
	/** The cadre who answers for this grid (网格包干). */
	responsibleName: text('responsible_name').notNull(),
	responsibleUserId: uuid('responsible_user_id')
});

export const propertyCompanies = pgTable('property_companies', {
	id: uuid('id').primaryKey().defaultRandom(),
	name: text('name').notNull().unique(),
	contactName: text('contact_name')
});

export const compounds = pgTable('compounds', {
	id: uuid('id').primaryKey().defaultRandom(),
	communityId: uuid('community_id')
		.notNull()
		.references(() => communities.id),
	propertyCompanyId: uuid('property_company_id').references(() => propertyCompanies.id),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	boundary: jsonb('boundary').$type<Polygon>()
});

export const departmentKinds = ['internal', 'community', 'external'] as const;
export type DepartmentKind = (typeof departmentKinds)[number];

export const departments = pgTable('departments', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en'),
	kind: text('kind').$type<DepartmentKind>().notNull().default('internal'),
	communityId: uuid('community_id').references(() => communities.id),
	active: boolean('active').notNull().default(true),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});
