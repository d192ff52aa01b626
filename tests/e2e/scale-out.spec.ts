import { expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { startApp, type AppServer } from './app-server';
import { demo, DEMO_PASSWORD, uniquePhone } from './helpers';
import { multipart, plainJpeg, reportFields } from './multipart';

/**
 * A second app server on the same PostgreSQL as the test server: sessions made on one work on the
 * other, login failures count across both, and one Idempotency-Key makes one report whichever
 * server takes it. Jobs running once: src/lib/server/jobs/jobs-once.spec.ts. Needs DATABASE_URL.
 */
test.skip(!process.env.DATABASE_URL, 'needs PostgreSQL (DATABASE_URL)');
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP only: one project is enough');

let second: AppServer;
let secondURL: string;

test.beforeAll(async () => {
	second = await startApp({ SEED_DEMO: '0' });
	secondURL = second.url;
});
test.afterAll(async () => {
	await second?.stop();
});

test('a session made on one server works on the other, and logout on the other ends it', async () => {
	const login = await fetch(`${baseURL}/api/v1/auth/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: baseURL },
		body: JSON.stringify({ phone: demo.dispatcher, password: DEMO_PASSWORD })
	});
	expect(login.status).toBe(200);
	const cookie = login.headers.get('set-cookie')!.split(';')[0];
	const me = await fetch(`${secondURL}/api/v1/me`, { headers: { Cookie: cookie } });
	expect(me.status).toBe(200);
	expect((await me.json()).role).toBe('dispatcher');
	const logout = await fetch(`${secondURL}/api/v1/auth/logout`, {
		method: 'POST',
		headers: { Cookie: cookie, Origin: secondURL }
	});
	expect(logout.status).toBe(200);
	expect((await fetch(`${baseURL}/api/v1/me`, { headers: { Cookie: cookie } })).status).toBe(401);
});

test('login failures alternating between the servers are counted together', async () => {
	const phone = uniquePhone();
	const signup = await fetch(`${baseURL}/api/v1/auth/signup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Origin: baseURL },
		body: JSON.stringify({ phone, password: 'right-password', name: '双机测试', role: 'resident' })
	});
	expect(signup.status).toBe(201);
	const statuses: number[] = [];
	for (let i = 0; i < 10; i++) {
		const url = i % 2 ? secondURL : baseURL;
		const response = await fetch(`${url}/api/v1/auth/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Origin: url },
			body: JSON.stringify({ phone, password: 'wrong' })
		});
		statuses.push(response.status);
	}
	expect(statuses).toEqual([...Array(9).fill(401), 429]);
});

test('one Idempotency-Key sent to both servers at once makes one report', async () => {
	const key = crypto.randomUUID();
	const form = multipart(reportFields(`双机幂等 ${key}`), [
		{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', data: await plainJpeg() }
	]);
	const responses = await Promise.all(
		Array.from({ length: 10 }, (_, i) => {
			const url = i % 2 ? secondURL : baseURL;
			return fetch(`${url}/api/v1/reports`, {
				method: 'POST',
				headers: { 'Content-Type': form.type, 'Idempotency-Key': key, Origin: url },
				body: new Uint8Array(form.body)
			});
		})
	);
	expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
	const codes = await Promise.all(responses.map(async (r) => (await r.json()).trackingCode));
	expect(new Set(codes).size).toBe(1);
	expect(responses.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
});
