import { expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { loginWithApi, demo } from './helpers';

// The shared cache in front of the app (scripts/serve.js, scripts/public-cache.js).
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'one run is enough');

const get = (path: string, headers: Record<string, string> = {}) =>
	fetch(new URL(path, baseURL), { headers, redirect: 'manual' });

test('a visitor’s / and /report are reused for a few seconds, the same for every visitor', async () => {
	for (const path of ['/', '/report']) {
		const first = await get(path);
		expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=5');
		expect(first.headers.get('vary')).toMatch(/Cookie/);
		const firstHtml = await first.text();
		const again = await get(path);
		expect(again.headers.get('x-cache')).toBe('hit');
		expect(await again.text()).toBe(firstHtml);
		// The page holds nothing made for one request: its scripts are allowed by hash.
		expect(again.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);
		expect(firstHtml).not.toMatch(/nonce=/);
		// English is another copy.
		const english = await get(path, { 'accept-language': 'en' });
		expect(await english.text()).not.toBe(firstHtml);
	}
});

test('a signed-in user’s pages are never shared', async ({ request }) => {
	const login = await loginWithApi(request, baseURL, demo.resident);
	const cookie = login.headers()['set-cookie'].split(';')[0];
	for (let i = 0; i < 2; i++) {
		const page = await get('/', { cookie });
		expect(page.headers.get('cache-control') ?? '').not.toMatch(/public/);
		expect(page.headers.get('x-cache')).toBe('miss');
	}
});

test('a write forgets what was kept, so the next visitor sees it', async ({ request }) => {
	await (await get('/api/v1/categories')).text();
	expect((await get('/api/v1/categories')).headers.get('x-cache')).toBe('hit');
	const created = await request.post('/api/v1/reports', {
		headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() },
		multipart: { category: 'fireworks', lat: '31.85237', lng: '117.29191' }
	});
	expect(created.status()).toBe(201);
	expect((await get('/api/v1/categories')).headers.get('x-cache')).toBe('miss');
});

test('the shared no-JS form sent twice makes one report', async ({ request }) => {
	const form = {
		category: 'fireworks',
		lat: '31.8524',
		lng: '117.2919',
		description: `双击提交 ${crypto.randomUUID()}`,
		idempotencyKey: ''
	};
	const send = () =>
		request.post('/report?/submit', {
			headers: { Origin: baseURL, Accept: 'text/html' },
			multipart: form,
			maxRedirects: 0
		});
	const first = await send();
	const second = await send();
	expect(first.status()).toBe(303);
	expect(second.status()).toBe(303);
	const code = (location: string) => new URL(location, baseURL).pathname;
	expect(code(second.headers()['location'])).toBe(code(first.headers()['location']));
	// Another description is another report.
	const other = await request.post('/report?/submit', {
		headers: { Origin: baseURL, Accept: 'text/html' },
		multipart: { ...form, description: `${form.description} 另一件` },
		maxRedirects: 0
	});
	expect(code(other.headers()['location'])).not.toBe(code(first.headers()['location']));
});
