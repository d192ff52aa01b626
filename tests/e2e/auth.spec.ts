import { expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { demo, DEMO_PASSWORD, loginWithForm, uniquePhone } from './helpers';

test.describe('login', () => {
	for (const [role, phone] of Object.entries(demo)) {
		test(`${role} logs in through the form`, async ({ page }) => {
			await loginWithForm(page, phone, DEMO_PASSWORD, '/account');
			await expect(page.getByRole('heading', { name: '我的账号' })).toBeVisible();
			await expect(page.getByText(phone)).toBeVisible();
		});
	}

	test('every demo account logs in through the API and /me names its role', async ({
		playwright
	}) => {
		for (const [role, phone] of Object.entries(demo)) {
			const request = await playwright.request.newContext({ baseURL });
			const response = await request.post('/api/v1/auth/login', {
				data: { phone, password: DEMO_PASSWORD },
				headers: { Origin: baseURL }
			});
			expect(response.status()).toBe(200);
			expect((await response.json()).user.role).toBe(role);
			const me = await (await request.get('/api/v1/me')).json();
			expect(me.role).toBe(role);
			await request.dispose();
		}
	});

	test('a wrong password shows an error and keeps the phone number', async ({ page }) => {
		await page.goto('/login');
		// Type only after hydration, or the hydrated form may wipe what was typed.
		await page.waitForLoadState('networkidle');
		await page.getByLabel('手机号').fill(demo.resident);
		await page.getByLabel('密码').fill('wrong-password');
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page.getByRole('alert')).toContainText('手机号或密码不正确');
		await expect(page.getByLabel('手机号')).toHaveValue(demo.resident);
	});

	test('ten wrong passwords in a row get 429 with Retry-After', async ({
		request,
		page
	}, testInfo) => {
		test.skip(testInfo.project.name !== 'js', 'one run is enough: it locks the account');
		const phone = uniquePhone();
		const signup = await request.post('/api/v1/auth/signup', {
			data: { phone, password: 'right-password', name: '限流测试', role: 'resident' },
			headers: { Origin: baseURL }
		});
		expect(signup.status()).toBe(201);
		const statuses: number[] = [];
		for (let i = 0; i < 10; i++) {
			const r = await request.post('/api/v1/auth/login', {
				data: { phone, password: 'wrong' },
				headers: { Origin: baseURL }
			});
			statuses.push(r.status());
			if (r.status() === 429) {
				expect(Number(r.headers()['retry-after'])).toBeGreaterThan(0);
				expect((await r.json()).error.code).toBe('rate_limited');
			}
		}
		expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
		expect(statuses[9]).toBe(429);
		const right = await request.post('/api/v1/auth/login', {
			data: { phone, password: 'right-password' },
			headers: { Origin: baseURL }
		});
		expect(right.status()).toBe(429);
		// The form says so too.
		await page.goto('/login');
		// Type only after hydration, or the hydrated form may wipe what was typed.
		await page.waitForLoadState('networkidle');
		await page.getByLabel('手机号').fill(phone);
		await page.getByLabel('密码').fill('right-password');
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page.getByRole('alert')).toContainText('尝试次数过多');
	});

	test('logout ends the session', async ({ page }) => {
		await loginWithForm(page, demo.volunteer, DEMO_PASSWORD, '/account');
		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL(baseURL + '/');
		await page.goto('/account');
		await expect(page).toHaveURL(/\/login/);
	});
});

