import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { baseURL } from '../../playwright.config';
import { demo, loginWithApi, loginWithForm, readIn } from './helpers';

/*
 * The closed loop through the staff UI, each step by the demo account whose job it is. Cases come
 * from the demo data (SEED_DEMO): several new cases wait in 和平社区. Runs with and without JS.
 */

async function staffPage(browser: Browser, phone: string, width = 390): Promise<Page> {
	// Each person gets their own context, with the project's JS setting (js or no-js).
	const context = await browser.newContext({
		viewport: { width, height: 800 },
		locale: 'zh-CN',
		javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false
	});
	const page = await context.newPage();
	// Let the login page hydrate first: hydration would clear what was typed before it.
	await page.goto('/login?next=%2Fstaff');
	await page.waitForLoadState('networkidle');
	await loginWithForm(page, phone, undefined, '/staff');
	return page;
}

/** Opens the form of a move on the case page, lets `fill` complete it, and submits it. */
async function move(page: Page, label: string, fill?: (form: Locator) => Promise<unknown>) {
	const details = page
		.locator('details')
		.filter({ has: page.locator('summary', { hasText: label }) });
	if (!(await details.evaluate((d: HTMLDetailsElement) => d.open)))
		await details.locator('summary').click();
	if (fill) await fill(details);
	await details.getByRole('button', { name: label }).click();
}

const stage = (page: Page) => page.getByTestId('case-stage');

/** Unfolds the queue's filters, which start folded on a phone once the page is live. */
async function openFilters(page: Page) {
	const filters = page.locator('details.filters');
	if (test.info().project.use.javaScriptEnabled !== false)
		await expect(page.locator('details.filters[data-ready]')).toHaveCount(1);
	if (!(await filters.evaluate((d: HTMLDetailsElement) => d.open)))
		await filters.locator('summary').click();
}

async function afterPhoto(): Promise<Buffer> {
	return sharp({ create: { width: 80, height: 60, channels: 3, background: '#2a7' } })
		.png()
		.toBuffer();
}

