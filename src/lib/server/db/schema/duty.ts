import { doublePrecision, pgTable, text, uuid, boolean } from 'drizzle-orm/pg-core';
import { communities } from './jurisdiction';

export const postZones = ['west', 'east'] as const;
export type PostZone = (typeof postZones)[number];

/** Fixed duty posts (定岗点位); shifts and rotas build on these. */
export const posts = pgTable('posts', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	communityId: uuid('community_id').references(() => communities.id),
	/** West or east of 铜陵路. */
	zone: text('zone').$type<PostZone>().notNull(),
	lat: doublePrecision('lat').notNull(),
	lng: doublePrecision('lng').notNull(),
	coordinatorName: text('coordinator_name'),
	coordinatorPhone: text('coordinator_phone'),
	active: boolean('active').notNull().default(true)
});
