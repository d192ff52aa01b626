import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { communities, reportEvents, reports } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { createApiKey, revokeApiKey } from './api-keys';
import { createRequest, normalisePhone } from './create';
import { findRequest } from './requests';
import { Open311Error } from './respond';
import { schemaProblems } from './schema-check';

let database: Database;
let apiKey: string;
beforeAll(async () => {
	database = await openTestDatabase();
	({ key: apiKey } = await createApiKey(database.db, { name: 'Test client', createdBy: null }));
});
afterAll(() => database.close());

/** A form as a client posts it (URLSearchParams keeps repeated names, like attribute[x][]). */
function form(fields: Record<string, string | string[]>) {
	const params = new URLSearchParams();
	for (const [k, v] of Object.entries(fields))
		for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
	return {
		get: (name: string) => params.get(name),
		getAll: (name: string) => params.getAll(name),
		names: () => [...new Set(params.keys())]
	};
}
const point = { lat: '31.8531', long: '117.2935' };

async function failure(promise: Promise<unknown>): Promise<Open311Error> {
	const error = await promise.then(
		() => null,
		(e) => e
	);
	expect(error).toBeInstanceOf(Open311Error);
	return error as Open311Error;
}

const create = (fields: Record<string, string | string[]>, key: string | null = apiKey) =>
	createRequest(database.db, form(fields), { apiKey: key, idempotencyKey: null });

describe('POST requests: api_key', () => {
	it('is 403 without a key, with a wrong key and with a revoked key, before anything else', async () => {
		expect((await failure(create({}, null))).status).toBe(403);
		expect(
			(await failure(create({ service_code: 'street-cleaning', ...point }, 'jx311_wrong'))).status
		).toBe(403);
		const old = await createApiKey(database.db, { name: 'old', createdBy: null });
		await revokeApiKey(database.db, old.id);
		const revoked = await failure(create({ service_code: 'street-cleaning', ...point }, old.key));
		expect(revoked.status).toBe(403);
		expect(revoked.problems[0].code).toBe(403);
	});
});

describe('POST requests: validation', () => {
	it.each([
		[{ ...point }, 'service_code'],
		[{ service_code: 'no-such-service', ...point }, 'no-such-service'],
		[{ service_code: 'street-cleaning' }, 'lat'],
		[{ service_code: 'street-cleaning', lat: '31.85' }, 'lat'],
		[{ service_code: 'street-cleaning', address_string: '某某路 1 号' }, '社区'],
		[{ service_code: 'street-cleaning', ...point, description: 'x'.repeat(4001) }, '4000'],
		[{ service_code: 'street-cleaning', lat: 'north', long: '117.29' }, 'lat'],
		[{ service_code: 'street-cleaning', ...point, phone: '12345' }, 'phone'],
		[{ service_code: 'street-cleaning', ...point, media_url: 'javascript:alert(1)' }, 'media_url'],
		[{ service_code: 'flying-lead-charging', ...point }, 'attribute[charging_now]'],
		[{ service_code: 'street-cleaning', ...point, description: 'a\u0000b' }, 'description'],
		[
			{
				service_code: 'flying-lead-charging',
				...point,
				'attribute[charging_now]': 'yes',
				'attribute[floor]': '3\u0000'
			},
			'attribute[floor]'
		],
		[
			{ service_code: 'flying-lead-charging', ...point, 'attribute[charging_now]': 'maybe' },
			'attribute[charging_now]'
		]
	])('rejects %o with 400 naming %s', async (fields, mention) => {
		const error = await failure(create(fields));
		expect(error.status).toBe(400);
		expect(error.problems.map((p) => p.description).join(' ')).toContain(mention);
	});

	it('takes a description of the full 4000 characters through the same intake as the app', async () => {
		const description = '长'.repeat(4000);
		const result = await create({ service_code: 'street-cleaning', ...point, description });
		const [row] = await database.db
			.select({ description: reports.description })
			.from(reports)
			.where(eq(reports.trackingCode, result.service_request_id));
		expect(row.description).toBe(description);
	});

	it('normalises the ways people write a mainland mobile number', () => {
		expect(normalisePhone('+86 138 0000 1234')).toBe('13800001234');
		expect(normalisePhone('0086-138-0000-1234')).toBe('13800001234');
		expect(normalisePhone('(555) 123-4567')).toBe('5551234567');
	});
});