test('a resident’s report goes through five staff to closure, and the resident follows and rates it', async ({
	browser
}) => {
	test.setTimeout(150_000);
	// 1. A resident reports through the real intake (the JSON API the offline outbox uses).
	const resident = await staffPage(browser, demo.resident);
	const description = `路边垃圾堆放 ${test.info().project.name} ${Date.now()}`;
	const reported = await resident.request.post('/api/v1/reports', {
		headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() },
		multipart: {
			category: 'street-cleaning',
			description,
			lat: '31.866',
			lng: '117.298',
			address: '和平路 20 号',
			photos: { name: 'before.png', mimeType: 'image/png', buffer: await afterPhoto() }
		}
	});
	expect(reported.status()).toBe(201);
	const { id, trackingCode: code } = await reported.json();

	// 2. Community staff find it in their queue and accept it.
	const staff = await staffPage(browser, demo.community_staff);
	await staff.getByRole('link', { name: '进入案件队列' }).click();
	await openFilters(staff);
	await staff.getByLabel('阶段').selectOption('submitted');
	await staff.getByLabel('关键词（编号、描述、地址）').fill(code);
	await staff.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(staff).toHaveURL(/stage=submitted/);
	await staff.locator('ul.cases a.code', { hasText: code }).click();
	await expect(staff.getByRole('heading', { level: 1 })).toHaveText(`案件 ${code}`);
	await expect(staff.locator('body')).toContainText(description);
	// The reporter's phone is shown masked, and only here, in scope.
	await expect(staff.getByTestId('reporter-phone')).toHaveText('138****0001');
	await expect(staff.locator('body')).not.toContainText('13800000001');
	const caseUrl = `${baseURL}/staff/reports/${id}`;
	expect(staff.url().replace(/\?.*$/, '')).toBe(caseUrl);
	await move(staff, '受理立案', (f) =>
		f.getByLabel('公开回复（反映人可见）').fill('已受理，将尽快安排处理')
	);
	await expect(stage(staff)).toHaveText('已立案');
	await expect(staff.getByText('已办理：受理立案')).toBeVisible();

	// The dispatcher sends it to the squad (proposed from the category).
	const dispatcher = await staffPage(browser, demo.dispatcher, 1024);
	await dispatcher.goto(caseUrl);
	await move(dispatcher, '派遣', async (f) => {
		await expect(f.getByLabel('责任部门')).toHaveValue('city-management');
		await f.getByLabel('内部备注（仅工作人员可见）').fill('请今天处理');
	});
	await expect(stage(dispatcher)).toHaveText('已派遣');

	// The handler finds it wrongly routed and returns it; it leaves their scope.
	const handler = await staffPage(browser, demo.handler);
	await handler.goto(caseUrl);
	await move(handler, '退单', async (f) => {
		await f.getByLabel('理由').fill('应由物业处理');
		await f.getByLabel('建议改派部门').selectOption('property');
	});
	await expect(handler).toHaveURL(/\/staff\/queue\?moved=return/);
	expect((await handler.request.get(caseUrl)).status()).toBe(403);

	// The dispatcher re-dispatches it to the squad.
	await dispatcher.goto(caseUrl);
	await expect(stage(dispatcher)).toHaveText('已退单');
	await move(dispatcher, '派遣', (f) => f.getByLabel('责任部门').selectOption('city-management'));
	await expect(stage(dispatcher)).toHaveText('已派遣');

	// The handler starts, then marks it handled with an after photo.
	await handler.goto(caseUrl);
	await move(handler, '开始处置');
	await expect(stage(handler)).toHaveText('处置中');
	await move(handler, '处置完成', async (f) => {
		await f.getByLabel('处置后照片').setInputFiles({
			name: 'after.png',
			mimeType: 'image/png',
			buffer: await afterPhoto()
		});
		await f.getByLabel('处置情况').fill('垃圾已清运，路面已冲洗');
	});
	await expect(stage(handler)).toHaveText('已处置');
	const photo = handler.getByRole('img', { name: '处置后照片' });
	await expect(photo).toBeVisible();
	const src = await photo.getAttribute('src');
	const response = await handler.request.get(src!);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('image/jpeg');

	// A grid worker checks on site, on a phone, and closes it.
	const grid = await staffPage(browser, demo.grid_worker, 360);
	await grid.goto(caseUrl);
	await expect(grid.getByRole('link', { name: '在高德地图中打开' })).toHaveAttribute(
		'href',
		/uri\.amap\.com\/marker\?position=117\.\d+,31\.\d+&coordinate=wgs84/
	);
	await expect(grid.getByRole('link', { name: '在手机地图应用中打开' })).toHaveAttribute(
		'href',
		/^geo:31\.\d+,117\.\d+\?q=/
	);
	await move(grid, '核查结案', (f) =>
		f.getByLabel('内部备注（仅工作人员可见）').fill('现场核查已整改')
	);
	await expect(stage(grid)).toHaveText('已结案');
	// The page fits a 360 px phone.
	expect(await grid.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// The timeline holds every move, internal notes apart from public replies.
	const timeline = grid.locator('ol.timeline > li');
	await expect(timeline.filter({ hasText: '受理立案' })).toHaveCount(1);
	await expect(timeline.filter({ hasText: '派遣' }).filter({ hasNotText: '改派' })).toHaveCount(2);
	await expect(timeline.filter({ hasText: '退单' })).toContainText('应由物业处理');
	await expect(timeline.filter({ hasText: '核查结案' })).toContainText('现场核查已整改');
	await expect(grid.locator('.note.public').first()).toContainText('已受理，将尽快安排处理');
	await expect(grid.locator('.note.internal', { hasText: '请今天处理' })).toBeVisible();
	// The closure scheduled the revisit (回头看), 14 days on by default.
	await expect(grid.getByTestId('revisit')).toContainText('待回头看');

	// 6. The resident's reports page has the news of the case, new until seen once. Pointing at
	// the link loads the page's data ahead (with JavaScript); that alone is not seeing it.
	await resident.goto(`/r/${code}`);
	if (test.info().project.use.javaScriptEnabled !== false) {
		const preloaded = resident.waitForResponse((r) => r.url().includes('/r/__data.json'));
		await resident.getByRole('link', { name: '我的上报' }).hover();
		await preloaded;
	}
	await resident.goto('/r');
	const news = resident.getByTestId('case-updates').locator('li', { hasText: code });
	// The latest five of its six public moves, the newest first.
	await expect(news).toHaveCount(5);
	await expect(news.first()).toContainText(`您反映的问题 ${code} 有新进展`);
	await expect(news.first()).toContainText('当前状态：已办结');
	await expect(news.first().locator('.tag')).toHaveText('新');
	await resident.reload();
	await expect(news.first()).toContainText('当前状态：已办结');
	await expect(news.locator('.tag')).toHaveCount(0);
	// The older news is a link away, on the page of all their notifications: the sixth move, never
	// shown before, is new there.
	await resident.getByRole('link', { name: '全部通知' }).click();
	await expect(resident).toHaveURL(/\/account\/notifications$/);
	const all = resident.getByTestId('all-notifications').locator('li', { hasText: code });
	await expect(all).toHaveCount(6);
	await expect(all.last().locator('.tag')).toHaveText('新');
	await expect(all.first().locator('.tag')).toHaveCount(0);
	await resident.goto('/r');
	await news.first().getByRole('link').click();
	await expect(resident).toHaveURL(new RegExp(`/r/${code}$`));

	// The resident sees every public stage on the tracking page, public replies but no internal
	// notes, the after photo, and rates the case.
	await resident.goto(`/r/${code}`);
	const track = resident.locator('ol.timeline');
	for (const label of ['已上报', '已受理', '已派遣', '处置中', '已处置', '已办结'])
		await expect(track.locator('li', { hasText: label }).first()).toBeVisible();
	await expect(track).toContainText('已受理，将尽快安排处理');
	await expect(resident.locator('body')).not.toContainText('请今天处理');
	await expect(resident.locator('body')).not.toContainText('应由物业处理');
	await expect(resident.getByRole('heading', { name: '处置后照片' })).toBeVisible();
	await resident.getByLabel('基本满意').check();
	await resident.getByRole('button', { name: '提交评价' }).click();
	await expect(resident.getByText('谢谢您的评价')).toBeVisible();
	// The rating is stored: it shows in the problem list for this case.
	const csv = await (
		await dispatcher.request.get(`/staff/queue/export.csv?q=${code}&stage=closed`)
	).text();
	const row = csv.trim().split('\r\n')[1];
	expect(row.startsWith(code)).toBe(true);
	expect(row.endsWith(',3')).toBe(true);
	for (const p of [resident, staff, dispatcher, handler, grid]) await p.context().close();
});

