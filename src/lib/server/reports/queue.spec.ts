import { eq, sql } from 'drizzle-orm';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { ApiError } from '../api/errors';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import { departments, reportEvents, reports } from '../db/schema';
import { createCase, demoActors } from './fixtures';
import { getCase, listQueue, PAGE_SIZE, queueWhere } from './queue';
import type { Actor } from './workflow';

let database: Database;
const actors: Record<string, Actor> = {};
const ids: Record<string, string> = {};
const filter = (input: Record<string, string> = {}) => v.parse(queueFilterSchema, input);
const now = new Date('2026-11-30T12:00:00+08:00');

beforeAll(async () => {
	database = await openTestDatabase();
	const db = database.db;
	Object.assign(actors, await demoActors(database.db));
	ids.hepingNew = (await createCase(db, { description: '和平社区的新问题' })).id;
	ids.hepingLate = (
		await createCase(db, {
			stage: 'dispatched',
			department: 'city-management',
			dueAt: new Date('2026-11-30T10:00:00+08:00'),
			category: 'illegal-parking',
			priority: 'urgent'
		})
	).id;
	ids.maolinDispatched = (
		await createCase(db, {
			community: 'maolin',
			stage: 'dispatched',
			department: 'city-management',
			dueAt: new Date('2026-12-01T10:00:00+08:00')
		})
	).id;
	ids.maolinProposed = (
		await createCase(db, { community: 'maolin', stage: 'accepted', department: 'city-management' })
	).id;
	ids.marketDispatched = (
		await createCase(db, {
			stage: 'dispatched',
			department: 'market-supervision',
			address: '繁昌路菜市 100% 摊位'
		})
	).id;
});
afterAll(() => database?.close());

const idsOf = (q: Awaited<ReturnType<typeof listQueue>>) => q.items.map((i) => i.id).sort();

describe('the queue keeps to the scope', () => {
	it('shows community staff their community only', async () => {
		const q = await listQueue(database.db, actors.community_staff, filter(), now);
		expect(idsOf(q)).toEqual([ids.hepingNew, ids.hepingLate, ids.marketDispatched].sort());
	});
	it('shows a handler the cases dispatched to their department only', async () => {
		const q = await listQueue(database.db, actors.handler, filter(), now);
		expect(idsOf(q)).toEqual([ids.hepingLate, ids.maolinDispatched].sort());
	});
	it('shows the dispatcher everything', async () => {
		const q = await listQueue(database.db, actors.dispatcher, filter(), now);
		expect(q.total).toBe(5);
	});
});

