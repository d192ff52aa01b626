import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { jpegWithGps } from '../../src/lib/server/reports/testing';
import {
	openApiProblems,
	schemaProblems,
	type SchemaName
} from '../../src/lib/server/open311/schema-check';
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
		// The photo is re-encoded after the answer; media_url names it once it is finished.
		await expect
			.poll(
				async () => (await (await request.get(`/api/v1/reports/${trackingCode}`)).json()).photos
			)
			.toHaveLength(1);
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

	test('only Open311 takes cross-site forms, and only without a session cookie', async ({
		request,
		playwright
	}) => {
		const form = {
			api_key: apiKey,
			service_code: 'street-cleaning',
			lat: '31.8531',
			long: '117.2935'
		};
		// A third-party web client (its own Origin) and a partner server (no Origin), no cookie.
		const partner = await request.post(`${V2}/requests.json`, {
			form,
			headers: { Origin: 'https://partner.example' }
		});
		await jsonOf(partner, 'post-response', 201);
		await jsonOf(await request.post(`${V2}/requests.json`, { form }), 'post-response', 201);

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

		// A browser carrying a session: cross-site forms are refused, Open311's too.
		const loggedIn = await playwright.request.newContext({ baseURL });
		await loginWithApi(loggedIn, baseURL, demo.admin);
		const before = await jsonOf(
			await request.get(`${V2}/requests.json?service_code=street-cleaning`),
			'requests'
		);
		const withCookie = await loggedIn.post(`${V2}/requests.json`, {
			form,
			headers: { Origin: 'https://evil.example' }
		});
		const [refused] = await jsonOf(withCookie, 'errors', 403);
		expect(refused.code).toBe(403);
		await xmlOf(
			await loggedIn.post(`${V2}/requests.xml`, {
				form,
				headers: { Origin: 'https://evil.example' }
			}),
			'errors',
			403
		);
		const noOriginWithCookie = await loggedIn.post(`${V2}/requests.json`, { form });
		expect(noOriginWithCookie.status()).toBe(403);
		const pageAction = await loggedIn.post('/admin/api-keys?/create', {
			form: { name: 'evil' },
			headers: { Origin: 'https://evil.example' },
			maxRedirects: 0
		});
		expect(pageAction.status()).toBe(403);
		// Nothing was filed by the refused posts.
		const after = await jsonOf(
			await request.get(`${V2}/requests.json?service_code=street-cleaning`),
			'requests'
		);
		expect(after.length).toBe(before.length);
		// The app's own origin with the cookie still works.
		await jsonOf(
			await loggedIn.post(`${V2}/requests.json`, { form, headers: { Origin: baseURL } }),
			'post-response',
			201
		);
		await loggedIn.dispose();
	});

	test('a request filed through Open311 reaches the staff queue, and each staff move shows in GET requests/{id}', async ({
		request,
		playwright
	}) => {
		test.setTimeout(120_000);
		const doc = await (await request.get('/api/v1/openapi.json')).json();
		const description = `Open311 闭环 ${Date.now()}`;
		const created = await request.post(`${V2}/requests.json`, {
			form: {
				api_key: apiKey,
				service_code: 'street-cleaning',
				lat: '31.8531',
				long: '117.2935',
				description
			}
		});
		const [made] = await jsonOf(created, 'post-response', 201);
		expect(openApiProblems(doc, 'Open311Created', made)).toEqual([]);
		const id: string = made.service_request_id;

		const dispatcher = await playwright.request.newContext({ baseURL });
		await loginWithApi(dispatcher, baseURL, demo.dispatcher);
		const handler = await playwright.request.newContext({ baseURL });
		await loginWithApi(handler, baseURL, demo.handler);
		const queue = await (await dispatcher.get(`/api/v1/staff/queue?q=${id}`)).json();
		expect(queue.items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual([id]);
		expect(queue.items[0]).toMatchObject({ stage: 'submitted', category: expect.anything() });
		const caseId: string = queue.items[0].id;

		/** GET requests/{id} in both formats: the official-shape schema, the OpenAPI component, XML = JSON. */
		async function read() {
			const [one] = await both(request, `requests/${id}.{f}`, 'requests', 'service_requests');
			expect(openApiProblems(doc, 'Open311Request', one)).toEqual([]);
			const [extended] = await jsonOf(
				await request.get(`${V2}/requests/${id}.json?extensions=true`),
				'requests'
			);
			expect(openApiProblems(doc, 'Open311Request', extended)).toEqual([]);
			return { ...one, stage: extended.extended_attributes.stage, notes: extended.notes };
		}
		const seconds = (iso: string | null) =>
			iso === null ? null : Math.floor(new Date(iso).getTime() / 1000);
		async function move(
			who: import('@playwright/test').APIRequestContext,
			body: Record<string, string>,
			photo?: Buffer
		) {
			const response = await who.post(`/api/v1/staff/reports/${caseId}/transitions`, {
				headers: { Origin: baseURL },
				...(photo
					? {
							multipart: {
								...body,
								photo: { name: 'after.jpg', mimeType: 'image/jpeg', buffer: photo }
							}
						}
					: { data: body })
			});
			expect(response.status(), JSON.stringify(body)).toBe(200);
			const staffCase = await response.json();
			const seen = await read();
			expect(seen.stage).toBe(staffCase.stage);
			expect(seen.status).toBe(staffCase.stage === 'closed' ? 'closed' : 'open');
			expect(seen.status_notes).toBe(body.publicNote);
			expect(seen.notes.at(-1)).toMatchObject({
				type: staffCase.stage,
				description: body.publicNote
			});
			expect(seconds(seen.expected_datetime)).toBe(
				staffCase.stage === 'closed' ? null : seconds(staffCase.dueAt ?? null)
			);
			return { seen, staffCase };
		}

		const first = await read();
		expect(first).toMatchObject({
			status: 'open',
			status_notes: null,
			stage: 'submitted',
			description
		});

		await move(dispatcher, { action: 'accept', publicNote: '已受理，正在安排' });
		const dispatched = await move(dispatcher, {
			action: 'dispatch',
			department: 'city-management',
			publicNote: '已派往城管中队'
		});
		expect(dispatched.seen.agency_responsible).toBe('城管中队');
		expect(dispatched.seen.expected_datetime).toMatch(/\+08:00$/);
		expect(dispatched.staffCase.dueAt).not.toBeNull();
		const started = await move(handler, { action: 'start', publicNote: '工作人员已到场' });
		expect(started.seen.agency_responsible).toBe('城管中队');
		await move(
			handler,
			{ action: 'handle', note: '已清扫完毕', publicNote: '已清扫干净' },
			await jpegWithGps(400, 300)
		);
		const closed = await move(dispatcher, { action: 'close', publicNote: '核查通过，已结案' });
		expect(closed.seen).toMatchObject({
			status: 'closed',
			expected_datetime: null,
			agency_responsible: '城管中队'
		});
		expect(seconds(closed.seen.updated_datetime)!).toBeGreaterThanOrEqual(
			seconds(first.updated_datetime)!
		);
		expect(closed.seen.notes.map((n: { type: string }) => n.type)).toEqual([
			'submitted',
			'accepted',
			'dispatched',
			'in_progress',
			'handled',
			'closed'
		]);
		// And a closed request is listed as closed, not as open.
		const closedList = await jsonOf(
			await request.get(`${V2}/requests.json?service_code=street-cleaning&status=closed`),
			'requests'
		);
		expect(closedList.map((r: { service_request_id: string }) => r.service_request_id)).toContain(
			id
		);
		await dispatcher.dispose();
		await handler.dispose();
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