test('a revisit that is due shows in the queue; its check reopens the case as a new linked case', async ({
	browser
}) => {
	const grid = await staffPage(browser, demo.grid_worker, 360);
	await grid.getByRole('link', { name: '回头看到期的案件' }).click();
	await expect(grid).toHaveURL(/revisit=due/);
	const first = grid.locator('ul.cases > li').first();
	await expect(first).toContainText('回头看到期');
	const code = (await first.locator('a.code').textContent())!.trim();
	await first.locator('a.code').click();
	await expect(grid.getByTestId('case-stage')).toHaveText('已结案');
	// Reopening needs a note saying what was found; what was chosen stays.
	await grid.getByLabel('问题复发，重新立案').check();
	await grid.getByRole('button', { name: '提交回头看' }).click();
	await expect(grid.getByRole('alert')).toBeVisible();
	await expect(grid.getByLabel('问题复发，重新立案')).toBeChecked();
	await grid.getByLabel('复查情况（重新立案时必填）').fill('巷口垃圾又堆起来了');
	await grid.getByRole('button', { name: '提交回头看' }).click();
	await expect(grid.getByText('回头看已记录。')).toBeVisible();
	await expect(grid.getByTestId('revisit')).toContainText('问题复发，已重新立案');
	await expect(grid.getByTestId('case-stage')).toHaveText('已结案');
	// The new case links back to the old one, and the old one to it.
	await grid.getByTestId('revisit-new-case').click();
	await expect(grid.getByTestId('case-stage')).toHaveText('待受理');
	await expect(grid.locator('body')).toContainText('巷口垃圾又堆起来了');
	await grid.getByTestId('reopened-from').click();
	await expect(grid.getByRole('heading', { level: 1 })).toHaveText(`案件 ${code}`);
	// The note the system wrote for the public is read in the reader's language, here and on the
	// public page.
	const publicNote = grid.locator('p.note.public').last();
	await expect(publicNote).toContainText('问题复发');
	await readIn(grid, 'en');
	await grid.reload();
	await expect(publicNote).toContainText(
		'Revisit: the problem is back and was reopened as the new case'
	);
	await grid.goto(`/r/${code}`);
	await expect(grid.locator('body')).toContainText('Revisit: the problem is back');
	await readIn(grid, 'zh-CN');
	// Checked once: it has left the list of due revisits.
	await grid.goto('/staff/queue?revisit=due');
	await expect(grid.locator('ul.cases a.code', { hasText: code })).toHaveCount(0);
	await grid.context().close();
});

