import { eq, sql } from 'drizzle-orm';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import { categories, compounds, reportEvents, reports, users } from '../db/schema';
import { storeAfterPhoto } from './after-photo';
import { createCase, demoActors } from './fixtures';
import {
	breakdowns,
	departmentScorecards,
	hotspots,
	keyFigures,
	periodOf,
	propertyScorecards,
	ratingScore
} from './stats';
import { problemList, toCsv, toXlsx } from './problem-list';
import ExcelJS from 'exceljs';
import { listQueue } from './queue';
import * as v from 'valibot';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { applyTransition, type Actor, type TransitionInput } from './workflow';

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'jx-stats-'));

let database: Database;
const actors: Record<string, Actor> = {};
const at = (s: string) => new Date(s.replace(' ', 'T') + ':00+08:00');
const period = { from: at('2026-11-01 00:00'), to: at('2027-01-01 00:00') };
const now = at('2026-12-31 12:00');

async function photo() {
	const bytes = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
		.jpeg()
		.toBuffer();
	return storeAfterPhoto(new Uint8Array(bytes));
}

async function walk(id: string, steps: [string, TransitionInput, string][]) {
	for (const [who, input, when] of steps)
		await applyTransition(database.db, actors[who], id, input, at(when));
}

beforeAll(async () => {
	database = await openTestDatabase();
	Object.assign(actors, await demoActors(database.db));
	const dispatch = (when: string): [string, TransitionInput, string][] => [
		['dispatcher', { action: 'accept' }, when],
		['dispatcher', { action: 'dispatch', department: 'city-management' }, when]
	];
	// On time: handled the next day, well within 72 working hours.
	const onTime = await createCase(database.db, { compound: 'heping-1' });
	await walk(onTime.id, [
		...dispatch('2026-11-23 09:00'),
		['handler', { action: 'start' }, '2026-11-23 10:00'],
		['handler', { action: 'handle', note: '完成', photo: await photo() }, '2026-11-24 10:00'],
		['grid_worker', { action: 'close' }, '2026-11-24 15:00']
	]);
	// Late: handled a month later, after a rework.
	const late = await createCase(database.db);
	await walk(late.id, [
		...dispatch('2026-11-23 09:00'),
		['handler', { action: 'start' }, '2026-11-23 10:00'],
		['handler', { action: 'handle', note: '完成', photo: await photo() }, '2026-11-25 09:00'],
		['grid_worker', { action: 'rework', reason: '没有清理干净' }, '2026-11-25 10:00'],
		['handler', { action: 'start' }, '2026-11-25 11:00'],
		['handler', { action: 'handle', note: '返工完成', photo: await photo() }, '2026-12-23 09:00'],
		['grid_worker', { action: 'close' }, '2026-12-23 15:00']
	]);
	// Open and past its deadline: counts against the on-time rate.
	await createCase(database.db, {
		stage: 'dispatched',
		department: 'city-management',
		dueAt: at('2026-12-10 09:00'),
		community: 'maolin'
	});
	// A rating of 4 on the first case.
	await database.db.insert(reportEvents).values({
		reportId: onTime.id,
		at: at('2026-11-25 09:00'),
		action: 'rate',
		data: { rating: 4 }
	});
});
afterAll(() => database?.close());

describe('key figures', () => {
	it('count on-time closure, rework, handling time, satisfaction and routing', async () => {
		const k = await keyFigures(database.db, actors.dispatcher, period, now);
		expect(k.closed).toBe(2);
		expect(k.closedOnTime).toBe(1);
		expect(k.overdueOpen).toBe(1);
		expect(k.onTimeRate).toBeCloseTo(1 / 3, 6);
		expect(k.handled).toBe(3);
		expect(k.reworked).toBe(1);
		expect(k.reworkRate).toBeCloseTo(1 / 3, 6);
		// (25 h + 30 days and 0 h) / 2, from first dispatch to last handling.
		expect(k.averageHandlingHours).toBeCloseTo((25 + 30 * 24) / 2, 1);
		expect(k.satisfaction).toBe(4);
		expect(k.routingAccuracy).toBe(1);
	});

	it('keep to the scope: community staff of 和平 do not count the 茂林 case', async () => {
		const k = await keyFigures(database.db, actors.community_staff, period, now);
		expect(k.overdueOpen).toBe(0);
		expect(k.onTimeRate).toBeCloseTo(1 / 2, 6);
	});

	it('count the overdue case only once its deadline has passed', async () => {
		const k = await keyFigures(database.db, actors.dispatcher, period, at('2026-12-01 12:00'));
		expect(k.overdueOpen).toBe(0);
	});

	it('break cases down by stage and community', async () => {
		const b = await breakdowns(database.db, actors.dispatcher, {
			from: new Date(0),
			to: at('2030-01-01 00:00')
		});
		expect(Object.fromEntries(b.byStage.map((r) => [r.key, r.count]))).toEqual({
			closed: 2,
			dispatched: 1
		});
		expect(Object.fromEntries(b.byCommunity.map((r) => [r.key, r.count]))).toEqual({
			和平社区: 2,
			茂林社区: 1
		});
		// All three went to 城管中队; each case counts once per breakdown.
		// With the English name beside each, for the English dashboard.
		expect(b.byDepartment).toEqual([
			{ key: '城管中队', nameEn: 'City-management squad', count: 3 }
		]);
		expect(b.byCategory.reduce((sum, r) => sum + r.count, 0)).toBe(3);
		expect(b.byCategory.every((r) => r.nameEn)).toBe(true);
		expect(b.byStage.every((r) => r.nameEn === null)).toBe(true);
	});
});

