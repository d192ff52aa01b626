import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointInPolygon } from '$lib/domain/geo';
import type { Database } from '.';
import { categories, communities, departments, posts, users } from './schema';
import { openTestDatabase } from './testing';
import { seedDemo } from '../seed/demo';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

describe(`data layer (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('migrates and seeds the demo jurisdiction', async () => {
		const { db } = database;
		expect((await db.select().from(communities)).length).toBe(4);
		const codes = (await db.select({ code: departments.code }).from(departments)).map(
			(d) => d.code
		);
		for (const code of [
			'city-management',
			'market-supervision',
			'emergency',
			'property',
			'general-office',
			'party-building',
			'law-enforcement',
			'supervision',
			'community-heping'
		]) {
			expect(codes).toContain(code);
		}
		expect((await db.select().from(users)).length).toBe(8);
		expect((await db.select().from(posts)).map((p) => p.code)).toContain('fanchang-market');
	});

	it('gives urgent categories their department and flag', async () => {
		const [row] = await database.db
			.select({ urgent: categories.urgent, department: departments.code })
			.from(categories)
			.innerJoin(departments, eq(categories.departmentId, departments.id))
			.where(eq(categories.code, 'fire-lane-blocked'));
		expect(row).toEqual({ urgent: true, department: 'property' });
	});

	it('places each demo post inside its community', async () => {
		const rows = await database.db
			.select({ lat: posts.lat, lng: posts.lng, boundary: communities.boundary })
			.from(posts)
			.innerJoin(communities, eq(posts.communityId, communities.id));
		for (const row of rows) expect(pointInPolygon(row, row.boundary!)).toBe(true);
	});

	it('seeds only once', async () => {
		expect(await seedDemo(database.db)).toBe(false);
	});

	it('refuses a role outside the list', async () => {
		await expect(
			database.db.execute(
				sql`insert into users (phone, name, password_hash, role) values ('13911111111', 'x', 'x', 'king')`
			)
		).rejects.toThrow();
	});

	it('has btree_gist available for exclusion constraints', async () => {
		await database.db.execute(sql`create extension if not exists btree_gist`);
		await database.db.execute(
			sql`create temporary table gist_probe (who int, during tstzrange, exclude using gist (who with =, during with &&))`
		);
		await database.db.execute(
			sql`insert into gist_probe values (1, tstzrange(now(), now() + interval '1 hour'))`
		);
		await expect(
			database.db.execute(
				sql`insert into gist_probe values (1, tstzrange(now(), now() + interval '2 hour'))`
			)
		).rejects.toThrow();
	});

	it.runIf(Boolean(process.env.DATABASE_URL))(
		'prepares ordinary queries on PostgreSQL, so each runs in one round trip',
		async () => {
			// One transaction holds one connection: its prepared statements are the ones listed.
			const listed = await database.db.transaction(async (tx) => {
				await tx.select().from(categories).where(eq(categories.code, 'street-vendor'));
				return tx.execute(
					sql`select statement from pg_prepared_statements where statement like '%from "categories"%'`
				);
			});
			// Only on PostgreSQL (postgres.js), whose result is the array of rows.
			expect((listed as unknown as unknown[]).length).toBeGreaterThan(0);
		}
	);
});