test('the admin edits deadline rules and revisit days, with clear errors', async ({ browser }) => {
	const admin = await staffPage(browser, demo.admin, 1024);
	await admin.goto('/admin/deadlines');
	const ads = admin.locator('details', { has: admin.locator('summary', { hasText: '小广告' }) });
	await ads.locator('summary').click();
	// The browser refuses an hour below 1; the server refuses it too.
	const accept = ads.getByLabel('受理时限（小时）').first();
	await accept.fill('0');
	await ads.getByRole('button', { name: /保存/ }).click();
	expect(await accept.evaluate((e: HTMLInputElement) => e.validity.valid)).toBe(false);
	const refused = await admin.request.post('/admin/deadlines?/save', {
		headers: { Origin: baseURL, Accept: 'text/html' },
		form: { category: 'small-ads', normalAccept: '0', normalHandle: '72', urgentHandle: '4' }
	});
	expect(refused.status()).toBe(400);
	await accept.fill('2');
	await ads.getByLabel('回头看（结案后天数）').fill('10');
	await ads.getByRole('button', { name: /保存/ }).click();
	await expect(admin.getByText('已保存')).toBeVisible();
	await expect(admin.locator('details summary', { hasText: '小广告' })).toContainText(
		'回头看 10 天'
	);
	await admin.context().close();
});

test('a handler gets 403 for a case of another department, from the page and the API', async ({
	browser,
	playwright
}) => {
	const api = await playwright.request.newContext({ baseURL });
	await loginWithApi(api, baseURL, demo.dispatcher);
	const queue = await (await api.get('/api/v1/staff/queue?department=property')).json();
	const other = queue.items[0];
	expect(other).toBeDefined();
	await api.dispose();

	const handler = await staffPage(browser, demo.handler);
	const page = await handler.goto(`/staff/reports/${other.id}`);
	expect(page?.status()).toBe(403);
	const response = await handler.request.get(`/api/v1/staff/reports/${other.id}`);
	expect(response.status()).toBe(403);
	expect((await response.json()).error.code).toBe('forbidden');
	const moveResponse = await handler.request.post(`/api/v1/staff/reports/${other.id}/transitions`, {
		data: { action: 'start' },
		headers: { Origin: baseURL }
	});
	expect(moveResponse.status()).toBe(403);
	// Its own queue holds only its department's dispatched cases.
	const own = await (await handler.request.get('/api/v1/staff/queue')).json();
	for (const item of own.items) expect(item.department.code).toBe('city-management');
	await handler.context().close();
});

test('two staff move the same case at once: one wins, the other sees 409 and the case again', async ({
	browser
}) => {
	const a = await staffPage(browser, demo.community_staff);
	const b = await staffPage(browser, demo.dispatcher, 1024);
	await a.goto('/staff/queue?stage=submitted&community=heping');
	const url = new URL((await a.locator('ul.cases a.code').first().getAttribute('href'))!, baseURL)
		.href;
	await a.goto(url);
	await b.goto(url);
	await move(a, '受理立案');
	await expect(stage(a)).toHaveText('已立案');
	await move(b, '不予立案', (f) => f.getByLabel('理由').fill('不属实'));
	await expect(b.getByRole('alert')).toContainText('案件已被他人更新');
	await expect(stage(b)).toHaveText('已立案');
	// What the loser typed is still there.
	const details = b
		.locator('details')
		.filter({ has: b.locator('summary', { hasText: '不予立案' }) });
	await expect(details.getByLabel('理由')).toHaveValue('不属实');
	await a.context().close();
	await b.context().close();
});

test('the queue filters overdue cases and shows the time left', async ({ browser }) => {
	const page = await staffPage(browser, demo.dispatcher, 1024);
	await page.goto('/staff/queue');
	await page.getByLabel('仅看超时').check();
	await page.getByRole('button', { name: '筛选', exact: true }).click();
	await expect(page).toHaveURL(/overdue=1/);
	const items = page.locator('ul.cases > li');
	expect(await items.count()).toBeGreaterThan(0);
	for (const item of await items.all()) await expect(item).toContainText('已超时');
	await page.context().close();
});