describe('the dashboard facts kept on each case', () => {
	it('are what migration 0008 rebuilds from the timelines', async () => {
		const facts = sql`select id, first_dispatched_at, last_handled_at, last_handled_on_time, closed_at
			from reports order by id`;
		const kept = await database.db.execute(facts);
		expect(JSON.stringify(kept)).toMatch(/"last_handled_on_time":false/);
		const backfill = readFileSync('drizzle/0008_dashboard_facts.sql', 'utf8')
			.split('--> statement-breakpoint')
			.find((statement) => statement.includes('UPDATE "reports"'))!;
		await database.db.execute(
			sql`update reports set first_dispatched_at = null, last_handled_at = null,
				last_handled_on_time = null, closed_at = null`
		);
		await database.db.execute(sql.raw(backfill));
		expect(await database.db.execute(facts)).toEqual(kept);
	});
});

describe('periods', () => {
	it('start this week on Monday and this month on the 1st, in China time', () => {
		const friday = at('2026-11-27 03:00');
		const week = periodOf('week', null, null, friday);
		expect(week.from.toISOString()).toBe(at('2026-11-23 00:00').toISOString());
		expect(week.to.toISOString()).toBe(at('2026-11-30 00:00').toISOString());
		const month = periodOf('month', null, null, friday);
		expect(month.from.toISOString()).toBe(at('2026-11-01 00:00').toISOString());
		expect(month.to.toISOString()).toBe(at('2026-12-01 00:00').toISOString());
		const custom = periodOf('custom', '2026-10-01', '2026-10-07', friday);
		expect(custom.to.toISOString()).toBe(at('2026-10-08 00:00').toISOString());
		expect(periodOf('custom', '2026-10-07', '2026-10-01', friday).kind).toBe('week');
	});
});

