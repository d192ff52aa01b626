import { expect, test } from '@playwright/test';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { baseURL } from '../../playwright.config';

// Raw node:http requests: fetch and Playwright decode gzip for us and would hide what we check.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'one run is enough');

async function get(path: string, acceptEncoding?: string) {
	return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
		const req = request(
			new URL(path, baseURL),
			{ headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
			}
		);
		req.on('error', reject);
		req.end();
	});
}

test('pages and JSON go out gzipped to clients that accept it, and plain to others', async () => {
	for (const path of ['/report', '/api/v1/categories']) {
		const plain = await get(path);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const zipped = await get(path, 'gzip, deflate, br');
		expect(zipped.headers['content-encoding']).toBe('gzip');
		expect(String(zipped.headers['vary'])).toMatch(/Accept-Encoding/);
		const unzipped = gunzipSync(zipped.body);
		expect(zipped.body.length).toBeLessThan(unzipped.length / 2);
		expect(unzipped.toString('utf8').slice(0, 40)).toBe(plain.body.toString('utf8').slice(0, 40));
	}
	// A short answer is not worth compressing.
	const small = await get('/api/v1/reports/NOSUCHCODE', 'gzip');
	expect(small.headers['content-encoding']).toBeUndefined();
	expect(JSON.parse(small.body.toString('utf8')).error.code).toBeTruthy();
});
