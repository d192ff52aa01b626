import { expect, test } from '@playwright/test';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { baseURL } from '../../playwright.config';
import { demo, loginWithApi, loginWithForm, reloadUnderServiceWorker } from './helpers';

const communities = ['fanchang', 'heping', 'maolin', 'tongling'];

/** 50 shops after the header; the rows on lines 11, 26 and 41 are bad. */
function csvWithThreeBadRows(prefix: string): string {
	const lines = ['名称,地址,社区,纬度,经度,负责人,联系电话,市容,环境卫生,秩序'];
	for (let i = 1; i <= 50; i++) {
		const line = i + 1;
		let row = `${prefix}${i}号店,和平路${i}号,${communities[i % 4]},31.86,117.30,店主${i},1390000${String(i).padStart(4, '0')},门前整洁,每日清扫,不占道`;
		if (line === 11) row = `,和平路${i}号,heping,,,,,,,`;
		if (line === 26) row = `${prefix}${i}号店,和平路${i}号,heping,91.5,117.30,,,,,`;
		if (line === 41) row = `${prefix}${i}号店,和平路${i}号,没有的社区,,,,,,,`;
		lines.push(row);
	}
	return lines.join('\r\n') + '\r\n';
}

test('importing 50 shops with 3 bad rows imports 47 and reports the 3 by line', async ({
	page
}) => {
	const prefix = `导入${Date.now() % 1e6}-`;
	await loginWithForm(page, demo.handler, undefined, '/staff/shops');
	await page.getByLabel('导入文件').setInputFiles({
		name: 'shops.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csvWithThreeBadRows(prefix), 'utf8')
	});
	await page.getByRole('button', { name: '导入', exact: true }).click();
	await expect(page.getByText('已导入 47 家商户，3 行有问题。')).toBeVisible();
	const problems = page.locator('.problems li');
	await expect(problems).toHaveCount(3);
	await expect(problems.nth(0)).toContainText('第 11 行');
	await expect(problems.nth(0)).toContainText('商户名称');
	await expect(problems.nth(1)).toContainText('第 26 行');
	await expect(problems.nth(1)).toContainText('纬度');
	await expect(problems.nth(2)).toContainText('第 41 行');
	await expect(problems.nth(2)).toContainText('没有这个社区');

	await page.goto(`/staff/shops?q=${encodeURIComponent(prefix)}`);
	await expect(page.locator('ul.list > li')).toHaveCount(47);
	// The owner's phone is shown masked only.
	await expect(page.getByText('139****0002').first()).toBeVisible();
	await expect(page.getByText('13900000002')).toHaveCount(0);
});

test('the printed duty card is A5, in Chinese, and its QR code opens the report page with the shop', async ({
	page,
	browser,
	request,
	javaScriptEnabled
}) => {
	const name = `明白卡${Date.now() % 1e6}号店`;
	await loginWithForm(page, demo.handler, undefined, '/staff/shops/new');
	await page.getByLabel('商户名称').fill(name);
	await page.getByLabel('地址', { exact: true }).fill('繁昌路8号');
	await page.getByLabel('所属社区').selectOption('fanchang');
	await page.getByLabel('负责人').fill('王店主');
	await page.getByLabel('联系电话').fill('13911112222');
	await page.getByLabel('秩序').fill('店外不摆摊');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	const shopId = page.url().match(/shops\/([0-9a-f-]{36})/)![1];

	await page.getByRole('link', { name: '打印责任明白卡' }).click();
	const card = page.getByRole('article', { name: '门前三包责任明白卡' });
	await expect(card.getByRole('heading', { level: 1 })).toHaveText('门前三包责任明白卡');
	await expect(card).toContainText(name);
	await expect(card).toContainText('秩序：店外不摆摊');
	await expect(card).toContainText('市容：门前无乱搭乱建');
	await expect(card).not.toContainText('13911112222');

	// Read the QR code back from the card's drawing (rendered apart from the page, so that no
	// toast laid over the card can hide it).
	const svg = await card.locator('figure svg').evaluate((el) => el.outerHTML);
	const { data, info } = await sharp(Buffer.from(svg), { density: 300 })
		.resize(400, 400)
		.flatten({ background: '#fff' })
		.ensureAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
	const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
	expect(decoded).toBe(`${baseURL}/report?shop=${shopId}`);

	// Printing: one A5 sheet (148 × 210 mm = 419.5 × 595.3 pt)…
	const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
	const box = pdf.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
	// Chromium rounds to whole points; A4 would be 595 × 842.
	expect(Math.abs(Number(box![1]) - 419.5)).toBeLessThan(1.5);
	expect(Math.abs(Number(box![2]) - 595.3)).toBeLessThan(1.5);
	expect(pdf.match(/\/Type\s*\/Pages\s*\/Count\s+(\d+)/)?.[1]).toBe('1');
	// …with the app's header left off.
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('body > div > header')).toBeHidden();
	await expect(card).toBeVisible();
	await page.emulateMedia({ media: 'screen' });

	// A resident scans it: the report form opens with the shop shown and its place filled in, and
	// the report is linked to the shop.
	const resident = await browser.newContext({ javaScriptEnabled, locale: 'zh-CN' });
	const phone = await resident.newPage();
	const response = await phone.goto(decoded!);
	expect(response?.status()).toBe(200);
	expect(new URL(phone.url()).searchParams.get('shop')).toBe(shopId);
	if (javaScriptEnabled) await expect(phone.getByLabel('搜索问题类型')).toBeVisible();
	const about = phone.getByRole('region', { name: '关于这家商户' });
	await expect(about).toContainText(name);
	await expect(about).toContainText('繁昌路8号');
	await expect(phone.getByLabel('社区')).toHaveValue('fanchang');
	await expect(phone.getByLabel('详细地址或附近标志')).toHaveValue('繁昌路8号');
	await phone.getByText('门前三包不落实', { exact: true }).click();
	await phone.getByLabel('问题描述').fill('门口堆满纸箱');
	await phone.getByRole('button', { name: '提交' }).click();
	await expect(phone).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?key=/);
	const code = (await phone.getByTestId('tracking-code').textContent())!;
	await resident.close();
	await page.goto(`/staff/shops/${shopId}`);
	await expect(page.getByText(code)).toBeVisible();
	// Each leads to the other: the dispatcher (whose scope holds the new case) opens it from the
	// shop, and the case page names the shop.
	const triage = await browser.newContext({ javaScriptEnabled, locale: 'zh-CN' });
	const dispatcherPage = await triage.newPage();
	await loginWithForm(dispatcherPage, demo.dispatcher, undefined, `/staff/shops/${shopId}`);
	await dispatcherPage.getByRole('link', { name: code }).click();
	const caseShop = dispatcherPage.getByTestId('case-shop');
	await expect(caseShop).toHaveText(name);
	await expect(caseShop).toHaveAttribute('href', `/staff/shops/${shopId}`);
	await triage.close();
	const shop = await request.get(`/api/v1/shops/${shopId}`);
	expect(await shop.json()).toEqual({
		id: shopId,
		name,
		address: '繁昌路8号',
		lat: null,
		lng: null,
		community: 'fanchang'
	});
});

