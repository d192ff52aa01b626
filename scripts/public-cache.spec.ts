import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPublicCache, sharedLifetime } from './public-cache.js';

// A real HTTP server with the cache in front of a small app that counts what reaches it.
let clock = 0;
const cache = createPublicCache({ maxSeconds: 5, now: () => clock });
let reached: string[] = [];
type Route = (req: IncomingMessage, res: ServerResponse) => void;
const json =
	(headers: Record<string, string>, body = '{"ok":true}', status = 200): Route =>
	(_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(body);
	};
const routes: Record<string, Route> = {
	'/public': json({ 'cache-control': 'public, max-age=60' }),
	'/short': json({ 'cache-control': 'public, max-age=1' }),
	'/private': json({ 'cache-control': 'private, max-age=60' }),
	'/no-header': json({}),
	'/cookie': json({ 'cache-control': 'public, max-age=60', 'set-cookie': 'a=1' }),
	'/vary': (req, res) =>
		json(
			{ 'cache-control': 'public, max-age=60', vary: 'Accept-Language' },
			JSON.stringify({ language: req.headers['accept-language'] ?? null })
		)(req, res),
	'/vary-star': json({ 'cache-control': 'public, max-age=60', vary: '*' }),
	'/missing': json({ 'cache-control': 'public, max-age=60' }, '{}', 404),
	'/image': (_req, res) => {
		res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'public, max-age=60' });
		res.end(Buffer.from([137, 80, 78, 71]));
	},
	// Streams its body in parts, as SvelteKit does.
	'/streamed': (_req, res) => {
		res.setHeader('content-type', 'text/html; charset=utf-8');
		res.setHeader('cache-control', 'public, max-age=0, s-maxage=5');
		res.writeHead(200);
		res.write('<p>one ');
		setTimeout(() => res.end('two</p>'), 5);
	},
	'/slow': (_req, res) => {
		setTimeout(() => json({ 'cache-control': 'public, max-age=60' })(_req, res), 50);
	},
	'/write': (req, res) => json({}, '{}', req.headers['x-status'] ? 422 : 201)(req, res)
};
let server: Server;
let origin: string;

beforeAll(async () => {
	server = createServer((req, res) =>
		cache.handle(req, res, () => {
			reached.push(`${req.method} ${req.url}`);
			routes[new URL(req.url!, 'http://x').pathname](req, res);
		})
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
	cache.clear();
	reached = [];
	clock = 1_000_000;
});

const get = (path: string, headers: Record<string, string> = {}) =>
	fetch(origin + path, { headers });

describe('public cache', () => {
	it('answers a repeat of a public JSON response without the app', async () => {
		const first = await get('/public');
		expect(first.headers.get('x-cache')).toBe('miss');
		expect(await first.json()).toEqual({ ok: true });
		clock += 2_000;
		const second = await get('/public');
		expect(second.headers.get('x-cache')).toBe('hit');
		expect(second.headers.get('age')).toBe('2');
		expect(second.headers.get('content-type')).toBe('application/json');
		expect(await second.json()).toEqual({ ok: true });
		expect(reached).toEqual(['GET /public']);
	});

	it('keeps a streamed page whole', async () => {
		await (await get('/streamed')).text();
		const again = await get('/streamed');
		expect(again.headers.get('x-cache')).toBe('hit');
		expect(await again.text()).toBe('<p>one two</p>');
	});

	it('keeps one copy per value of the headers the response varies on', async () => {
		await (await get('/vary', { 'accept-language': 'en' })).text();
		await (await get('/vary', { 'accept-language': 'zh-CN' })).text();
		const en = await get('/vary', { 'accept-language': 'en' });
		const zh = await get('/vary', { 'accept-language': 'zh-CN' });
		expect([en.headers.get('x-cache'), zh.headers.get('x-cache')]).toEqual(['hit', 'hit']);
		expect(await en.json()).toEqual({ language: 'en' });
		expect(await zh.json()).toEqual({ language: 'zh-CN' });
		expect(reached).toHaveLength(2);
	});

	it.each(['/private', '/no-header', '/cookie', '/vary-star', '/missing', '/image'])(
		'never reuses %s',
		async (path) => {
			await (await get(path)).arrayBuffer();
			await (await get(path)).arrayBuffer();
			expect(reached).toEqual([`GET ${path}`, `GET ${path}`]);
		}
	);

	it('keeps a copy no longer than the response allows, and at most maxSeconds', async () => {
		await (await get('/short')).text();
		await (await get('/public')).text();
		clock += 1_500;
		await (await get('/short')).text();
		expect((await get('/public')).headers.get('x-cache')).toBe('hit');
		clock += 4_000;
		expect((await get('/public')).headers.get('x-cache')).toBe('miss');
		expect(reached).toEqual(['GET /short', 'GET /public', 'GET /short', 'GET /public']);
	});

	it('forgets everything after a write that succeeded, not after a refused one', async () => {
		await (await get('/public')).text();
		await (
			await fetch(`${origin}/write`, { method: 'POST', headers: { 'x-status': '422' } })
		).text();
		expect((await get('/public')).headers.get('x-cache')).toBe('hit');
		await (await fetch(`${origin}/write`, { method: 'POST' })).text();
		expect((await get('/public')).headers.get('x-cache')).toBe('miss');
	});

	it('does not keep an answer that began before a write', async () => {
		const slow = get('/slow');
		await new Promise((resolve) => setTimeout(resolve, 10));
		await (await fetch(`${origin}/write`, { method: 'POST' })).text();
		await (await slow).text();
		expect((await get('/slow')).headers.get('x-cache')).toBe('miss');
	});

	it('passes reloads and authorised requests to the app', async () => {
		await (await get('/public')).text();
		await (await get('/public', { 'cache-control': 'no-cache' })).text();
		await (await get('/public', { authorization: 'Bearer x' })).text();
		expect(reached).toHaveLength(3);
	});
});

describe('sharedLifetime', () => {
	it('reads s-maxage before max-age, and only for public responses', () => {
		expect(sharedLifetime('public, max-age=60')).toBe(60);
		expect(sharedLifetime('public, max-age=0, s-maxage=5')).toBe(5);
		expect(sharedLifetime('max-age=60')).toBe(0);
		expect(sharedLifetime('public, no-store')).toBe(0);
		expect(sharedLifetime(undefined)).toBe(0);
	});
});