describe('POST requests: through intake', () => {
	it('files a case in the triage queue with the answers, the encrypted phone and no name or email', async () => {
		const [result] = [
			await create({
				service_code: 'flying-lead-charging',
				...point,
				description: '楼道里拉了电线给电动车充电',
				'attribute[charging_now]': 'yes',
				'attribute[floor]': '3 栋 2 单元',
				phone: '+86 138 0000 1234',
				email: 'someone@example.com',
				first_name: 'Wei',
				last_name: 'Zhang',
				media_url: 'https://img.example.com/p/1.jpg',
				device_id: 'abc'
			})
		];
		expect(schemaProblems('post-response', [result])).toEqual([]);
		expect(result.service_notice).toContain('119');
		const [row] = await database.db
			.select()
			.from(reports)
			.where(eq(reports.trackingCode, result.service_request_id));
		expect(row).toMatchObject({
			stage: 'submitted',
			priority: 'urgent',
			description: '楼道里拉了电线给电动车充电',
			answers: { charging_now: 'yes', floor: '3 栋 2 单元' },
			lat: 31.8531,
			lng: 117.2935
		});
		expect(row.communityId).not.toBeNull();
		expect(row.reporterPhoneEncrypted).toBeTruthy();
		const stored = JSON.stringify(row);
		for (const secret of ['13800001234', 'someone@example.com', 'Zhang', 'Wei'])
			expect(stored).not.toContain(secret);

		const events = await database.db
			.select()
			.from(reportEvents)
			.where(eq(reportEvents.reportId, row.id));
		expect(events.map((e) => e.action).sort()).toEqual(['note', 'submit']);
		const note = events.find((e) => e.action === 'note')!;
		expect(note.publicNote).toBeNull();
		expect(note.note).toContain('https://img.example.com/p/1.jpg');
		expect(note.data).toMatchObject({ channel: 'open311' });
	});

	it('takes multi-value attributes as attribute[code][]', async () => {
		// No seeded category asks a multi-value question; the single-value path is the same reader.
		const result = await create({
			service_code: 'ebike-indoor',
			...point,
			'attribute[charging_now][]': 'no'
		});
		const [row] = await database.db
			.select({ answers: reports.answers })
			.from(reports)
			.where(eq(reports.trackingCode, result.service_request_id));
		expect(row.answers).toEqual({ charging_now: 'no' });
	});

	it('places a report without a point by the community named in address_string', async () => {
		const result = await create({
			service_code: 'street-cleaning',
			address_string: '和平路 88 号门口，茂林社区'
		});
		expect(result.service_notice).not.toContain('119');
		const [row] = await database.db
			.select({ communityCode: communities.code, lat: reports.lat, address: reports.address })
			.from(reports)
			.innerJoin(communities, eq(reports.communityId, communities.id))
			.where(eq(reports.trackingCode, result.service_request_id));
		expect(row).toEqual({
			communityCode: 'maolin',
			lat: null,
			address: '和平路 88 号门口，茂林社区'
		});
	});

	it('also reads an English community name or code, and a lone unique short name', async () => {
		for (const [address, expected] of [
			['Gate 3, Tongling community', 'tongling'],
			['near the fanchang market', 'fanchang'],
			['茂林菜市场东门', 'maolin']
		]) {
			const result = await create({ service_code: 'street-cleaning', address_string: address });
			const [row] = await database.db
				.select({ code: communities.code })
				.from(reports)
				.innerJoin(communities, eq(reports.communityId, communities.id))
				.where(eq(reports.trackingCode, result.service_request_id));
			expect(row.code).toBe(expected);
		}
	});

	it('files once for a retried Idempotency-Key and shows stage changes through GET', async () => {
		const key = crypto.randomUUID();
		const fields = form({ service_code: 'street-cleaning', ...point, description: '落叶' });
		const first = await createRequest(database.db, fields, { apiKey, idempotencyKey: key });
		const again = await createRequest(database.db, fields, { apiKey, idempotencyKey: key });
		expect(again.service_request_id).toBe(first.service_request_id);
		const rows = await database.db
			.select({ id: reports.id })
			.from(reports)
			.where(eq(reports.trackingCode, first.service_request_id));
		expect(rows).toHaveLength(1);

		const ctx = { origin: 'https://jx.example', locale: 'zh-CN' as const, extensions: true };
		const before = await findRequest(database.db, first.service_request_id, ctx);
		expect(before).toMatchObject({ status: 'open', description: '落叶', status_notes: null });
		expect(before.notes?.map((n) => n.type)).toEqual(['submitted']);

		await database.db
			.update(reports)
			.set({ stage: 'closed', updatedAt: new Date() })
			.where(eq(reports.id, rows[0].id));
		await database.db.insert(reportEvents).values({
			reportId: rows[0].id,
			action: 'close',
			fromStage: 'submitted',
			toStage: 'closed',
			publicNote: '已清扫完毕'
		});
		const after = await findRequest(database.db, first.service_request_id, ctx);
		expect(after).toMatchObject({ status: 'closed', status_notes: '已清扫完毕' });
		expect(after.extended_attributes?.stage).toBe('closed');
	});
});
