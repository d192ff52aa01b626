import { expect, test, type APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { baseURL } from '../../playwright.config';
import { DEMO_PASSWORD, demo, loginWithApi, loginWithForm, uniquePhone } from './helpers';

/** Makes a staff account in the given department through the admin API; returns its phone. */
export async function staffIn(request: APIRequestContext, department: string): Promise<string> {
	await loginWithApi(request, baseURL, demo.admin);
	const phone = uniquePhone();
	const response = await request.post('/api/v1/admin/users', {
		data: { phone, password: DEMO_PASSWORD, name: '宣传干事', role: 'handler', department },
		headers: { Origin: baseURL }
	});
	expect(response.status()).toBe(201);
	return phone;
}

test('party-building staff publish a notice; a resident sees it at home, then offline', async ({
	page,
	browser,
	request,
	javaScriptEnabled
}) => {
	const phone = await staffIn(request, 'party-building');
	const title = `门前三包宣传 ${Date.now()} <&>`;
	await loginWithForm(page, phone, undefined, '/staff/notices/new');
	await page.getByLabel('标题').fill(title);
	await page
		.getByLabel(/正文/)
		.fill(
			'请各商户**落实门前三包**。\n\n<script>window.pwned = 1</script>\n\n[危险](javascript:window.pwned=2) [举报](/report)'
		);
	await page.getByLabel('置顶显示').check();
	// A cover image, with EXIF that must not survive, needs its description.
	const cover = await sharp({
		create: { width: 400, height: 300, channels: 3, background: '#c8102e' }
	})
		.jpeg()
		.withExif({ IFD0: { Artist: 'secret-camera-owner' } })
		.toBuffer();
	await page.getByLabel(/选择封面图片/).setInputFiles({
		name: 'cover.jpg',
		mimeType: 'image/jpeg',
		buffer: cover
	});
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.locator('#coverAlt-problem')).toBeVisible();
	await expect(page.getByLabel('标题')).toHaveValue(title);
	await page.getByLabel(/选择封面图片/).setInputFiles({
		name: 'cover.jpg',
		mimeType: 'image/jpeg',
		buffer: cover
	});
	const alt = `红色宣传展板 ${Date.now()}`;
	await page.getByLabel(/封面图片说明/).fill(alt);
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page).toHaveURL(/\/staff\/notices\?saved=/);
	await expect(page.getByRole('link', { name: title })).toBeVisible();

	// A resident, with no account, on a fresh device.
	const context = await browser.newContext({ javaScriptEnabled });
	const resident = await context.newPage();
	await resident.goto('/');
	const section = resident.getByRole('region', { name: '通知公告' });
	await expect(
		section.getByRole('link', { name: new RegExp(title.replace(/[<>&]/g, '.')) })
	).toBeVisible();
	await expect(section.getByText('置顶').first()).toBeVisible();
	const thumb = section.getByRole('img', { name: alt });
	await expect(thumb).toBeVisible();
	const coverUrl = await thumb.getAttribute('src');
	const served = await request.get(coverUrl!);
	expect(served.headers()['content-type']).toBe('image/jpeg');
	const servedMeta = await sharp(await served.body()).metadata();
	expect([servedMeta.format, servedMeta.width, servedMeta.exif]).toEqual(['jpeg', 400, undefined]);
	if (javaScriptEnabled) {
		// Let the service worker take control before the visit that it should keep.
		await resident.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await resident.reload();
		await expect
			.poll(() => resident.evaluate(() => !!navigator.serviceWorker.controller), {
				timeout: 15_000
			})
			.toBe(true);
	}
	await section.getByRole('link', { name: new RegExp(title.replace(/[<>&]/g, '.')) }).click();
	await expect(resident.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(resident.locator('article').getByRole('img', { name: alt })).toBeVisible();
	const body = resident.locator('article .body');
	await expect(body.locator('strong')).toHaveText('落实门前三包');
	await expect(body).toContainText('<script>window.pwned = 1</script>');
	await expect(body.locator('script')).toHaveCount(0);
	await expect(body.getByRole('link', { name: '举报' })).toHaveAttribute('href', '/report');
	await expect(body.getByRole('link', { name: '危险' })).toHaveCount(0);
	if (javaScriptEnabled) {
		expect(await resident.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
		const url = resident.url();
		// The page keeps itself in the worker's cache after it mounts (an in-app link is no full
		// load); going offline before that write ends made this test flaky.
		await expect
			.poll(() =>
				resident.evaluate(async (path) => !!(await caches.match(path)), new URL(url).pathname)
			)
			.toBe(true);
		await context.setOffline(true);
		await resident.goto('/');
		await resident.goto(url);
		await expect(resident.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(body.locator('strong')).toHaveText('落实门前三包');
		// The cover comes from the worker's cache too.
		const image = resident.locator('article').getByRole('img', { name: alt });
		await expect
			.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
			.toBe(400);
		await context.setOffline(false);
	}
	await context.close();
});

test('the Atom feed is well-formed XML and carries the notice escaped', async ({
	page,
	request
}) => {
	const phone = await staffIn(request, 'party-building');
	const title = `普法 <b>${Date.now()}</b> & "引号"`;
	await loginWithForm(page, phone, undefined, '/staff/notices/new');
	await page.getByLabel('标题').fill(title);
	await page.getByLabel(/正文/).fill('正文 <script>x</script>');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page).toHaveURL(/saved=/);

	const feed = await request.get('/notices.atom');
	expect(feed.headers()['content-type']).toContain('application/atom+xml');
	const xml = await feed.text();
	await page.goto('/');
	const parsed = await page.evaluate((text) => {
		const doc = new DOMParser().parseFromString(text, 'application/xml');
		const ns = 'http://www.w3.org/2005/Atom';
		return {
			error: doc.getElementsByTagName('parsererror').length,
			root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName,
			titles: [...doc.getElementsByTagNameNS(ns, 'entry')].map(
				(e) => e.getElementsByTagNameNS(ns, 'title')[0].textContent
			),
			contents: [...doc.getElementsByTagNameNS(ns, 'content')].map((c) => c.textContent)
		};
	}, xml);
	expect(parsed.error).toBe(0);
	expect(parsed.root).toBe('http://www.w3.org/2005/Atom feed');
	expect(parsed.titles).toContain(title);
	expect(parsed.contents.join('')).not.toContain('<script>');

	const api = await request.get('/api/v1/notices');
	const list = await api.json();
	const item = list.find((n: { title: string }) => n.title === title);
	expect(item).toMatchObject({ pinned: false, summary: '正文 <script>x</script>' });
	expect(item.url).toBe(`${baseURL}/notices/${item.id}`);
	expect(item.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
});

test('other staff may not open the notice pages', async ({ page }) => {
	await loginWithForm(page, demo.dispatcher);
	const response = await page.goto('/staff/notices/new');
	expect(response?.status()).toBe(403);
});
