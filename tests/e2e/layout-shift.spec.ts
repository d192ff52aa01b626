import { expect, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { demo, loginWithApi } from './helpers';

/*
 * Nothing on the main pages jumps once a phone has shown them: the cumulative layout shift stays
 * under 0.1, Lighthouse's "good". A page that lays itself out again once its script runs (the
 * staff queue folding its filters did, 0.58) fails here.
 */

const PHONE_UA =
	'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36';

async function phone(browser: Browser, as?: string) {
	const context = await browser.newContext({
		viewport: { width: 412, height: 823 },
		deviceScaleFactor: 1.75,
		isMobile: true,
		hasTouch: true,
		userAgent: PHONE_UA,
		serviceWorkers: 'block'
	});
	if (as) await loginWithApi(context.request, baseURL, as);
	const page = await context.newPage();
	// A phone paints the HTML well before its scripts arrive; here they would often be first.
	await page.route('**/_app/immutable/**/*.js', async (route) => {
		await new Promise((resolve) => setTimeout(resolve, 800));
		await route.continue();
	});
	await page.addInitScript(() => {
		const shifts: { value: number; nodes: string[] }[] = [];
		Object.assign(window, { __shifts: shifts });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries() as (PerformanceEntry & {
				value: number;
				hadRecentInput: boolean;
				sources: { node?: Node | null }[];
			})[]) {
				if (entry.hadRecentInput) continue;
				shifts.push({
					value: entry.value,
					nodes: entry.sources.map((s) =>
						s.node instanceof Element ? `${s.node.tagName}.${s.node.className}` : '?'
					)
				});
			}
		}).observe({ type: 'layout-shift', buffered: true });
	});
	return page;
}

async function layoutShifts(page: Page) {
	// Long enough for the page to hydrate and run what it does after its first navigation.
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(800);
	return page.evaluate(
		() => (window as unknown as { __shifts: { value: number; nodes: string[] }[] }).__shifts
	);
}

const pages = [
	{ path: '/' },
	{ path: '/report' },
	{ path: '/volunteer' },
	{ path: '/staff/queue', as: demo.dispatcher }
];

for (const { path, as } of pages) {
	test(`${path} does not shift its layout on a phone`, async ({ browser }) => {
		test.skip(!test.info().project.use.javaScriptEnabled, 'without a script nothing re-lays out');
		const page = await phone(browser, as);
		await page.goto(path);
		const shifts = await layoutShifts(page);
		const total = shifts.reduce((sum, s) => sum + s.value, 0);
		expect(total, JSON.stringify(shifts)).toBeLessThan(0.1);
		await page.context().close();
	});
}

test('the staff queue starts with its filters folded on a phone, and they still open', async ({
	browser
}) => {
	const page = await phone(browser, demo.dispatcher);
	await page.goto('/staff/queue');
	const filters = page.locator('details.filters');
	await expect(filters).not.toHaveAttribute('open');
	await filters.locator('summary').click();
	await expect(page.getByLabel('阶段')).toBeVisible();
	await page.context().close();
});
