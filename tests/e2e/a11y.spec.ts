import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { demo, loginWithForm, type DemoRole } from './helpers';

/** axe with the WCAG 2.2 AA rules on every main page: no serious or critical violation. */
test.use({ viewport: { width: 360, height: 740 } });
// axe runs as a script in the page, so it needs JavaScript.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'axe needs JavaScript');

const pages: { path: string; as?: DemoRole }[] = [
	{ path: '/' },
	{ path: '/login' },
	{ path: '/signup' },
	{ path: '/report' },
	{ path: '/reports' },
	{ path: '/r' },
	{ path: '/r', as: 'resident' },
	{ path: '/volunteer' },
	{ path: '/volunteer', as: 'volunteer' },
	{ path: '/volunteer/profile', as: 'volunteer' },
	{ path: '/volunteer/records', as: 'volunteer' },
	{ path: '/volunteer/checkin', as: 'volunteer' },
	{ path: '/volunteer/posts', as: 'volunteer' },
	{ path: '/offline' },
	{ path: '/no-such-page' },
	{ path: '/account', as: 'resident' },
	{ path: '/account/notifications', as: 'resident' },
	{ path: '/staff', as: 'dispatcher' },
	{ path: '/staff/queue', as: 'dispatcher' },
	{ path: '/staff/dashboard', as: 'dispatcher' },
	{ path: '/staff/duty', as: 'dispatcher' },
	{ path: '/staff/notices', as: 'admin' },
	{ path: '/admin/holidays', as: 'admin' },
	{ path: '/admin/templates', as: 'admin' },
	{ path: '/admin', as: 'admin' },
	{ path: '/admin/categories', as: 'admin' },
	{ path: '/admin/departments', as: 'admin' },
	{ path: '/admin/communities', as: 'admin' },
	{ path: '/admin/users', as: 'admin' },
	{ path: '/admin/api-keys', as: 'admin' },
	{ path: '/staff/notices/new', as: 'admin' },
	{ path: '/staff/shops', as: 'handler' },
	{ path: '/staff/shops/new', as: 'handler' },
	{ path: '/staff/campaigns', as: 'handler' },
	{ path: '/staff/compounds', as: 'dispatcher' },
	{ path: '/inspect', as: 'handler' },
	{ path: '/staff/activities', as: 'community_staff' },
	{ path: '/volunteer/activities', as: 'volunteer' },
	{ path: '/admin/compounds', as: 'admin' },
	{ path: '/admin/property-companies', as: 'admin' }
];

async function seriousViolations(page: Page) {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({ ...v, nodes: v.nodes.filter((n) => !equivalentElsewhere(v.id, n.html)) }))
		.filter((v) => v.nodes.length > 0)
		.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Map markers of posts close together overlap at any zoom. WCAG 2.5.8 exempts a target whose function another
 * control on the page offers at full size: every marker's post is also a link in the list beside the map.
 */
function equivalentElsewhere(rule: string, html: string) {
	return rule === 'target-size' && html.includes('leaflet-marker-icon');
}

for (const { path, as } of pages) {
	test(`${path}${as ? ` as ${as}` : ''} has no serious or critical axe violations`, async ({
		page
	}) => {
		if (as) await loginWithForm(page, demo[as], undefined, path);
		else await page.goto(path);
		expect(await seriousViolations(page)).toEqual([]);
	});
}

// Pages of one object: reached the way a person reaches them, from the list that links to them.
test('a case tracking page and its staff view have no serious or critical axe violations', async ({
	page
}) => {
	await page.goto('/reports');
	const tracking = page.locator('a[href^="/r/"]').first();
	await page.goto((await tracking.getAttribute('href'))!);
	expect(await seriousViolations(page)).toEqual([]);

	await loginWithForm(page, demo.dispatcher, undefined, '/staff/queue');
	const staffView = page.locator('a[href^="/staff/reports/"]').first();
	await page.goto((await staffView.getAttribute('href'))!);
	expect(await seriousViolations(page)).toEqual([]);
});

test('a published notice has no serious or critical axe violations', async ({ page, browser }) => {
	await loginWithForm(page, demo.admin, undefined, '/staff/notices/new');
	await page.getByLabel('标题').fill(`无障碍检查 ${Date.now()}`);
	await page.getByLabel(/正文/).fill('请各商户**落实门前三包**。\n\n- 一\n- 二\n\n[举报](/report)');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page).toHaveURL(/\/staff\/notices\?saved=/);

	const resident = await (await browser.newContext()).newPage();
	await resident.goto('/');
	const notice = resident.getByRole('region', { name: '通知公告' }).locator('a[href^="/notices/"]');
	await resident.goto((await notice.first().getAttribute('href'))!);
	expect(await seriousViolations(resident)).toEqual([]);
	await resident.context().close();
});
