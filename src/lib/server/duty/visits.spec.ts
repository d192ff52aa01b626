import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import { communities, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { DutyError } from './errors';
import {
	deleteVisit,
	designateLeader,
	isLeader,
	logVisit,
	myVisits,
	removeLeader,
	weeklyVisits
} from './visits';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

// Thursday 2026-12-10; its week runs Monday 12-07 to Sunday 12-13.
const now = atLocal('2026-12-10', '18:00');

async function userByPhone(phone: string) {
	const [row] = await database.db.select().from(users).where(eq(users.phone, phone));
	return row;
}

describe(`leader visits (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('counts each leader’s visits per week and flags fewer than 2', async () => {
		const { db } = database;
		const [a, b] = await db.select().from(communities).limit(2);
		const dispatcher = await userByPhone('13800000006');
		const supervisor = await userByPhone('13800000007');
		const volunteer = await userByPhone('13800000002');

		// Only named leaders may log, and only staff can be named.
		await expect(
			logVisit(db, {
				leaderUserId: dispatcher.id,
				communityId: a.id,
				visitedOn: '2026-12-08',
				notes: '',
				now
			})
		).rejects.toMatchObject({ code: 'not_leader', status: 403 });
		await expect(designateLeader(db, { userId: volunteer.id, title: '' })).rejects.toBeInstanceOf(
			DutyError
		);
		await designateLeader(db, { userId: dispatcher.id, title: '副主任' });
		await designateLeader(db, { userId: supervisor.id, title: '纪工委书记' });
		// Naming again updates the title, no second row.
		await designateLeader(db, { userId: supervisor.id, title: '纪工委书记（兼）' });
		expect(await isLeader(db, supervisor.id)).toBe(true);

		for (const [day, community] of [
			['2026-12-07', a],
			['2026-12-09', b],
			['2026-12-09', a],
			// The Sunday before and the Monday after fall in other weeks.
			['2026-12-06', a]
		] as const)
			await logVisit(db, {
				leaderUserId: dispatcher.id,
				communityId: community.id,
				visitedOn: day,
				notes: '检查门前三包',
				now
			});
		const lone = await logVisit(db, {
			leaderUserId: supervisor.id,
			communityId: b.id,
			visitedOn: '2026-12-13',
			notes: '',
			now: atLocal('2026-12-13', '10:00')
		});

		const week = await weeklyVisits(db, '2026-12-10');
		expect(week.map((l) => [l.name, l.visits, l.short])).toEqual([
			[supervisor.name, 1, true],
			[dispatcher.name, 3, false]
		]);
		expect(week[1].communities).toEqual(
			[a, b]
				.sort((x, y) => (x.name < y.name ? -1 : 1))
				.map((c) => ({ name: c.name, nameEn: c.nameEn }))
		);
		const before = await weeklyVisits(db, '2026-12-06');
		expect(before.find((l) => l.userId === dispatcher.id)?.visits).toBe(1);
		expect(before.find((l) => l.userId === supervisor.id)).toMatchObject({
			visits: 0,
			short: true
		});

		// A visit can't be in the future, nor more than 14 days back, nor at an unknown community.
		for (const visitedOn of ['2026-12-11', '2026-11-25'])
			await expect(
				logVisit(db, {
					leaderUserId: dispatcher.id,
					communityId: a.id,
					visitedOn,
					notes: '',
					now
				})
			).rejects.toMatchObject({ code: 'invalid_input', fields: { visitedOn: 'visit_date' } });
		await expect(
			logVisit(db, {
				leaderUserId: dispatcher.id,
				communityId: '00000000-0000-4000-8000-000000000000',
				visitedOn: '2026-12-10',
				notes: '',
				now
			})
		).rejects.toMatchObject({ fields: { community: 'choice' } });

		// A leader deletes only their own visits.
		await expect(deleteVisit(db, { id: lone.id, leaderUserId: dispatcher.id })).rejects.toThrow(
			DutyError
		);
		await deleteVisit(db, { id: lone.id, leaderUserId: supervisor.id });
		expect(await myVisits(db, supervisor.id, '2026-12-01')).toEqual([]);
		const mine = await myVisits(db, dispatcher.id, '2026-12-07');
		expect(mine.length).toBe(3);
		expect(mine.every((visit) => visit.community && visit.communityEn)).toBe(true);

		await removeLeader(db, supervisor.id);
		expect((await weeklyVisits(db, '2026-12-10')).map((l) => l.userId)).toEqual([dispatcher.id]);
	});
});