describe('the problem list', () => {
	it('holds the rows of the filtered queue, with the times of each step', async () => {
		const filter = v.parse(queueFilterSchema, { community: 'heping' });
		const rows = await problemList(database.db, actors.dispatcher, filter, now);
		const queue = await listQueue(database.db, actors.dispatcher, filter, now);
		expect(rows.map((r) => r.code).sort()).toEqual(queue.items.map((i) => i.trackingCode).sort());
		const closed = rows.find((r) => r.rating === 4)!;
		expect(closed.stage).toBe('closed');
		expect(closed.handled?.toISOString()).toBe(at('2026-11-24 10:00').toISOString());
		expect(closed.closed?.toISOString()).toBe(at('2026-11-24 15:00').toISOString());
		expect(closed.department).toBe('城管中队');
	});

	it('exports CSV that Excel reads: BOM, header, quoted cells, no formulas', async () => {
		const filter = v.parse(queueFilterSchema, {});
		const rows = await problemList(database.db, actors.dispatcher, filter, now);
		rows[0].address = '=HYPERLINK("http://x"),"和平路"';
		const csv = toCsv(rows);
		expect(csv.startsWith('\uFEFF编号,类别,社区,网格,地址,上报时间,立案时间,责任部门,时限')).toBe(
			true
		);
		const lines = csv.trim().split('\r\n');
		expect(lines).toHaveLength(rows.length + 1);
		expect(csv).toContain(`"'=HYPERLINK(""http://x""),""和平路"""`);
		expect(csv).toContain(',2026-11-24 15:00,已结案,否,4');
		expect(lines.some((l) => l.includes('已派遣,是,'))).toBe(true);
	});

	it('exports an XLSX workbook that exceljs opens, with the same rows', async () => {
		const filter = v.parse(queueFilterSchema, { stage: 'closed' });
		const rows = await problemList(database.db, actors.dispatcher, filter, now);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await toXlsx(rows)).buffer as ArrayBuffer);
		const sheet = workbook.getWorksheet('问题清单')!;
		expect(sheet.rowCount).toBe(rows.length + 1);
		expect(sheet.getRow(1).getCell(1).value).toBe('编号');
		const codes = [];
		for (let i = 2; i <= sheet.rowCount; i++) codes.push(sheet.getRow(i).getCell(1).value);
		expect(codes).toEqual(rows.map((r) => r.code));
		expect(sheet.getRow(2).getCell(12).value).toBe('已结案');
	});
	it('exports in English when asked: headers, names where the data has them, stages', async () => {
		const filter = v.parse(queueFilterSchema, { stage: 'closed' });
		const rows = await problemList(database.db, actors.dispatcher, filter, now);
		const csv = toCsv(rows, 'en');
		expect(csv.split('\r\n')[0]).toBe(
			'\uFEFFCase number,Category,Community,Grid,Address,Reported,Accepted,Responsible department,Deadline,Handled,Closed,Stage,Overdue,Rating'
		);
		const rated = csv.split('\r\n').find((line) => line.endsWith(',Closed,no,4'))!;
		expect(rated).toContain('City-management squad');
		expect(rated).not.toContain('城管中队');
		// Grids by their English names too (the demo's are "… grid 1").
		expect(rated.split(',')[3]).toMatch(/^\w+ grid \d$/);
		expect(csv.split('\r\n')[1]).not.toContain('网格');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await toXlsx(rows, 'en')).buffer as ArrayBuffer);
		const sheet = workbook.getWorksheet('Problem list')!;
		expect(sheet.getRow(1).getCell(8).value).toBe('Responsible department');
		expect(sheet.getRow(2).getCell(12).value).toBe('Closed');
	});
});

describe('scorecards and hotspots', () => {
	it('score departments on handling within the deadline, returns and reworks', async () => {
		const cards = await departmentScorecards(database.db, actors.dispatcher, period);
		const squad = cards.find((c) => c.department === '城管中队')!;
		expect(squad).toMatchObject({
			departmentEn: 'City-management squad',
			dispatched: 2,
			handled: 3,
			handledOnTime: 2,
			returned: 0,
			reworked: 1
		});
	});

	it('score property companies on the cases in their compounds', async () => {
		const cards = await propertyScorecards(database.db, actors.dispatcher, period, now);
		expect(cards).toHaveLength(1);
		expect(cards[0]).toMatchObject({ reported: 1, closed: 1, overdue: 0, rating: 4 });
	});

	it('find places reported again and again, a compound counting as one place', async () => {
		const db = database.db;
		// Two more cases in compound heping-1: one 300 m away, one with no point at all.
		await createCase(db, { compound: 'heping-1', lat: 31.869, lng: 117.303 });
		const noPoint = await createCase(db, { compound: 'heping-1' });
		await db.update(reports).set({ lat: null, lng: null }).where(eq(reports.id, noPoint.id));
		const [compound] = await db.select().from(compounds).where(eq(compounds.code, 'heping-1'));
		const spots = await hotspots(db, actors.dispatcher, {
			from: new Date(0),
			to: at('2030-01-01 00:00')
		});
		expect(spots).toEqual([
			expect.objectContaining({ compound: compound.name, count: 3, lat: 31.8675, lng: 117.3015 }),
			expect.objectContaining({ compound: null, lat: 31.866, lng: 117.3, count: 2 })
		]);
		// Each place's category comes with its English name, for the English dashboard.
		const englishOf = new Map((await db.select().from(categories)).map((c) => [c.name, c.nameEn]));
		for (const spot of spots) {
			expect(spot.categoryEn).toBeTruthy();
			expect(spot.categoryEn).toBe(englishOf.get(spot.category));
		}
	});
});

describe('ratings', () => {
	it('score the tracking page’s three answers and plain numbers from 1 to 5, and nothing else', async () => {
		const score = async (rating: unknown) => {
			const [row] = await database.db
				.select({ score: ratingScore(sql`${JSON.stringify({ rating })}::jsonb`) })
				.from(users)
				.limit(1);
			return row.score === null ? null : Number(row.score);
		};
		expect(await score('satisfied')).toBe(5);
		expect(await score('basically_satisfied')).toBe(3);
		expect(await score('dissatisfied')).toBe(1);
		expect(await score(4)).toBe(4);
		expect(await score('9')).toBeNull();
		expect(await score('great')).toBeNull();
	});
});
