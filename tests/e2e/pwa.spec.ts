import { expect, test } from '@playwright/test';
import { privateOnlyFiles } from '../../scripts/precache.js';
import { baseURL } from '../../playwright.config';
import { demo, loginWithApi, reloadUnderServiceWorker } from './helpers';

test('the web manifest names the app in Chinese, standalone, with the three icons', async ({
	request
}) => {
	const response = await request.get('/manifest.webmanifest');
	expect(response.status()).toBe(200);
	const manifest = await response.json();
	expect(manifest.lang).toBe('zh-CN');
	expect(manifest.name).toContain('街巷');
	expect(manifest.display).toBe('standalone');
	const icons = manifest.icons.map(
		(i: { sizes: string; purpose?: string }) => `${i.sizes}${i.purpose ? ' ' + i.purpose : ''}`
	);
	expect(icons).toEqual(expect.arrayContaining(['192x192', '512x512', '512x512 maskable']));
	for (const icon of manifest.icons) {
		const png = await request.get(icon.src);
		expect(png.headers()['content-type']).toBe('image/png');
	}
});

test('the offline page is prerendered', async ({ request }) => {
	const response = await request.get('/offline');
	expect(response.status()).toBe(200);
	expect(await response.text()).toContain('当前离线');
});

test('the worker precaches the shell and the offline page, but no chunk only staff pages load', async ({
	request
}) => {
	const worker = await (await request.get('/service-worker.js')).text();
	const precached = [...worker.matchAll(/"url":"([^"]+)"/g)].map(([, url]) => url);
	expect(precached).toEqual(expect.arrayContaining(['offline', '_app/version.json']));
	expect(precached.filter((url) => /^(client|prerendered)\//.test(url))).toEqual([]);
	// Each precached file is served where the worker will ask for it.
	for (const url of precached.filter((u) => u.endsWith('.js')).slice(0, 5))
		expect((await request.get(`/${url}`)).status()).toBe(200);
	// The staff pages' own chunks exist in this build, and none is in the precache.
	const staffOnly = privateOnlyFiles();
	expect(staffOnly.size).toBeGreaterThan(10);
	expect(precached.filter((url) => staffOnly.has(url))).toEqual([]);
	expect(precached.some((url) => url.startsWith('_app/immutable/nodes/'))).toBe(true);
});

test.describe('service worker', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs JavaScript');

	test('logging out forgets the pages kept for offline use, which may be personal', async ({
		page
	}) => {
		await loginWithApi(page.request, baseURL, demo.resident);
		await page.goto('/r');
		await reloadUnderServiceWorker(page);
		const keptMine = () =>
			page.evaluate(async () => !!(await (await caches.open('pages')).match('/r')));
		await expect.poll(keptMine).toBe(true);
		await page.goto('/account');
		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page).toHaveURL(`${baseURL}/`);
		expect(await keptMine()).toBe(false);
		// Logged out for real: the account page asks for a login again.
		await page.goto('/account');
		await expect(page).toHaveURL(/\/login/);
	});

	test('controls the page, and serves the shell and the offline page with no network', async ({
		page,
		context
	}) => {
		await page.goto('/');
		await reloadUnderServiceWorker(page);
		await context.setOffline(true);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('街巷：一起把街巷管好');
		await page.goto('/never-visited-page');
		await expect(page.getByRole('heading', { name: '当前离线' })).toBeVisible();
		await context.setOffline(false);
	});

	test('registers for the whole site when a deep link is the first page opened', async ({
		page
	}) => {
		const missing: string[] = [];
		page.on('response', (response) => {
			if (response.url().endsWith('service-worker.js') && response.status() !== 200)
				missing.push(`${response.status()} ${response.url()}`);
		});
		// A resident's first visit is often a case link from a message.
		await page.goto('/r/NOSUCHCODE');
		const registration = await page.evaluate(async () => {
			// `ready` never settles when registering failed.
			const ready = await Promise.race([
				navigator.serviceWorker.ready,
				new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000))
			]);
			return { scope: ready?.scope, script: ready?.active?.scriptURL };
		});
		const origin = new URL(page.url()).origin;
		expect(registration).toEqual({ scope: `${origin}/`, script: `${origin}/service-worker.js` });
		expect(missing).toEqual([]);
	});

	test("the 'ready offline' notice leaves room below the page, so it covers none of it", async ({
		page
	}) => {
		await page.setViewportSize({ width: 360, height: 740 });
		// A page longer than the screen, whose last control is the submit button.
		await page.goto('/report');
		const notice = page.getByRole('status').filter({ hasText: '已可离线使用' });
		await expect(notice).toBeVisible({ timeout: 15_000 });
		await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
		const noticeTop = (await notice.boundingBox())!.y;
		const mainBottom = await page.evaluate(
			() => document.querySelector('main')!.getBoundingClientRect().bottom
		);
		expect(mainBottom).toBeLessThanOrEqual(noticeTop);
		// Printed while it shows, the page has neither the notice nor its room (a card would take
		// two sheets). Read at once: the notice goes by itself after a few seconds.
		await page.emulateMedia({ media: 'print' });
		const printed = await page.evaluate(() => {
			const toast = document.querySelector('.pwa-toast');
			return {
				present: toast !== null,
				display: toast && getComputedStyle(toast).display,
				room: getComputedStyle(document.body).paddingBottom
			};
		});
		expect(printed).toEqual({ present: true, display: 'none', room: '0px' });
		await page.emulateMedia({ media: 'screen' });
		// Once it goes, so does the room.
		await page.getByRole('button', { name: '关闭' }).click();
		await expect(notice).toHaveCount(0);
		expect(await page.evaluate(() => document.body.style.paddingBottom)).toBe('');
	});
});