describe('queue filters', () => {
	it('filters overdue cases by the clock it is given', async () => {
		const q = await listQueue(database.db, actors.dispatcher, filter({ overdue: '1' }), now);
		expect(idsOf(q)).toEqual([ids.hepingLate]);
		expect(q.items[0].overdue).toBe(true);
		expect(q.items[0].hoursLeft).toBe(-2);
		const later = await listQueue(
			database.db,
			actors.dispatcher,
			filter({ overdue: '1' }),
			new Date('2026-12-01T11:00:00+08:00')
		);
		expect(idsOf(later)).toEqual([ids.hepingLate, ids.maolinDispatched].sort());
	});
	it('filters by stage, category, community, department, priority and text', async () => {
		const db = database.db;
		const d = actors.dispatcher;
		expect(idsOf(await listQueue(db, d, filter({ stage: 'accepted' }), now))).toEqual([
			ids.maolinProposed
		]);
		expect((await listQueue(db, d, filter({ stage: 'open' }), now)).total).toBe(5);
		expect(idsOf(await listQueue(db, d, filter({ category: 'illegal-parking' }), now))).toEqual([
			ids.hepingLate
		]);
		expect((await listQueue(db, d, filter({ community: 'maolin' }), now)).total).toBe(2);
		expect(
			idsOf(await listQueue(db, d, filter({ department: 'market-supervision' }), now))
		).toEqual([ids.marketDispatched]);
		expect(idsOf(await listQueue(db, d, filter({ priority: 'urgent' }), now))).toEqual([
			ids.hepingLate
		]);
		expect(idsOf(await listQueue(db, d, filter({ q: '新问题' }), now))).toEqual([ids.hepingNew]);
		// LIKE wildcards in the text are taken literally.
		expect(idsOf(await listQueue(db, d, filter({ q: '100%' }), now))).toEqual([
			ids.marketDispatched
		]);
		expect((await listQueue(db, d, filter({ q: '%' }), now)).total).toBe(1);
		expect((await listQueue(db, d, filter({ grid: 'heping-2' }), now)).total).toBe(0);
	});
	it('searches through the trigram indexes, not by reading every case', async () => {
		// With sequential scans ruled out, the search must still be answerable: only the three
		// trigram indexes can serve ILIKE '%…%' on code, description and address.
		const plan = await database.db.transaction(async (tx) => {
			await tx.execute(sql`set local enable_seqscan = off`);
			const search = tx
				.select({ id: reports.id })
				.from(reports)
				.where(queueWhere(actors.dispatcher, filter({ q: '繁昌路菜市' }), now));
			const result = await tx.execute(sql`explain ${search}`);
			const rows = (
				Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
			) as Record<string, string>[];
			return rows.map((row) => row['QUERY PLAN']).join('\n');
		});
		expect(plan).not.toMatch(/Seq Scan/);
		for (const index of [
			'reports_tracking_code_trgm_idx',
			'reports_description_trgm_idx',
			'reports_address_trgm_idx'
		])
			expect(plan).toContain(index);
	});
	it('finds a two-character search through the character pairs, as a reading of every case would', async () => {
		const db = database.db;
		const d = actors.dispatcher;
		const visible = await db
			.select({
				id: reports.id,
				texts: sql<
					string[]
				>`array[${reports.trackingCode}, ${reports.description}, coalesce(${reports.address}, '')]`
			})
			.from(reports)
			.where(queueWhere(d, filter(), now));
		expect(visible.length).toBeGreaterThan(1);
		const code = (await db.select({ code: reports.trackingCode }).from(reports).limit(1))[0].code;
		// Chinese pairs, a code's pair typed in lower case, LIKE wildcards and a space, and no match.
		for (const q of ['问题', '菜市', '社区', code.slice(3, 5).toLowerCase(), '0%', '% ', '无此']) {
			const expected = visible
				.filter((row) => row.texts.some((text) => text.toLowerCase().includes(q.toLowerCase())))
				.map((row) => row.id)
				.sort();
			const found = await db
				.select({ id: reports.id })
				.from(reports)
				.where(queueWhere(d, filter({ q }), now));
			expect(found.map((row) => row.id).sort(), q).toEqual(expected);
		}
		// And it is answered from the pairs' index, not by reading every case.
		const plan = await db.transaction(async (tx) => {
			await tx.execute(sql`set local enable_seqscan = off`);
			const search = tx
				.select({ id: reports.id })
				.from(reports)
				.where(queueWhere(d, filter({ q: '菜市' }), now));
			const result = await tx.execute(sql`explain ${search}`);
			const rows = (
				Array.isArray(result) ? result : (result as { rows: unknown[] }).rows
			) as Record<string, string>[];
			return rows.map((row) => row['QUERY PLAN']).join('\n');
		});
		expect(plan).toContain('reports_search_pairs_idx');
	});
	it('sorts by deadline, with cases that have none last, or by priority', async () => {
		const byDeadline = await listQueue(database.db, actors.dispatcher, filter(), now);
		expect(byDeadline.items.slice(0, 2).map((i) => i.id)).toEqual([
			ids.hepingLate,
			ids.maolinDispatched
		]);
		const byPriority = await listQueue(
			database.db,
			actors.dispatcher,
			filter({ sort: 'priority' }),
			now
		);
		expect(byPriority.items[0].priority).toBe('urgent');
	});
	it('pages', async () => {
		for (let i = 0; i < PAGE_SIZE; i++) await createCase(database.db, { community: 'tongling' });
		const first = await listQueue(
			database.db,
			actors.dispatcher,
			filter({ community: 'tongling' }),
			now
		);
		const second = await listQueue(
			database.db,
			actors.dispatcher,
			filter({ community: 'tongling', page: '2' }),
			now
		);
		expect(first.items).toHaveLength(PAGE_SIZE);
		expect(second.items).toHaveLength(0);
		expect(second.total).toBe(PAGE_SIZE);
	});
	it('rejects unknown filter values', () => {
		expect(v.safeParse(queueFilterSchema, { stage: 'lost' }).success).toBe(false);
		expect(v.safeParse(queueFilterSchema, { category: 'DROP TABLE' }).success).toBe(false);
		expect(v.safeParse(queueFilterSchema, { page: '0' }).success).toBe(false);
	});
});

describe('the case page data', () => {
	it('masks the reporter phone and lists the allowed moves', async () => {
		const view = await getCase(database.db, actors.community_staff, ids.hepingNew, now);
		expect(view.reporterPhone).toBe('138****0001');
		expect(view.actions).toEqual(['accept', 'decline', 'merge']);
		expect(JSON.stringify(view)).not.toContain('13800000001');
	});
	it('names the community and the departments in both languages', async () => {
		const db = database.db;
		const [squad] = await db
			.select()
			.from(departments)
			.where(eq(departments.code, 'city-management'));
		await db.insert(reportEvents).values({
			reportId: ids.maolinDispatched,
			actorUserId: actors.dispatcher.id,
			action: 'dispatch',
			fromStage: 'accepted',
			toStage: 'dispatched',
			departmentId: squad.id
		});
		const view = await getCase(db, actors.dispatcher, ids.maolinDispatched, now);
		expect(view.department).toMatchObject({ name: '城管中队', nameEn: 'City-management squad' });
		expect(view.community).toMatchObject({ name: '茂林社区', nameEn: expect.any(String) });
		expect(view.timeline.at(-1)).toMatchObject({
			department: '城管中队',
			departmentEn: 'City-management squad'
		});
		const q = await listQueue(db, actors.dispatcher, filter({ stage: 'dispatched' }), now);
		const item = q.items.find((i) => i.id === ids.maolinDispatched)!;
		expect(item.department).toMatchObject({ nameEn: 'City-management squad' });
		expect(item.community?.nameEn).toBeTruthy();
	});
	it('refuses a case outside the scope with 403 and an unknown one with 404', async () => {
		for (const [who, id] of [
			['community_staff', ids.maolinDispatched],
			['handler', ids.marketDispatched],
			['handler', ids.maolinProposed],
			['grid_worker', ids.maolinDispatched]
		]) {
			const error = await getCase(database.db, actors[who], id, now).catch((e: unknown) => e);
			expect(error, who).toBeInstanceOf(ApiError);
			expect((error as ApiError).status).toBe(403);
		}
		const missing = await getCase(database.db, actors.dispatcher, 'not-a-uuid').catch((e) => e);
		expect((missing as ApiError).status).toBe(404);
	});
});
