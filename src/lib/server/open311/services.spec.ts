import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { categories } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { Open311Error } from './respond';
import { schemaProblems } from './schema-check';
import { discovery, listServices, serviceDefinition } from './services';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

describe('discovery', () => {
	it('names the GeoReport v2 endpoint, its formats and the subdistrict', async () => {
		const body = await discovery(
			database.db,
			{ origin: 'https://jx.example', locale: 'zh-CN', test: true },
			new Date('2026-11-27T00:00:00Z')
		);
		expect(schemaProblems('discovery', body)).toEqual([]);
		expect(body.endpoints).toEqual([
			{
				specification: 'http://wiki.open311.org/GeoReport_v2',
				url: 'https://jx.example/open311/v2',
				changeset: '2026-11-27T00:00:00.000Z',
				type: 'test',
				formats: ['text/xml', 'application/json']
			}
		]);
		expect(body.contact).toContain('和平路街道');
	});
});

describe('services', () => {
	it('lists every active category with its plan action as the group', async () => {
		const services = await listServices(database.db, 'zh-CN');
		expect(schemaProblems('services', services)).toEqual([]);
		const active = await database.db
			.select({ code: categories.code })
			.from(categories)
			.where(eq(categories.active, true));
		expect(services.map((s) => s.service_code).sort()).toEqual(active.map((c) => c.code).sort());
		const charging = services.find((s) => s.service_code === 'flying-lead-charging');
		expect(charging).toMatchObject({
			service_name: '飞线充电',
			type: 'realtime',
			metadata: true,
			group: '城市清洁'
		});
		expect(services.find((s) => s.service_code === 'street-cleaning')?.metadata).toBe(false);
	});

	it('leaves inactive categories out and gives English names on request', async () => {
		await database.db
			.update(categories)
			.set({ active: false })
			.where(eq(categories.code, 'street-cleaning'));
		try {
			const services = await listServices(database.db, 'en');
			expect(services.some((s) => s.service_code === 'street-cleaning')).toBe(false);
			expect(services.find((s) => s.service_code === 'flying-lead-charging')?.service_name).toBe(
				'Flying-lead e-bike charging'
			);
			await expect(serviceDefinition(database.db, 'street-cleaning', 'en')).rejects.toThrow(
				Open311Error
			);
		} finally {
			await database.db
				.update(categories)
				.set({ active: true })
				.where(eq(categories.code, 'street-cleaning'));
		}
	});
});

describe('service definition', () => {
	it('gives the extra questions as attributes with datatype, required, order and values', async () => {
		const definition = await serviceDefinition(database.db, 'flying-lead-charging', 'zh-CN');
		expect(schemaProblems('service-definition', definition)).toEqual([]);
		const [category] = await database.db
			.select()
			.from(categories)
			.where(eq(categories.code, 'flying-lead-charging'));
		expect(definition.attributes.map((a) => a.code)).toEqual(category.questions.map((q) => q.code));
		expect(definition.attributes.map((a) => a.order)).toEqual(
			category.questions.map((_, i) => i + 1)
		);
		const charging = definition.attributes.find((a) => a.code === 'charging_now');
		expect(charging).toMatchObject({
			variable: true,
			datatype: 'singlevaluelist',
			required: true,
			values: [
				{ key: 'yes', name: '是' },
				{ key: 'no', name: '否' }
			]
		});
	});

	it('is 404 for an unknown code', async () => {
		const failure = await serviceDefinition(database.db, 'no-such', 'zh-CN').catch((e) => e);
		expect(failure).toBeInstanceOf(Open311Error);
		expect(failure.status).toBe(404);
		expect(failure.problems[0].description).toContain('no-such');
	});
});
