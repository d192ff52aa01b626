import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { baseURL } from '../../playwright.config';
import { operationsTaking, weirdString } from './fuzz-inputs';
import { demo, loginWithApi } from './helpers';

/**
 * Property test of every JSON endpoint the OpenAPI document lists with a JSON body: random and
 * malformed bodies (wrong types, huge strings, Unicode edge cases) always get a 4xx in the API's
 * error format, never a 500. New endpoints are covered as soon as they are documented.
 */
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

const anyJsonValue = fc.oneof(
	weirdString,
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.integer(), { maxLength: 3 }),
	fc.object({ maxDepth: 1 })
);

/** Bodies shaped like the schema, with each property a random value of any type. */
const shapedBody = (properties: string[]) =>
	fc.record(Object.fromEntries(properties.map((p) => [p, anyJsonValue])), { requiredKeys: [] });
const rawBody = fc.oneof(
	fc.string({ maxLength: 200 }),
	fc.constantFrom(
		'',
		'{',
		'[]',
		'null',
		'1',
		'"x"',
		'{"a":1,}',
		'\uFEFF{}',
		'{"__proto__":{"x":1}}'
	),
	fc.json().filter((s) => !s.startsWith('{'))
);

interface Operation {
	method: string;
	path: string;
	properties: string[];
}

async function jsonOperations(
	request: import('@playwright/test').APIRequestContext
): Promise<Operation[]> {
	const doc = await (await request.get('/api/v1/openapi.json')).json();
	return operationsTaking(doc, 'application/json').map(({ method, template, properties }) => ({
		method,
		path: template.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
		properties
	}));
}

for (const role of ['anonymous', 'admin'] as const) {
	test(`random JSON bodies never cause a 500 (${role})`, async ({ playwright }) => {
		test.setTimeout(180_000);
		const request = await playwright.request.newContext({ baseURL });
		if (role === 'admin') await loginWithApi(request, baseURL, demo.admin);
		const operations = await jsonOperations(request);
		expect(operations.length).toBeGreaterThan(2);
		for (const op of operations) {
			// An invalid phone keeps login fuzzing in the parser, so no failure counts against the
			// per-client login limit that the other tests share.
			const safeBody = (body: unknown) =>
				op.path.endsWith('/auth/login') && body && typeof body === 'object'
					? { ...body, phone: 'not-a-phone' }
					: body;
			await fc.assert(
				fc.asyncProperty(
					fc.oneof(
						shapedBody(op.properties).map((b) => JSON.stringify(safeBody(b))),
						rawBody
					),
					async (body) => {
						const response = await request.fetch(op.path, {
							method: op.method,
							data: body,
							headers: {
								'Content-Type': 'application/json',
								Origin: baseURL,
								'Idempotency-Key': crypto.randomUUID()
							}
						});
						const status = response.status();
						const where = `${op.method} ${op.path} ${body.slice(0, 120)}`;
						expect(status, where).toBeLessThan(500);
						if (status >= 400) {
							const json = await response.json();
							expect(typeof json.error?.code, where).toBe('string');
							expect(typeof json.error?.message, where).toBe('string');
						}
					}
				),
				{ numRuns: 40 }
			);
		}
		await request.dispose();
	});
}

/**
 * The Open311 create takes forms, not JSON: random form fields (the documented ones, attribute[…]
 * and others) and broken form bodies, with a real api_key or a bad one, always get a 4xx in the
 * GeoReport v2 error format (a list of {code, description}), never a 500, and file nothing.
 */