test('the dashboard counts the overdue case against the on-time rate, and the problem list exports the queue', async ({
	browser
}) => {
	const page = await staffPage(browser, demo.dispatcher, 1024);
	await page.goto('/staff');
	await page.getByRole('link', { name: '统计看板' }).click();
	await page.getByLabel('本月').check();
	await page.getByRole('button', { name: '查看' }).click();
	await expect(page).toHaveURL(/period=month/);
	await expect(page.getByTestId('kpi-on-time')).toContainText(/含超时未结 [1-9]\d* 件/);
	await expect(page.getByRole('img', { name: '按阶段（本期上报）' })).toBeVisible();

	const queue = await (await page.request.get('/api/v1/staff/queue?stage=open')).json();
	const csv = await page.request.get('/staff/queue/export.csv?stage=open');
	expect(csv.headers()['content-type']).toContain('text/csv');
	const text = await csv.text();
	expect(text.charCodeAt(0)).toBe(0xfeff);
	const lines = text.trim().split('\r\n');
	expect(lines[0]).toContain('编号,类别,社区');
	expect(lines.length - 1).toBe(queue.total);
	const xlsx = await page.request.get('/staff/queue/export.xlsx?stage=open');
	expect(xlsx.status()).toBe(200);
	expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
	await page.context().close();
});

/** The labels of a bar chart that run into their bars. */
function labelsOverTheirBars(chart: Locator) {
	return chart.evaluate((svg) =>
		[...svg.querySelectorAll('rect')]
			.filter((bar) => {
				const label = (bar.previousElementSibling as SVGTextElement).getBBox();
				return label.x + label.width > (bar as SVGRectElement).x.baseVal.value;
			})
			.map((bar) => bar.previousElementSibling?.textContent)
	);
}

test('at 360 px the dashboard fits: bar labels end before their bars, names sit over the hotspot bubbles, score-card headers keep words whole', async ({
	browser
}) => {
	const page = await staffPage(browser, demo.dispatcher, 360);
	await page.goto('/staff/dashboard?period=month');
	const chart = page.getByRole('img', { name: '按类别' });
	// The demo data's longest category name is among the bars, shortened, with its whole name kept.
	await expect(chart.locator('title', { hasText: '白色垃圾/油污/积水/烟蒂' })).toHaveCount(1);
	expect(await labelsOverTheirBars(chart)).toEqual([]);
	// On the hotspot map every community's name is painted over the bubbles, not under one.
	const hotspots = page.locator('figure svg').filter({ has: page.locator('circle.spot') });
	await expect(hotspots.locator('text.area').first()).toBeAttached();
	const namesUnderABubble = await hotspots.evaluate((svg) => {
		const lastBubble = [...svg.querySelectorAll('circle.spot')].at(-1)!;
		return [...svg.querySelectorAll('text.area')]
			.filter((name) => name.compareDocumentPosition(lastBubble) & Node.DOCUMENT_POSITION_FOLLOWING)
			.map((name) => name.textContent);
	});
	expect(namesUnderABubble).toEqual([]);
	for (const name of ['部门考核', '物业考核']) {
		const region = page.getByRole('region', { name });
		const brokenHeaders = await region.locator('thead th').evaluateAll((headers) =>
			headers
				.filter((header) => {
					const range = document.createRange();
					range.selectNodeContents(header);
					return range.getClientRects().length > 1;
				})
				.map((header) => header.textContent)
		);
		expect(brokenHeaders).toEqual([]);
		// Wider than the screen, it scrolls by keyboard.
		await region.focus();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => region.evaluate((r) => r.scrollLeft)).toBeGreaterThan(0);
	}
	await page.context().close();
});

