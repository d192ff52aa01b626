import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';

export const DEMO_PASSWORD = 'demo-2026';
export const demo = {
	resident: '13800000001',
	volunteer: '13800000002',
	grid_worker: '13800000003',
	handler: '13800000004',
	community_staff: '13800000005',
	dispatcher: '13800000006',
	supervisor: '13800000007',
	admin: '13800000008'
} as const;
export type DemoRole = keyof typeof demo;

/**
 * Switches the context's language cookie. A page's script writes the language it was rendered in
 * into that cookie once, as it starts; setting ours before that has run on the open page would be
 * overwritten, and the next page would come in the old language. So wait until the page is live.
 */
export async function readIn(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
	if (page.url() !== 'about:blank') await hydrated(page);
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: baseURL }]);
}

/** Waits, with JavaScript, until the page loaded last is interactive (the root layout marks it). */
export async function hydrated(page: Page): Promise<void> {
	if (test.info().project.use.javaScriptEnabled === false) return;
	await page.waitForFunction(() => document.documentElement.dataset.hydrated === '1', null, {
		timeout: 30_000
	});
}

/** Logs in through the form, as a person would. */
export async function loginWithForm(
	page: Page,
	phone: string,
	password = DEMO_PASSWORD,
	next = '/'
) {
	await page.goto(`/login?next=${encodeURIComponent(next)}`);
	// With JavaScript, wait for hydration: typing before it can be wiped by the hydrated form.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('手机号').fill(phone);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

/** Logs in through the JSON API; the request context keeps the session cookie. */
export async function loginWithApi(
	request: APIRequestContext,
	baseURL: string,
	phone: string,
	password = DEMO_PASSWORD
) {
	const response = await request.post('/api/v1/auth/login', {
		data: { phone, password },
		headers: { Origin: baseURL }
	});
	expect(response.status()).toBe(200);
	return response;
}

/** A phone number no other test uses. */
export function uniquePhone(): string {
	return `139${String(Date.now() % 1e8).padStart(8, '0')}`;
}

/** Waits for the service worker, then reloads: the first load is not controlled, a reload is. */
export async function reloadUnderServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.reload();
	await expect
		.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 15_000 })
		.toBe(true);
}