test('random Open311 forms never cause a 500', async ({ playwright }) => {
	test.setTimeout(180_000);
	const request = await playwright.request.newContext({ baseURL });
	const admin = await playwright.request.newContext({ baseURL });
	await loginWithApi(admin, baseURL, demo.admin);
	const made = await admin.post('/api/v1/admin/api-keys', {
		data: { name: 'fuzz' },
		headers: { Origin: baseURL }
	});
	const { key } = await made.json();
	await admin.dispose();

	const doc = await (await request.get('/api/v1/openapi.json')).json();
	// The Open311 forms: the only documented form bodies outside the JSON API's own server.
	const forms = operationsTaking(doc, 'application/x-www-form-urlencoded')
		.filter((op) => !op.template.startsWith(doc.servers[0].url))
		.map((op) => ({ path: op.template.replace('{format}', 'json'), fields: op.properties }));
	expect(forms.map((f) => f.path)).toContain('/open311/v2/requests.json');
	const text = fc.oneof(weirdString, fc.integer().map(String), fc.double().map(String));
	for (const form of forms) {
		const before = await (await request.get('/open311/v2/requests.json?page_size=1000')).json();
		const fieldName = fc.oneof(
			fc.constantFrom(...form.fields, 'attribute[charging_now]', 'attribute[x][]', 'attribute['),
			fc.string({ maxLength: 20 })
		);
		const randomForm = fc
			.tuple(
				fc.array(fc.tuple(fieldName, text), { maxLength: 12 }),
				fc.constantFrom(key, 'jx311_nope', '')
			)
			.map(([pairs, apiKey]) => {
				const params = new URLSearchParams(pairs);
				if (apiKey) params.set('api_key', apiKey);
				return { type: 'application/x-www-form-urlencoded', body: params.toString() };
			});
		const brokenBody = fc.record({
			type: fc.constantFrom(
				'application/x-www-form-urlencoded',
				'multipart/form-data',
				'multipart/form-data; boundary=x',
				'application/json',
				'text/plain'
			),
			body: fc.oneof(
				fc.string({ maxLength: 200 }),
				fc.constantFrom('%', '%zz=1', '&&&=', 'a=%E4', `api_key=${key}&service_code=%`, '--x\r\n')
			)
		});
		await fc.assert(
			fc.asyncProperty(fc.oneof(randomForm, brokenBody), async ({ type, body }) => {
				const response = await request.post(form.path, {
					data: body,
					headers: { 'Content-Type': type, Origin: 'https://partner.example' }
				});
				const status = response.status();
				const where = `POST ${form.path} ${type} ${body.slice(0, 160)}`;
				expect(status, where).toBeGreaterThanOrEqual(400);
				expect(status, where).toBeLessThan(500);
				const errors = await response.json();
				expect(Array.isArray(errors), where).toBe(true);
				expect(typeof errors[0]?.code, where).toBe('number');
				expect(typeof errors[0]?.description, where).toBe('string');
			}),
			{ numRuns: 60 }
		);
		const after = await (await request.get('/open311/v2/requests.json?page_size=1000')).json();
		expect(after.length).toBe(before.length);
	}
	await request.dispose();
});

test('a body over the server limit is 413 too_large, as JSON and as a form', async ({
	playwright
}) => {
	// The test server's BODY_SIZE_LIMIT is 70M.
	const huge = Buffer.alloc(71 * 1024 * 1024, 0x61);
	const volunteer = await playwright.request.newContext({ baseURL });
	await loginWithApi(volunteer, baseURL, demo.volunteer);
	const json = await volunteer.post('/api/v1/checkins', {
		data: huge,
		headers: { 'Content-Type': 'application/json', Origin: baseURL }
	});
	expect(json.status()).toBe(413);
	expect((await json.json()).error.code).toBe('too_large');
	const form = await volunteer.post('/api/v1/reports', {
		data: huge,
		headers: {
			'Content-Type': 'multipart/form-data; boundary=x',
			'Idempotency-Key': crypto.randomUUID(),
			Origin: baseURL
		}
	});
	expect(form.status()).toBe(413);
	expect((await form.json()).error.code).toBe('too_large');
	await volunteer.dispose();
});

test('a malformed multipart body is 400, on a page form and on the JSON API, never a 500', async ({
	playwright
}) => {
	const truncated = '--b\r\nContent-Disposition: form-data; name="phone"\r\n\r\n1380000';
	const headers = { 'Content-Type': 'multipart/form-data; boundary=b', Origin: baseURL };
	const anonymous = await playwright.request.newContext({ baseURL });
	const login = await anonymous.post('/login', { data: truncated, headers });
	expect(login.status()).toBe(400);
	await anonymous.dispose();
	const dispatcher = await playwright.request.newContext({ baseURL });
	await loginWithApi(dispatcher, baseURL, demo.dispatcher);
	const move = await dispatcher.post(`/api/v1/staff/reports/${crypto.randomUUID()}/transitions`, {
		data: truncated,
		headers
	});
	expect(move.status()).toBe(400);
	expect((await move.json()).error.code).toBe('invalid_input');
	await dispatcher.dispose();
});