test.describe('inspection campaign', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'the offline list needs JavaScript');

	test('an inspector records a failure offline; back online a linked case is dispatched', async ({
		page,
		context,
		playwright
	}) => {
		const name = `查处${Date.now() % 1e6}号店`;
		await loginWithForm(page, demo.handler, undefined, '/staff/shops/new');
		await page.getByLabel('商户名称').fill(name);
		await page.getByLabel('地址', { exact: true }).fill('茂林路9号');
		await page.getByLabel('所属社区').selectOption('maolin');
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByText('已保存')).toBeVisible();

		await page.goto('/staff/campaigns');
		await page.getByLabel('行动名称').fill(`夜市整治 ${name}`);
		await page.getByLabel('按名单（勾选商户）').check();
		await page.getByText(/^商户 \(\d+\)$/).click();
		await page.getByLabel(name).check();
		await page.getByRole('button', { name: '创建' }).click();
		await expect(page.getByText('已创建查处行动。')).toBeVisible();
		const campaignId = page.url().match(/campaigns\/([0-9a-f-]{36})/)![1];

		await page.getByRole('link', { name: '打开检查清单（可离线）' }).click();
		await expect(page.getByRole('heading', { name: `夜市整治 ${name}` })).toBeVisible();
		await reloadUnderServiceWorker(page);
		await expect(page.getByRole('heading', { name: `夜市整治 ${name}` })).toBeVisible();

		await context.setOffline(true);
		// The list opens with no network at all: the page from the service worker, the data from IndexedDB.
		await page.reload();
		await expect(page.getByText('离线：显示上次保存的清单。')).toBeVisible();
		const shop = page.locator('li.card', { hasText: name });
		await shop.getByRole('button', { name: '记录检查' }).click();
		await shop.getByRole('group', { name: '秩序' }).getByLabel('不合格').check();
		await shop.getByLabel('备注').fill('店外摆摊占道');
		await shop.getByRole('button', { name: '保存' }).click();
		await expect(shop.getByText('不合格时须拍照留证。')).toBeVisible();
		const photo = await sharp({
			create: { width: 320, height: 240, channels: 3, background: '#884422' }
		})
			.jpeg()
			.toBuffer();
		await shop.getByLabel(/现场照片/).setInputFiles({
			name: 'site.jpg',
			mimeType: 'image/jpeg',
			buffer: photo
		});
		await shop.getByRole('button', { name: '保存' }).click();
		await expect(page.getByTestId('pending')).toHaveText('待同步 1 条');
		await expect(shop).toContainText('本机记录：不合格');

		await context.setOffline(false);
		await expect(page.getByTestId('pending')).toHaveText('全部已同步', { timeout: 15_000 });
		await expect(shop).toContainText(/已立案 [A-Z0-9]{8}/);
		const code = (await shop.textContent())!.match(/已立案 ([A-Z0-9]{8})/)![1];

		// The case sits in the 城管中队's queue: dispatched, linked to the shop and the campaign.
		const dispatcher = await playwright.request.newContext({ baseURL });
		await loginWithApi(dispatcher, baseURL, demo.dispatcher);
		const detail = await (await dispatcher.get(`/api/v1/staff/campaigns/${campaignId}`)).json();
		expect(detail.progress).toEqual({ shops: 1, inspected: 1, passed: 0, failed: 1, fixed: 0 });
		expect(detail.shops[0]).toMatchObject({
			name,
			lastResults: { appearance: 'pass', sanitation: 'pass', order: 'fail' },
			cases: [{ trackingCode: code, stage: 'dispatched', department: 'city-management' }]
		});
		// …and in the staff queue.
		const queue = await (await dispatcher.get(`/api/v1/staff/queue?q=${code}`)).json();
		expect(queue.items).toEqual([
			expect.objectContaining({ trackingCode: code, stage: 'dispatched' })
		]);
		await dispatcher.dispose();

		await page.goto(`/staff/shops/${detail.shops[0].id}`);
		await expect(page.getByText(code)).toBeVisible();
		await expect(page.getByText(`夜市整治 ${name} 检查`)).toBeVisible();
	});
});

