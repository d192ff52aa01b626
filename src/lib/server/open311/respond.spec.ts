import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { chinaTime, open311, Open311Error, respond } from './respond';
import { parseXml, spark } from './xml-read';

const event = (format: string) =>
	({ params: { format }, locals: { requestId: 'req-1' } }) as unknown as RequestEvent;

describe('open311 wrapper', () => {
	it('answers an unknown format with a 404 error list', async () => {
		const response = await open311(() => new Response('no'))(event('csv'));
		expect(response.status).toBe(404);
		expect(await response.json()).toEqual([{ code: 404, description: expect.any(String) }]);
	});

	it('gives errors in the format asked for, with their headers', async () => {
		const handler = open311(() => {
			throw new Open311Error(429, ['slow down', 'really'], { 'Retry-After': '7' });
		});
		const json = await handler(event('json'));
		expect(json.status).toBe(429);
		expect(json.headers.get('retry-after')).toBe('7');
		expect(await json.json()).toEqual([
			{ code: 429, description: 'slow down' },
			{ code: 429, description: 'really' }
		]);
		const xml = await handler(event('xml'));
		expect(xml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
		expect(spark(parseXml(await xml.text()).root)).toEqual([
			{ code: '429', description: 'slow down' },
			{ code: '429', description: 'really' }
		]);
	});

	it('turns a lost database into 503 and anything else into a 500 that leaks nothing', async () => {
		const lost = await open311(() => {
			throw Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
		})(event('json'));
		expect(lost.status).toBe(503);
		expect(lost.headers.get('retry-after')).toBe('5');
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		const broken = await open311(() => {
			throw new Error('secret table name');
		})(event('xml'));
		log.mockRestore();
		expect(broken.status).toBe(500);
		const text = await broken.text();
		expect(text).toContain('req-1');
		expect(text).not.toContain('secret table name');
	});
});

describe('respond and times', () => {
	it('writes JSON and XML with UTF-8 content types', async () => {
		const json = respond('json', 'services', [{ service_code: '飞线' }]);
		expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(await json.json()).toEqual([{ service_code: '飞线' }]);
		const xml = respond('xml', 'services', [{ service_code: '飞线' }], 201);
		expect(xml.status).toBe(201);
		expect(spark(parseXml(await xml.text()).root)).toEqual([{ service_code: '飞线' }]);
	});

	it('gives times in China Standard Time with the +08:00 offset', () => {
		expect(chinaTime(new Date('2026-11-27T16:30:05.123Z'))).toBe('2026-11-28T00:30:05+08:00');
		expect(new Date(chinaTime(new Date('2026-01-01T00:00:00Z'))).toISOString()).toBe(
			'2026-01-01T00:00:00.000Z'
		);
	});
});