test('in English the dashboard, the queue and the case page name categories, communities and departments in English', async ({
	browser
}) => {
	const page = await staffPage(browser, demo.dispatcher, 360);
	await readIn(page, 'en');
	await page.goto('/staff/dashboard?period=month');
	const titles = (chart: string) =>
		page.getByRole('img', { name: chart }).locator('title').allTextContents();
	const byCategory = await titles('By category');
	expect(byCategory).toContain('Litter, oil, standing water, cigarette ends');
	expect(byCategory.join('')).not.toMatch(/\p{Script=Han}/u);
	expect(await titles('By department')).toContain('City-management squad');
	expect((await titles('By community')).join('')).not.toMatch(/\p{Script=Han}/u);
	const spots = await page.locator('ol.spots li').allTextContents();
	expect(spots.length).toBeGreaterThan(0);
	const bubbles = await page.locator('circle.spot title').allTextContents();
	for (const spot of [...spots, ...bubbles])
		expect(spot.split('mostly ')[1]).toMatch(/^[^\p{Script=Han}]+$/u);
	const areas = await page.locator('text.area').allTextContents();
	expect(areas.length).toBeGreaterThan(0);
	expect(areas.join('')).not.toMatch(/\p{Script=Han}/u);
	// English labels are shortened to end before their bars too.
	expect(await labelsOverTheirBars(page.getByRole('img', { name: 'By category' }))).toEqual([]);
	// Nor do the charts' tables for screen readers widen the phone page.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	await page.goto('/staff/queue?stage=dispatched');
	// Other tests move cases meanwhile: take any case of the squad's, and no item names it in Chinese.
	await expect(page.locator('ul.cases')).not.toContainText('城管中队');
	await expect(page.locator('ul.cases')).not.toContainText('网格');
	const squadCase = page.locator('ul.cases > li', { hasText: 'City-management squad' }).first();
	await squadCase.locator('a.code').click();
	const details = page.locator('section[aria-labelledby="details-h"] dl');
	await expect(details).toContainText('City-management squad');
	await expect(details).not.toContainText('城管中队');
	await expect(details).toContainText(/\w+ grid \d/);
	// The problem list comes in the page's language too (every stage: cases move meanwhile).
	const csv = await (await page.request.get('/staff/queue/export.csv')).text();
	expect(csv).toMatch(/^\uFEFFCase number,Category,Community,Grid,/);
	expect(csv).toContain('City-management squad');
	expect(csv).not.toContain('城管中队');
	await page.context().close();
});

test('in English the public cases, the shop and campaign pickers and the shift templates name communities in English', async ({
	browser
}) => {
	const hanOf = (texts: string[]) => texts.join(' ').match(/\p{Script=Han}+/gu) ?? [];
	const resident = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await readIn(resident, 'en');
	await resident.goto('/reports');
	// Each case line: stage · community · date. Chinese-named data (addresses) is not on it.
	const lines = await resident.locator('ul.items p.muted').allTextContents();
	expect(lines.length).toBeGreaterThan(0);
	expect(hanOf(lines)).toEqual([]);
	expect(lines.join(' ')).toMatch(/Heping|Fanchang|Maolin|Tongling/);
	await resident.locator('ul.items a.card-title').first().click();
	const location = resident.locator('section[aria-labelledby="location-title"] p').first();
	await expect(location).toContainText(/Heping|Fanchang|Maolin|Tongling/);
	await resident.context().close();

	const handler = await staffPage(browser, demo.handler, 360);
	await readIn(handler, 'en');
	for (const path of ['/staff/shops', '/staff/shops/new']) {
		await handler.goto(path);
		const options = await handler.locator('select#community option').allTextContents();
		expect(options).toContain('Heping');
		expect(hanOf(options)).toEqual([]);
	}
	await handler.goto('/staff/campaigns');
	const picks = await handler
		.getByRole('group', { name: 'Communities' })
		.locator('label')
		.allTextContents();
	expect(picks.map((p) => p.trim())).toContain('Heping');
	expect(hanOf(picks)).toEqual([]);
	await handler.context().close();

	const admin = await staffPage(browser, demo.admin, 360);
	await readIn(admin, 'en');
	await admin.goto('/admin/duty');
	// A demo post's morning template runs every day; the post goes by its English name.
	await expect(admin.locator('summary', { hasText: 'Heping post · 07:30–11:30' })).toContainText(
		'Mon Tue Wed Thu Fri Sat Sun'
	);
	await admin.context().close();
});

test('the case page has no serious or critical axe violations at 360 px', async ({ browser }) => {
	test.skip(test.info().project.use.javaScriptEnabled === false, 'axe runs in the page');
	const { default: AxeBuilder } = await import('@axe-core/playwright');
	const page = await staffPage(browser, demo.dispatcher, 360);
	await page.goto('/staff/queue?stage=dispatched');
	await page.locator('ul.cases a.code').first().click();
	await expect(page.getByTestId('case-stage')).toBeVisible();
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	const serious = results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(serious).toEqual([]);
	await page.context().close();
});

