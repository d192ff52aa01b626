import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundPoint } from '$lib/domain/reporting';
import { eq } from 'drizzle-orm';
import type { Database } from '../db';
import { categories, reports } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import {
	findRequest,
	findRequests,
	maskContacts,
	parseRequestQuery,
	type RequestQuery
} from './requests';
import { Open311Error } from './respond';
import { schemaProblems } from './schema-check';
import { insertCase } from './testing';

const NOW = new Date('2026-11-27T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ctx = { origin: 'https://jx.example', locale: 'zh-CN' as const };
const q = (s: string) => parseRequestQuery(new URLSearchParams(s), NOW);
/** A query over the whole test period (each test makes its own cases). */
const all = (extra: Partial<RequestQuery> = {}): RequestQuery => ({
	...q(
		`start_date=${new Date(NOW.getTime() - 80 * DAY).toISOString()}&end_date=${NOW.toISOString()}`
	),
	...extra
});

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

describe('parseRequestQuery', () => {
	it('defaults to the last 90 days, 1000 rows, every status', () => {
		const query = q('');
		expect(query.end).toEqual(NOW);
		expect(NOW.getTime() - query.start.getTime()).toBe(90 * DAY);
		expect(query).toMatchObject({ ids: null, statuses: null, page: 1, pageSize: 1000 });
	});

	it('treats empty parameters as absent, as the spec asks', () => {
		expect(q('service_code=&status=&start_date=&page=')).toEqual(q(''));
	});

	it('takes comma lists and the paging extension', () => {
		expect(
			q('service_request_id=AAA, BBB,AAA&service_code=a,b&status=open,closed&page=3&page_size=10')
		).toMatchObject({
			ids: ['AAA', 'BBB'],
			serviceCodes: ['a', 'b'],
			statuses: ['open', 'closed'],
			page: 3,
			pageSize: 10
		});
	});

	it('also takes a parameter repeated', () => {
		expect(q('status=open&status=closed&service_code=a&service_code=b,c')).toMatchObject({
			statuses: ['open', 'closed'],
			serviceCodes: ['a', 'b', 'c']
		});
	});

	it('puts a lone start date 90 days before its end, but never past now', () => {
		const query = q('start_date=2026-11-01T00:00:00Z');
		expect(query.end).toEqual(NOW);
		const early = q('start_date=2026-01-01T00:00:00+08:00');
		expect(early.end.getTime() - early.start.getTime()).toBe(90 * DAY);
	});

	it.each([
		['start_date=yesterday', 'start_date'],
		['end_date=2026-11-27 08:00', 'end_date'],
		['start_date=2026-11-27T08:00:00', 'start_date'],
		['start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z', '90'],
		['start_date=2026-11-02T00:00:00Z&end_date=2026-11-01T00:00:00Z', 'start_date'],
		['status=pending', 'status'],
		['page=0', 'page'],
		['page_size=1001', 'page_size'],
		['page_size=-5', 'page_size'],
		[`service_request_id=${Array.from({ length: 201 }, (_, i) => i).join(',')}`, '200']
	])('rejects %s with 400', (query, mention) => {
		const failure = (() => {
			try {
				q(query);
			} catch (e) {
				return e;
			}
		})();
		expect(failure).toBeInstanceOf(Open311Error);
		expect((failure as Open311Error).status).toBe(400);
		expect((failure as Open311Error).problems[0].description).toContain(mention);
	});
});

describe('maskContacts', () => {
	it('masks mobile numbers and hides ID numbers, leaving other digits', () => {
		expect(maskContacts('请联系13812345678或 139 1234 5678，门牌 12 号')).toBe(
			'请联系138****5678或 139****5678，门牌 12 号'
		);
		expect(maskContacts('身份证 34010419900101123X')).toBe('身份证 ******************');
		expect(maskContacts('订单 213812345678')).toBe('订单 213812345678');
	});
});

describe('requests', () => {
	it('maps a dispatched case: status, department, latest public reply, deadline, first public photo', async () => {
		const created = new Date(NOW.getTime() - 2 * DAY);
		const due = new Date(NOW.getTime() + DAY);
		const made = await insertCase(database.db, {
			category: 'street-cleaning',
			stage: 'dispatched',
			description: '路口垃圾很多，联系我 13800001234',
			point: { lat: 31.85237, lng: 117.29191 },
			address: '繁昌路 12 号 3 栋 501',
			community: 'fanchang',
			department: 'city-management',
			createdAt: created,
			dueAt: due,
			events: [
				{ at: new Date(created.getTime() + HOUR), toStage: 'accepted', publicNote: '已受理' },
				{ at: new Date(created.getTime() + 2 * HOUR), note: '内部：找王师傅' },
				{
					at: new Date(created.getTime() + 3 * HOUR),
					toStage: 'dispatched',
					publicNote: '已派城管中队处理'
				}
			],
			photos: [{ public: false }, { public: true }, { public: true }]
		});
		const request = await findRequest(database.db, made.trackingCode, {
			...ctx,
			extensions: false
		});
		expect(schemaProblems('requests', [request])).toEqual([]);
		const rounded = roundPoint({ lat: 31.85237, lng: 117.29191 });
		expect(request).toEqual({
			service_request_id: made.trackingCode,
			status: 'open',
			status_notes: '已派城管中队处理',
			service_name: '道路清扫保洁',
			service_code: 'street-cleaning',
			description: '路口垃圾很多，联系我 138****1234',
			agency_responsible: '城管中队',
			service_notice: null,
			requested_datetime: '2026-11-25T20:00:00+08:00',
			updated_datetime: '2026-11-25T23:00:00+08:00',
			expected_datetime: '2026-11-28T20:00:00+08:00',
			address: '繁昌社区',
			address_id: null,
			zipcode: null,
			lat: rounded.lat,
			long: rounded.lng,
			media_url: `https://jx.example/photos/${made.photoIds[1]}`
		});
		// Never the typed address, the internal note or the exact point. (Not a bare '501': the
		// photo's random id in media_url may hold it.)
		const text = JSON.stringify(request);
		expect(text).not.toContain('12 号');
		expect(text).not.toContain('3 栋 501');
		expect(text).not.toContain('王师傅');
		expect(text).not.toContain('31.85237');
	});

	it('locates an indoor case only to its compound and gives the 119 notice for urgent ones', async () => {
		const made = await insertCase(database.db, {
			category: 'flying-lead-charging',
			point: { lat: 31.8531, lng: 117.2935 },
			compound: 'fanchang-1',
			createdAt: new Date(NOW.getTime() - HOUR)
		});
		const request = await findRequest(database.db, made.trackingCode, {
			...ctx,
			extensions: false
		});
		expect(request.address).toBe('繁昌社区繁昌花园');
		expect(request.lat).not.toBe(roundPoint({ lat: 31.8531, lng: 117.2935 }).lat);
		expect(request.service_notice).toContain('119');
		expect(request.expected_datetime).toBeNull();
	});

	it.each([
		['closed', 'closed'],
		['declined', 'closed'],
		['duplicate', 'closed'],
		['handled', 'open'],
		['rework', 'open'],
		['returned', 'open']
	] as const)('maps stage %s to %s, with no expected time once closed', async (stage, status) => {
		const made = await insertCase(database.db, {
			category: 'street-cleaning',
			stage,
			dueAt: new Date(NOW.getTime() + DAY),
			createdAt: new Date(NOW.getTime() - DAY)
		});
		const request = await findRequest(database.db, made.trackingCode, {
			...ctx,
			extensions: false
		});
		expect(request.status).toBe(status);
		expect(request.expected_datetime === null).toBe(status === 'closed');
	});

	it('gives the public timeline and the stage with extensions=true, and English on request', async () => {
		const created = new Date(NOW.getTime() - 3 * DAY);
		const made = await insertCase(database.db, {
			category: 'street-cleaning',
			stage: 'closed',
			department: 'city-management',
			createdAt: created,
			events: [
				{ at: new Date(created.getTime() + HOUR), toStage: 'accepted' },
				{ at: new Date(created.getTime() + 2 * HOUR), note: 'internal only' },
				{ at: new Date(created.getTime() + 3 * HOUR), toStage: 'closed', publicNote: '已清扫' }
			]
		});
		const request = await findRequest(database.db, made.trackingCode, { ...ctx, extensions: true });
		expect(request.extended_attributes).toEqual({ stage: 'closed', stage_name: '已办结' });
		expect(request.notes).toEqual([
			{ datetime: '2026-11-24T20:00:00+08:00', type: 'submitted', description: '已上报' },
			{ datetime: '2026-11-24T21:00:00+08:00', type: 'accepted', description: '已受理' },
			{ datetime: '2026-11-24T23:00:00+08:00', type: 'closed', description: '已清扫' }
		]);
		expect(schemaProblems('requests', [request])).toEqual([]);
		const english = await findRequest(database.db, made.trackingCode, {
			...ctx,
			locale: 'en',
			extensions: false
		});
		expect(english).toMatchObject({
			service_name: 'Street cleaning',
			agency_responsible: 'City-management squad'
		});
		expect(english.notes).toBeUndefined();
	});

	it("writes a revisit's note in the reader's language, and a staff reply as written", async () => {
		const created = new Date(NOW.getTime() - 30 * DAY);
		const revisited = await insertCase(database.db, {
			category: 'street-cleaning',
			stage: 'closed',
			createdAt: created,
			events: [
				{ at: new Date(created.getTime() + DAY), toStage: 'closed', publicNote: '已清扫' },
				// The stored note of a revisit is the Chinese one the system wrote.
				{
					at: new Date(created.getTime() + 15 * DAY),
					action: 'revisit_confirm',
					publicNote: '回头看：现场复查，问题未复发。'
				}
			]
		});
		const reopened = await insertCase(database.db, {
			category: 'street-cleaning',
			stage: 'closed',
			createdAt: created,
			events: [
				{
					at: new Date(created.getTime() + 15 * DAY),
					action: 'revisit_reopen',
					data: { newCase: 'H3P8R2WT' },
					publicNote: '回头看：问题复发，已重新立案为新案件 H3P8R2WT。'
				}
			]
		});
		const read = (code: string, locale: 'zh-CN' | 'en') =>
			findRequest(database.db, code, { ...ctx, locale, extensions: true });
		const english = await read(revisited.trackingCode, 'en');
		expect(english.status_notes).toBe('Revisit: checked on site, the problem has not come back.');
		expect(english.notes?.map((n) => n.description)).toEqual([
			'Reported',
			'已清扫',
			'Revisit: checked on site, the problem has not come back.'
		]);
		expect((await read(revisited.trackingCode, 'zh-CN')).status_notes).toBe(
			'回头看：现场复查，问题未复发。'
		);
		expect((await read(reopened.trackingCode, 'en')).status_notes).toBe(
			'Revisit: the problem is back and was reopened as the new case H3P8R2WT.'
		);
	});

	it('is 404 for an unknown id', async () => {
		const failure = await findRequest(database.db, 'ZZZZZZZZ', { ...ctx, extensions: false }).catch(
			(e) => e
		);
		expect(failure).toBeInstanceOf(Open311Error);
		expect(failure.status).toBe(404);
	});
});

describe('request lists', () => {
	it('filters by service code, status and dates, newest first, and pages', async () => {
		const base = new Date(NOW.getTime() - 60 * DAY);
		const made = [];
		for (let i = 0; i < 5; i++) {
			made.push(
				await insertCase(database.db, {
					category: 'green-belt-litter',
					stage: i % 2 ? 'closed' : 'accepted',
					createdAt: new Date(base.getTime() + i * HOUR)
				})
			);
		}
		const other = await insertCase(database.db, {
			category: 'old-garbage',
			createdAt: new Date(base.getTime() + 10 * HOUR)
		});
		const codes = (rs: { service_request_id: string }[]) => rs.map((r) => r.service_request_id);
		const green = await findRequests(
			database.db,
			all({ serviceCodes: ['green-belt-litter'] }),
			ctx
		);
		expect(schemaProblems('requests', green)).toEqual([]);
		expect(codes(green)).toEqual(made.map((x) => x.trackingCode).reverse());
		const both = await findRequests(
			database.db,
			all({ serviceCodes: ['green-belt-litter', 'old-garbage'] }),
			ctx
		);
		expect(codes(both)).toContain(other.trackingCode);

		const closed = await findRequests(
			database.db,
			all({ serviceCodes: ['green-belt-litter'], statuses: ['closed'] }),
			ctx
		);
		expect(codes(closed)).toEqual([made[3].trackingCode, made[1].trackingCode]);
		const open = await findRequests(
			database.db,
			all({ serviceCodes: ['green-belt-litter'], statuses: ['open'] }),
			ctx
		);
		expect(open.every((r) => r.status === 'open')).toBe(true);
		expect(open).toHaveLength(3);

		const window = await findRequests(
			database.db,
			{
				...all({ serviceCodes: ['green-belt-litter'] }),
				start: new Date(base.getTime() + HOUR),
				end: new Date(base.getTime() + 3 * HOUR)
			},
			ctx
		);
		expect(codes(window)).toEqual([made[3], made[2], made[1]].map((x) => x.trackingCode));

		const page2 = await findRequests(
			database.db,
			all({ serviceCodes: ['green-belt-litter'], page: 2, pageSize: 2 }),
			ctx
		);
		expect(codes(page2)).toEqual([made[2].trackingCode, made[1].trackingCode]);
	});

	it('keeps declined and merged cases out of lists but finds them by id, which overrides the rest', async () => {
		const old = new Date(NOW.getTime() - 200 * DAY);
		const declined = await insertCase(database.db, {
			category: 'shopfront-duties',
			stage: 'declined',
			createdAt: new Date(NOW.getTime() - DAY)
		});
		const ancient = await insertCase(database.db, { category: 'shopfront-duties', createdAt: old });
		const listed = await findRequests(
			database.db,
			all({ serviceCodes: ['shopfront-duties'] }),
			ctx
		);
		expect(listed.map((r) => r.service_request_id)).not.toContain(declined.trackingCode);
		expect(listed.map((r) => r.service_request_id)).not.toContain(ancient.trackingCode);
		const byId = await findRequests(
			database.db,
			all({
				ids: [declined.trackingCode, ancient.trackingCode, 'NOSUCH22'],
				serviceCodes: ['nothing'],
				statuses: ['open']
			}),
			ctx
		);
		expect(byId.map((r) => r.service_request_id).sort()).toEqual(
			[declined.trackingCode, ancient.trackingCode].sort()
		);
	});

	it('returns 1000 rows at most by default', async () => {
		const start = new Date(NOW.getTime() - 70 * DAY);
		const [cat] = await database.db
			.select({ id: categories.id })
			.from(categories)
			.where(eq(categories.code, 'construction-waste'));
		await database.db.insert(reports).values(
			Array.from({ length: 1001 }, (_, i) => ({
				trackingCode: `T${String(i).padStart(7, '0')}`,
				categoryId: cat.id,
				createdAt: new Date(start.getTime() + i * 1000)
			}))
		);
		const rows = await findRequests(
			database.db,
			all({ serviceCodes: ['construction-waste'] }),
			ctx
		);
		expect(rows).toHaveLength(1000);
	});
});
