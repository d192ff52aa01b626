import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeTakenError } from './admin';
import {
	listCompoundsForAdmin,
	listDryCompounds,
	listPropertyCompanies,
	recordHydrantCheck,
	saveCompound,
	savePropertyCompany
} from './compounds';
import type { Database } from './db';
import { communities, users } from './db/schema';
import { openTestDatabase } from './db/testing';

let database: Database;
let adminId: string;
beforeAll(async () => {
	database = await openTestDatabase();
	[{ id: adminId }] = await database.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.phone, '13800000008'));
});
afterAll(() => database.close());

describe('compounds and property companies', () => {
	it('saves companies with unique names and compounds with unique codes', async () => {
		const { db } = database;
		expect(
			await savePropertyCompany(db, null, { name: '测试物业', contactName: '赵' })
		).toBeUndefined();
		expect(await savePropertyCompany(db, null, { name: '测试物业', contactName: '' })).toEqual({
			name: 'compounds_name_taken'
		});
		const company = (await listPropertyCompanies(db)).find((c) => c.name === '测试物业')!;
		expect(company.compounds).toBe(0);
		await saveCompound(db, null, {
			code: 'test-garden',
			name: '测试花园',
			community: 'heping',
			propertyCompany: company.id
		});
		await expect(
			saveCompound(db, null, {
				code: 'test-garden',
				name: 'x',
				community: 'heping',
				propertyCompany: ''
			})
		).rejects.toBeInstanceOf(CodeTakenError);
		expect(
			await saveCompound(db, null, {
				code: 'test-2',
				name: 'x',
				community: 'nowhere',
				propertyCompany: ''
			})
		).toEqual({ community: 'choice' });
		expect((await listPropertyCompanies(db)).find((c) => c.name === '测试物业')!.compounds).toBe(1);
	});

	it('lists a compound as 无水小区 while its latest check found no water, within scope', async () => {
		const { db } = database;
		const garden = (await listCompoundsForAdmin(db)).find((c) => c.code === 'test-garden')!;
		expect(garden.hasWater).toBeNull();
		await recordHydrantCheck(
			db,
			{ compoundId: garden.id, checkedOn: '2026-05-01', noWater: true, note: '3号栓无水' },
			adminId
		);
		let dry = await listDryCompounds(db, { kind: 'all' });
		expect(dry.map((d) => d.name)).toContain('测试花园');
		const [heping] = await db.select().from(communities).where(eq(communities.code, 'heping'));
		const [maolin] = await db.select().from(communities).where(eq(communities.code, 'maolin'));
		expect(
			(await listDryCompounds(db, { kind: 'community', communityId: heping.id })).map((d) => d.name)
		).toContain('测试花园');
		expect(
			(await listDryCompounds(db, { kind: 'community', communityId: maolin.id })).map((d) => d.name)
		).not.toContain('测试花园');
		// An older check does not override the latest one; a newer one with water does.
		await recordHydrantCheck(
			db,
			{ compoundId: garden.id, checkedOn: '2026-04-01', noWater: false, note: '' },
			adminId
		);
		dry = await listDryCompounds(db, { kind: 'all' });
		expect(dry.find((d) => d.name === '测试花园')?.note).toBe('3号栓无水');
		await recordHydrantCheck(
			db,
			{ compoundId: garden.id, checkedOn: '2026-05-10', noWater: false, note: '已修复' },
			adminId
		);
		dry = await listDryCompounds(db, { kind: 'all' });
		expect(dry.map((d) => d.name)).not.toContain('测试花园');
	});
});