test('without JavaScript, the plain inspection form records a failure with a photo and opens a case', async ({
	page,
	playwright
}) => {
	const name = `表单${Date.now() % 1e6}号店`;
	await loginWithForm(page, demo.handler, undefined, '/staff/shops/new');
	await page.getByLabel('商户名称').fill(name);
	await page.getByLabel('地址', { exact: true }).fill('铜陵路3号');
	await page.getByLabel('所属社区').selectOption('tongling');
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	await page.goto('/staff/campaigns');
	await page.getByLabel('行动名称').fill(`表单检查 ${name}`);
	await page.getByLabel('按名单（勾选商户）').check();
	await page.getByText(/^商户 \(\d+\)$/).click();
	await page.getByLabel(name).check();
	await page.getByRole('button', { name: '创建' }).click();
	await expect(page.getByText('已创建查处行动。')).toBeVisible();

	await page.getByRole('link', { name: new RegExp(`填写检查表.*${name}`) }).click();
	await expect(page.getByRole('heading', { name: '记录检查' })).toBeVisible();
	await page.getByRole('group', { name: '环境卫生' }).getByLabel('不合格').check();
	await page.getByLabel('备注').fill('门前垃圾未清');
	// A failure needs a photo; a text file is not one. The choices come back each time.
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('不合格时须拍照留证。')).toBeVisible();
	await expect(page.getByRole('group', { name: '环境卫生' }).getByLabel('不合格')).toBeChecked();
	await page.getByLabel(/现场照片/).setInputFiles({
		name: 'fake.jpg',
		mimeType: 'image/jpeg',
		buffer: Buffer.from('not really a photo')
	});
	await page.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('请上传 JPEG、PNG 或 WebP 格式的照片。')).toBeVisible();
	await expect(page.getByLabel('备注')).toHaveValue('门前垃圾未清');
	const photo = await sharp({
		create: { width: 320, height: 240, channels: 3, background: '#446688' }
	})
		.jpeg()
		.toBuffer();
	await page.getByLabel(/现场照片/).setInputFiles({
		name: 'site.jpg',
		mimeType: 'image/jpeg',
		buffer: photo
	});
	await page.getByRole('button', { name: '保存' }).click();
	const done = page.getByText(/已记录检查，已立案 [A-Z0-9]{8}/);
	await expect(done).toBeVisible();
	const code = (await done.textContent())!.match(/已立案 ([A-Z0-9]{8})/)![1];

	const dispatcher = await playwright.request.newContext({ baseURL });
	await loginWithApi(dispatcher, baseURL, demo.dispatcher);
	const queue = await (await dispatcher.get(`/api/v1/staff/queue?q=${code}`)).json();
	expect(queue.items).toEqual([
		expect.objectContaining({ trackingCode: code, stage: 'dispatched' })
	]);
	// The inspector's photo is the case's staff-only photo, served from the shared store.
	const detail = await (await dispatcher.get(`/api/v1/staff/reports/${queue.items[0].id}`)).json();
	expect(detail.photos).toEqual([expect.objectContaining({ kind: 'before', width: 320 })]);
	const image = await dispatcher.get(detail.photos[0].url);
	expect(image.status()).toBe(200);
	expect((await sharp(await image.body()).metadata()).format).toBe('jpeg');
	await dispatcher.dispose();
	// It is not shown on the public tracking page.
	const tracking = await (
		await playwright.request.newContext({ baseURL })
	).get(`/api/v1/reports/${code}`);
	expect((await tracking.json()).photos).toEqual([]);
});
