import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrackingCode } from '$lib/domain/reporting';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import { reports } from '../db/schema';
import { seedDemoCases } from './demo-cases';
import { publicReport } from './public';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
});

describe(`the demo's sample cases (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('have real tracking codes, so each opens from the public list', async () => {
		await seedDemoCases(database.db);
		const rows = await database.db.select({ code: reports.trackingCode }).from(reports);
		expect(rows.length).toBeGreaterThan(5);
		for (const { code } of rows) {
			expect(isTrackingCode(code), code).toBe(true);
			expect(await publicReport(database.db, code)).not.toBeNull();
		}
	});
});