test.describe('sign-up', () => {
	test('a resident signs up through the form and lands logged in', async ({ page }) => {
		const phone = uniquePhone();
		await page.goto('/signup');
		// Type only after hydration, or the hydrated form may wipe what was typed.
		await page.waitForLoadState('networkidle');
		await page.getByLabel('姓名').fill('新居民');
		await page.getByLabel('手机号').fill(phone);
		await page.getByLabel('密码').fill('a-good-password');
		await page.getByRole('button', { name: '注册并登录' }).click();
		await expect(page).toHaveURL(baseURL + '/');
		await page.goto('/account');
		await expect(page.getByText(phone)).toBeVisible();
	});

	test('bad input is explained field by field and nothing typed is lost', async ({ page }) => {
		await page.goto('/signup');
		// Type only after hydration, or the hydrated form may wipe what was typed.
		await page.waitForLoadState('networkidle');
		await page.getByLabel('姓名').fill('王五');
		await page.getByLabel('手机号').fill('12345');
		await page.getByLabel('密码').fill('short');
		// Bypass the browser's own checks to see the server's answer.
		await page.locator('form.card').evaluate((f) => f.setAttribute('novalidate', ''));
		await page.getByRole('button', { name: '注册并登录' }).click();
		await expect(page.getByText('请输入 11 位手机号')).toBeVisible();
		await expect(page.getByText('密码至少 8 位')).toBeVisible();
		await expect(page.getByLabel('姓名')).toHaveValue('王五');
		await expect(page.getByLabel('手机号')).toHaveValue('12345');
	});

	test('a taken phone number gets 409 phone_taken from the API', async ({ request }) => {
		const r = await request.post('/api/v1/auth/signup', {
			data: { phone: demo.resident, password: 'whatever-123', name: 'x', role: 'resident' },
			headers: { Origin: baseURL }
		});
		expect(r.status()).toBe(409);
		expect((await r.json()).error.code).toBe('phone_taken');
	});
});

test.describe('API conventions', () => {
	test('login from another origin is refused', async ({ request }) => {
		const r = await request.post('/api/v1/auth/login', {
			data: { phone: demo.resident, password: DEMO_PASSWORD },
			headers: { Origin: 'https://evil.example' }
		});
		expect(r.status()).toBe(403);
		expect((await r.json()).error.code).toBe('cross_origin');
	});

	test('errors follow Accept-Language', async ({ request }) => {
		const zh = await request.post('/api/v1/auth/login', {
			data: { phone: '1', password: '' },
			headers: { Origin: baseURL }
		});
		expect(zh.status()).toBe(400);
		const zhBody = await zh.json();
		expect(zhBody.error.code).toBe('invalid_input');
		expect(zhBody.error.fields.phone).toBe('请输入 11 位手机号');
		const en = await request.post('/api/v1/auth/login', {
			data: { phone: '1', password: '' },
			headers: { Origin: baseURL, 'Accept-Language': 'en-US,en;q=0.9' }
		});
		expect((await en.json()).error.fields.phone).toBe('Enter an 11-digit mobile number');
	});

	test('a non-JSON body gets 415, broken JSON 400', async ({ request }) => {
		const a = await request.post('/api/v1/auth/login', {
			data: 'phone=1',
			headers: { Origin: baseURL, 'Content-Type': 'application/x-www-form-urlencoded' }
		});
		expect(a.status()).toBe(415);
		expect((await a.json()).error.code).toBe('unsupported_media_type');
		const b = await request.post('/api/v1/auth/login', {
			data: '{"phone":',
			headers: { Origin: baseURL, 'Content-Type': 'application/json' }
		});
		expect(b.status()).toBe(400);
		expect((await b.json()).error.code).toBe('invalid_json');
	});

	test('categories list the plan’s categories with departments', async ({ request }) => {
		const list = await (await request.get('/api/v1/categories')).json();
		const fireLane = list.find((c: { code: string }) => c.code === 'fire-lane-blocked');
		expect(fireLane).toEqual({
			code: 'fire-lane-blocked',
			name: '占用堵塞消防通道',
			group: 'cleaning',
			urgent: true,
			department: 'property'
		});
	});

	test('the OpenAPI document describes the API', async ({ request }) => {
		const doc = await (await request.get('/api/v1/openapi.json')).json();
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths)).toEqual(
			expect.arrayContaining(['/auth/login', '/auth/logout', '/me', '/categories'])
		);
	});
});
