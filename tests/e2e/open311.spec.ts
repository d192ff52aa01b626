import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { jpegWithGps } from '../../src/lib/server/reports/testing';
import { schemaProblems, type SchemaName } from '../../src/lib/server/open311/schema-check';
import { asXmlText, parseXml, spark } from '../../src/lib/server/open311/xml-read';
import { demo, loginWithApi, loginWithForm } from './helpers';

/*
 * The Open311 GeoReport v2 adapter over HTTP, as a standard client sees it: JSON checked against
 * the GeoReport v2 schemas (tests/fixtures/open311), XML read back with a strict parser and
 * compared field by field with the JSON.
 */

const V2 = '/open311/v2';

test.describe('Open311 over HTTP', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

	let apiKey: string;

	test.beforeAll(async ({ playwright }) => {
		const admin = await playwright.request.newContext({ baseURL });
		await loginWithApi(admin, baseURL, demo.admin);
		const made = await admin.post('/api/v1/admin/api-keys', {
			data: { name: 'e2e client' },
			headers: { Origin: baseURL }
		});
		expect(made.status()).toBe(201);
		const body = await made.json();
		expect(Object.keys(body).sort()).toEqual(['id', 'key']);
		apiKey = body.key;
		await admin.dispose();
	});

	async function jsonOf(response: APIResponse, schema: SchemaName, status = 200) {
		expect(response.status()).toBe(status);
		expect(response.headers()['content-type']).toBe('application/json; charset=utf-8');
		expect(response.headers()['access-control-allow-origin']).toBe('*');
		const body = await response.json();
		expect(schemaProblems(schema, body)).toEqual([]);
		return body;
	}

	async function xmlOf(response: APIResponse, root: string, status = 200) {
		expect(response.status()).toBe(status);
		expect(response.headers()['content-type']).toBe('text/xml; charset=utf-8');
		const text = new TextDecoder('utf-8', { fatal: true }).decode(await response.body());
		const parsed = parseXml(text);
		expect(parsed.declaration).toBe('UTF-8');
		expect(parsed.root.name).toBe(root);
		return spark(parsed.root);
	}

	/** GETs both formats and checks the XML carries the same fields as the JSON. */
	async function both(request: APIRequestContext, path: string, schema: SchemaName, root: string) {
		const json = await jsonOf(await request.get(`${V2}/${path.replace('{f}', 'json')}`), schema);
		const xml = await xmlOf(await request.get(`${V2}/${path.replace('{f}', 'xml')}`), root);
		expect(xml).toEqual(asXmlText(json));
		return json;
	}

	test('discovery names this endpoint in both formats', async ({ request }) => {
		const body = await both(request, 'discovery.{f}', 'discovery', 'discovery');
		expect(body.endpoints[0]).toMatchObject({
			specification: 'http://wiki.open311.org/GeoReport_v2',
			url: `${baseURL}/open311/v2`,
			formats: ['text/xml', 'application/json']
		});
	});

	test('services and a service definition validate and match across formats', async ({
		request
	}) => {
		const services = await both(request, 'services.{f}', 'services', 'services');
		const charging = services.find(
			(s: { service_code: string }) => s.service_code === 'flying-lead-charging'
		);
		expect(charging).toMatchObject({ metadata: true, type: 'realtime', group: '城市清洁' });
		const definition = await both(
			request,
			'services/flying-lead-charging.{f}',
			'service-definition',
			'service_definition'
		);
		expect(definition.attributes.map((a: { code: string }) => a.code)).toContain('charging_now');

		const english = await request.get(`${V2}/services.json`, {
			headers: { 'Accept-Language': 'en' }
		});
		expect(
			(await english.json()).find(
				(s: { service_code: string }) => s.service_code === 'street-cleaning'
			).service_name
		).toBe('Street cleaning');
	});

	test('a bad or missing api_key is 403, in the format asked for', async ({ request }) => {
		const form = { service_code: 'street-cleaning', lat: '31.8531', long: '117.2935' };
		const missing = await jsonOf(
			await request.post(`${V2}/requests.json`, { form }),
			'errors',
			403
		);
		expect(missing[0].code).toBe(403);
		const wrong = await xmlOf(
			await request.post(`${V2}/requests.xml`, { form: { ...form, api_key: 'jx311_nope' } }),
			'errors',
			403
		);
		expect(wrong).toEqual([{ code: '403', description: expect.stringContaining('api_key') }]);
	});

	test('an unknown service_code is 400 and an unknown id or format is 404', async ({ request }) => {
		const unknown = await jsonOf(
			await request.post(`${V2}/requests.json`, {
				form: { api_key: apiKey, service_code: 'no-such', lat: '31.8531', long: '117.2935' }
			}),
			'errors',
			400
		);
		expect(unknown[0].description).toContain('no-such');
		const nul = await jsonOf(
			await request.post(`${V2}/requests.json`, {
				form: {
					api_key: apiKey,
					service_code: 'street-cleaning',
					lat: '31.8531',
					long: '117.2935',
					description: 'a\u0000b'
				}
			}),
			'errors',
			400
		);
		expect(nul[0].description).toContain('description');
		await jsonOf(await request.get(`${V2}/requests/NOSUCH22.json`), 'errors', 404);
		await xmlOf(await request.get(`${V2}/requests/NOSUCH22.xml`), 'errors', 404);
		await jsonOf(await request.get(`${V2}/services/no-such.json`), 'errors', 404);
		await jsonOf(await request.get(`${V2}/tokens/abc.json`), 'errors', 404);
		await jsonOf(await request.get(`${V2}/services.csv`), 'errors', 404);
		await jsonOf(await request.get(`${V2}/requests.json?end_date=soon`), 'errors', 400);
		await jsonOf(
			await request.get(
				`${V2}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`
			),
			'errors',
			400
		);
	});

	test('a request filed through Open311 reads back in both formats, escaped in XML', async ({
		request
	}) => {
		const description = `门口堆了 <纸箱> & "泡沫"，联系 13800001234`;
		const created = await request.post(`${V2}/requests.json`, {
			form: {
				api_key: apiKey,
				service_code: 'fire-lane-blocked',
				lat: '31.8531',
				long: '117.2935',
				description,
				email: 'someone@example.com',
				first_name: 'Wei'
			}
		});
		const [made] = await jsonOf(created, 'post-response', 201);

		const inXml = await xmlOf(
			await request.post(`${V2}/requests.xml`, {
				form: { api_key: apiKey, service_code: 'street-cleaning', lat: '31.8531', long: '117.2935' }
			}),
			'service_requests',
			201
		);
		expect(inXml).toEqual([
			{
				service_request_id: expect.stringMatching(/^[2-9A-HJKMNP-Z]{8}$/),
				service_notice: expect.any(String),
				account_id: null
			}
		]);
		expect(made.service_notice).toContain('119');
		const id = made.service_request_id;

		const [one] = await both(request, `requests/${id}.{f}`, 'requests', 'service_requests');
		expect(one).toMatchObject({
			service_request_id: id,
			status: 'open',
			service_code: 'fire-lane-blocked',
			description: '门口堆了 <纸箱> & "泡沫"，联系 138****1234',
			requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/)
		});
		expect(JSON.stringify(one)).not.toContain('someone@example.com');

		const list = await both(
			request,
			`requests.{f}?service_request_id=${id},NOSUCH22`,
			'requests',
			'service_requests'
		);
		expect(list.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([id]);
		const recent = await jsonOf(
			await request.get(`${V2}/requests.json?service_code=fire-lane-blocked&status=open`),
			'requests'
		);
		expect(recent.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);

		const extended = await jsonOf(
			await request.get(`${V2}/requests/${id}.json?extensions=true`),
			'requests'
		);
		expect(extended[0].extended_attributes).toEqual({ stage: 'submitted', stage_name: '已上报' });
		expect(extended[0].notes).toEqual([
			expect.objectContaining({ type: 'submitted', description: '已上报' })
		]);

		// The same public view the app gives anyone.
		const publicView = await request.get(`/api/v1/reports/${id}`);
		expect(publicView.status()).toBe(200);
		expect((await publicView.json()).category).toBe('fire-lane-blocked');
	});

	test('a report made in the app shows its photo as media_url and its rounded place', async ({
		request
	}) => {
		const made = await request.post('/api/v1/reports', {
			headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() },
			multipart: {
				category: 'litter-oil-water',
				description: '积水',
				lat: '31.85237',
				lng: '117.29191',
				photos: { name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(400, 300) }
			}
		});
		expect(made.status()).toBe(201);
		const { trackingCode } = await made.json();
		const [one] = await both(
			request,
			`requests/${trackingCode}.{f}`,
			'requests',
			'service_requests'
		);
		expect(one).toMatchObject({ lat: 31.8525, long: 117.292, address: expect.any(String) });
		expect(one.media_url).toMatch(new RegExp(`^${baseURL}/photos/[0-9a-f-]{36}$`));
		const photo = await request.get(one.media_url);
		expect(photo.status()).toBe(200);
		expect(photo.headers()['content-type']).toMatch(/^image\//);
	});

	test('only Open311 takes cross-site forms: page actions still refuse them', async ({
		request
	}) => {
		const action = await request.post('/login', {
			form: { phone: demo.admin, password: 'x' },
			headers: { Origin: 'https://evil.example' },
			maxRedirects: 0
		});
		expect(action.status()).toBe(403);
		const noOrigin = await request.post('/admin/api-keys?/create', {
			form: { name: 'x' },
			maxRedirects: 0
		});
		expect(noOrigin.status()).toBe(403);
	});
});

test('an admin issues a key on the page, sees it once, and revokes it', async ({
	page,
	request
}) => {
	await loginWithForm(page, demo.admin, undefined, '/admin/api-keys');
	await page.goto('/admin/api-keys');
	const name = `Partner ${Date.now()}`;
	await page.getByLabel('使用方名称').fill(name);
	await page.getByRole('button', { name: '创建密钥' }).click();
	const shown = page.getByLabel(/新密钥/);
	await expect(shown).toBeVisible();
	const key = await shown.inputValue();
	expect(key).toMatch(/^jx311_[a-z2-7]{32}$/);

	const form = { api_key: key, service_code: 'street-cleaning', lat: '31.8531', long: '117.2935' };
	expect((await request.post(`${V2}/requests.json`, { form })).status()).toBe(201);

	await page.goto('/admin/api-keys');
	await expect(page.getByLabel(/新密钥/)).toHaveCount(0);
	expect(await page.content()).not.toContain(key);
	await page.getByRole('button', { name: `停用 · ${name}` }).click();
	await expect(page.getByRole('button', { name: `停用 · ${name}` })).toHaveCount(0);
	expect((await request.post(`${V2}/requests.json`, { form })).status()).toBe(403);
});