test('on a phone the queue starts with its cases: filters folded with how many are set, and a jump to the batch actions', async ({
	browser
}) => {
	test.skip(test.info().project.use.javaScriptEnabled === false, 'folding and the jump need JS');
	const page = await staffPage(browser, demo.dispatcher, 360);
	await page.goto('/staff/queue?stage=open&community=heping');
	await expect(page.locator('details.filters[data-ready]')).toHaveCount(1);
	await expect(page.locator('details.filters')).not.toHaveAttribute('open');
	await expect(page.locator('details.filters summary')).toHaveText('筛选 · 已设 2 项');
	await expect(page.locator('ul.cases a.code').first()).toBeInViewport();
	const jump = page.getByRole('link', { name: /^已选 \d+ 件/ });
	await expect(jump).toHaveCount(0);
	await page.locator('ul.cases input[name="ids"]').first().check();
	await expect(jump).toHaveText('已选 1 件 · 去批量操作 ↓');
	await jump.click();
	await expect(page.getByRole('group', { name: '批量操作（先勾选案件）' })).toBeInViewport();
	await page.context().close();
});

test('the dispatcher accepts and dispatches several cases at once', async ({ browser }) => {
	// Each project takes the new cases of its own community, so both can run on one server.
	const community = test.info().project.use.javaScriptEnabled === false ? 'maolin' : 'fanchang';
	const page = await staffPage(browser, demo.dispatcher, 1024);
	await page.goto(`/staff/queue?stage=submitted&community=${community}`);
	const boxes = page.locator('ul.cases input[name="ids"]');
	// Other tests may add new cases here too (intake, Open311): take every one shown.
	const submitted = await boxes.count();
	expect(submitted).toBeGreaterThanOrEqual(2);
	for (const box of await boxes.all()) await box.check();
	await page.getByRole('button', { name: '批量受理' }).click();
	await expect(page.getByText(`已办理 ${submitted} 件，0 件未办理`)).toBeVisible();

	await page.goto(`/staff/queue?stage=accepted&community=${community}`);
	const accepted = page.locator('ul.cases input[name="ids"]');
	const acceptedCount = await accepted.count();
	expect(acceptedCount).toBeGreaterThanOrEqual(submitted);
	for (const box of await accepted.all()) await box.check();
	await page
		.getByRole('group', { name: '批量操作（先勾选案件）' })
		.getByLabel('责任部门')
		.selectOption('city-management');
	await page.getByRole('button', { name: '批量派遣' }).click();
	await expect(page.getByText(`已办理 ${acceptedCount} 件，0 件未办理`)).toBeVisible();
	await page.goto(
		`/staff/queue?stage=dispatched&community=${community}&department=city-management`
	);
	await expect(page.locator('#queue-total')).toHaveText(/共 \d+ 件/);
	await page.context().close();
});

test('the staff API adds notes and replies, and checks a due revisit, within each role’s rights', async ({
	playwright
}, testInfo) => {
	test.skip(testInfo.project.name !== 'js', 'one run is enough: it uses up the revisit');
	const signedIn = async (phone: string) => {
		const context = await playwright.request.newContext({ baseURL });
		await loginWithApi(context, baseURL, phone);
		return context;
	};
	const [dispatcher, handler] = [await signedIn(demo.dispatcher), await signedIn(demo.handler)];
	const post = (who: typeof dispatcher, path: string, data: unknown) =>
		who.post(path, { data, headers: { Origin: baseURL } });

	// The demo case in 茂林社区 whose revisit is due (demo-cases.ts).
	const due = await (
		await dispatcher.get('/api/v1/staff/queue?revisit=due&community=maolin')
	).json();
	expect(due.items).toHaveLength(1);
	const closed = due.items[0] as { id: string; trackingCode: string };
	const revisit = `/api/v1/staff/reports/${closed.id}/revisit`;

	// The handler works the case's department but does not check revisits.
	expect((await post(handler, revisit, { outcome: 'confirm' })).status()).toBe(403);
	const refusals: [unknown, string][] = [
		[{ outcome: 'reopen' }, 'note'],
		[{ outcome: 'maybe' }, 'outcome']
	];
	for (const [body, field] of refusals) {
		const refused = await post(dispatcher, revisit, body);
		expect(refused.status()).toBe(400);
		expect((await refused.json()).error.fields).toHaveProperty(field);
	}
	const notJson = await dispatcher.post(revisit, {
		data: 'outcome=confirm',
		headers: { Origin: baseURL, 'Content-Type': 'text/plain' }
	});
	expect(notJson.status()).toBe(415);

	const reopened = await post(dispatcher, revisit, {
		outcome: 'reopen',
		note: '后巷垃圾又堆起来了'
	});
	expect(reopened.status()).toBe(200);
	const { outcome, newCase } = await reopened.json();
	expect(outcome).toBe('reopen');
	const fresh = await (await dispatcher.get(`/api/v1/staff/reports/${newCase.id}`)).json();
	expect(fresh).toMatchObject({ stage: 'submitted', description: '后巷垃圾又堆起来了' });
	expect(fresh.reopenedFrom).toMatchObject({ id: closed.id });
	const again = await post(dispatcher, revisit, { outcome: 'confirm' });
	expect(again.status()).toBe(409);
	expect((await again.json()).error.code).toBe('revisit_not_scheduled');

	// Notes and replies on the new case: an internal note stays with staff, a reply reaches the
	// resident's tracking page.
	const replies = `/api/v1/staff/reports/${newCase.id}/replies`;
	const empty = await post(dispatcher, replies, { note: '  ' });
	expect(empty.status()).toBe(400);
	expect((await empty.json()).error.fields).toHaveProperty('note');
	expect((await post(dispatcher, replies, { note: '先核实是否同一处' })).status()).toBe(201);
	const replied = await post(dispatcher, replies, { publicNote: '已收到，将安排清运' });
	expect(replied.status()).toBe(201);
	const timeline = (await replied.json()).timeline as { note: string; publicNote: string }[];
	expect(timeline.map((e) => e.note)).toContain('先核实是否同一处');
	expect(timeline.map((e) => e.publicNote)).toContain('已收到，将安排清运');
	const publicView = await (await dispatcher.get(`/api/v1/reports/${newCase.trackingCode}`)).text();
	expect(publicView).toContain('已收到，将安排清运');
	expect(publicView).not.toContain('先核实是否同一处');
	// The new case waits for triage, outside the handler's department.
	expect((await post(handler, replies, { note: '不是我们的' })).status()).toBe(403);
	for (const who of [dispatcher, handler]) await who.dispose();
});

test('the workbench offers push to the staff who are told of overdue cases, revisits and absences', async ({
	browser
}) => {
	const dispatcher = await staffPage(browser, demo.dispatcher, 360);
	const notes = dispatcher.getByRole('region', { name: '通知' });
	await expect(notes).toBeVisible();
	if (test.info().project.use.javaScriptEnabled !== false) {
		await expect(notes.getByRole('button', { name: '开启手机推送' })).toBeVisible();
		await readIn(dispatcher, 'en');
		await dispatcher.goto('/staff');
		await expect(
			dispatcher
				.getByRole('region', { name: 'Notifications' })
				.getByRole('button', { name: 'Turn on push notifications' })
		).toBeVisible();
	} else {
		// Push needs the page's script: without it there is no dead switch.
		await expect(notes.getByRole('button', { name: '开启手机推送' })).toBeHidden();
	}
	await dispatcher.context().close();
	// A handler is told none of these: no section, no switch.
	const handler = await staffPage(browser, demo.handler, 360);
	await expect(handler.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(handler.getByRole('region', { name: '通知' })).toHaveCount(0);
	await handler.context().close();
});

test('the push switch is in the first paint as this device last found it, so nothing below it moves', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'push needs JavaScript');
	const dispatcher = await staffPage(browser, demo.dispatcher, 360);
	const turnOn = dispatcher
		.getByRole('region', { name: '通知' })
		.getByRole('button', { name: '开启手机推送' });
	await expect(turnOn).toBeEnabled();
	const served = async () => (await dispatcher.request.get('/staff')).text();
	// The page asked the browser and kept the answer: the server now draws the switch.
	expect(await served()).toContain('开启手机推送');
	// A device that found no push gets no switch from the server...
	await dispatcher.context().addCookies([{ name: 'jx-push', value: 'unsupported', url: baseURL }]);
	expect(await served()).not.toContain('开启手机推送');
	// ...and one that was wrong is put right by the page, which keeps the new answer.
	await dispatcher.goto('/staff');
	await expect(turnOn).toBeVisible();
	await expect
		.poll(async () => (await dispatcher.context().cookies()).find((c) => c.name === 'jx-push'))
		.toMatchObject({ value: 'off' });
	await dispatcher.context().close();
});
