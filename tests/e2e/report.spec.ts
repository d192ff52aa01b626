import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import exifr from 'exifr';
import sharp from 'sharp';
import { demo, loginWithApi, loginWithForm, reloadUnderServiceWorker } from './helpers';

// Resident reporting (issue 3) on a phone.
test.use({
	viewport: { width: 360, height: 740 },
	geolocation: { latitude: 31.854, longitude: 117.2935, accuracy: 18 },
	permissions: ['geolocation']
});

/** A real JPEG with GPS and camera data in its EXIF, as a phone makes it. */
async function phonePhoto(width = 1200, height = 900): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 60 } } })
		.jpeg()
		.withMetadata({
			exif: {
				IFD0: { Make: 'TestCam', Model: 'Phone 1' },
				IFD3: {
					GPSLatitudeRef: 'N',
					GPSLatitude: '31/1 51/1 1440/100',
					GPSLongitudeRef: 'E',
					GPSLongitude: '117/1 17/1 3660/100'
				}
			}
		})
		.toBuffer();
}

async function expectNoGps(request: APIRequestContext, url: string) {
	const response = await request.get(url);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('image/jpeg');
	const bytes = await response.body();
	expect(await exifr.gps(bytes)).toBeUndefined();
	expect(await exifr.parse(bytes)).toBeUndefined();
}

/** Opens the report form; with JavaScript, waits until the page is hydrated (the search box). */
async function openForm(page: Page, js: boolean) {
	await page.goto('/report');
	// The JS-only controls show from the first paint, before they work: wait for the page to be live.
	if (js) await expect(page.locator('form[data-ready]')).toHaveCount(1);
}

async function chooseCategory(page: Page, name: string) {
	await page.getByText(name, { exact: true }).click();
	await expect(page.getByRole('radio', { name })).toBeChecked();
}

test('a resident reports with a photo and lands on the tracking page', async ({
	page,
	request,
	javaScriptEnabled
}) => {
	const original = await phonePhoto();
	expect(await exifr.gps(original)).toBeDefined();
	await openForm(page, javaScriptEnabled);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('随手报');
	await chooseCategory(page, '道路清扫保洁');
	await page.getByLabel('选择或拍摄照片').setInputFiles({
		name: 'IMG_0001.jpg',
		mimeType: 'image/jpeg',
		buffer: original
	});
	if (javaScriptEnabled) {
		// Compressed in the browser, then shown as a thumbnail.
		await expect(page.getByText('已选 1 张')).toBeVisible();
		await page.getByRole('button', { name: '用我的位置' }).click();
		await expect(page.getByText('已定位，精度约 18 米')).toBeVisible();
	} else {
		// Controls that need JavaScript are not offered without it.
		await expect(page.getByLabel('搜索问题类型')).toBeHidden();
		await expect(page.getByRole('button', { name: '用我的位置' })).toBeHidden();
		await page.getByLabel('社区').selectOption({ label: '繁昌社区' });
		await page.getByLabel('详细地址或附近标志').fill('繁昌路菜市东门');
	}
	await page.getByLabel('问题描述').fill('路边有一堆垃圾');
	await page.getByLabel('手机号（选填，用于反馈）').fill('13912345678');
	await page.getByRole('button', { name: '提交' }).click();

	await expect(page).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?key=[a-z2-7]+&new=1$/);
	await expect(page.getByText('提交成功')).toBeVisible();
	await expect(page.getByTestId('stage')).toHaveText('已上报');
	await expect(page.getByRole('listitem').filter({ hasText: '已办结' })).toBeVisible();
	const code = (await page.getByTestId('tracking-code').textContent())!;
	await expect(page.getByText('13912345678')).toHaveCount(0);
	if (javaScriptEnabled) {
		const axe = await new AxeBuilder({ page })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
			.analyze();
		expect(
			axe.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => v.id)
		).toEqual([]);
	}

	// The public API: the photo with no GPS, and no phone or reporter.
	const view = await (await request.get(`/api/v1/reports/${code}`)).json();
	expect(view).toMatchObject({
		trackingCode: code,
		category: 'street-cleaning',
		stage: 'submitted'
	});
	expect(view.location.community).toBe('繁昌社区');
	expect(JSON.stringify(view)).not.toContain('13912345678');
	expect(JSON.stringify(view)).not.toContain('繁昌路菜市东门');
	// The photo is re-encoded after the answer, within moments.
	let photos: string[] = view.photos;
	await expect
		.poll(async () => {
			photos = (await (await request.get(`/api/v1/reports/${code}`)).json()).photos;
			return photos.length;
		})
		.toBe(1);
	await expectNoGps(request, photos[0]);

	// The device remembers it.
	await page.goto('/r');
	await expect(page.getByRole('link', { name: '道路清扫保洁' })).toBeVisible();
	await expect(page.getByText(code)).toBeVisible();
});

test('the form keeps what was typed and marks the problem when the place is missing', async ({
	page,
	javaScriptEnabled
}) => {
	await openForm(page, javaScriptEnabled);
	await chooseCategory(page, '小广告');
	await page.getByLabel('问题描述').fill('电线杆上贴满小广告');
	await page.getByRole('button', { name: '提交' }).click();
	await expect(page.getByText('请定位或在地图上选点，或选择社区并填写地址')).toBeVisible();
	await expect(page.getByLabel('详细地址或附近标志')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('问题描述')).toHaveValue('电线杆上贴满小广告');
	await expect(page.getByRole('radio', { name: '小广告' })).toBeChecked();
});

test('an urgent category shows the 119 notice before sending', async ({
	page,
	javaScriptEnabled
}) => {
	await openForm(page, javaScriptEnabled);
	const notice = page.getByText('请立即拨打 119').first();
	await expect(notice).toBeHidden();
	await chooseCategory(page, '飞线充电 紧急');
	await expect(notice).toBeVisible();
	await expect(page.getByText('现在是否正在充电').first()).toBeVisible();
});

test('at 360 px an urgent badge keeps to one line beside a long name; the anonymous note is for visitors only', async ({
	page,
	javaScriptEnabled,
	baseURL
}) => {
	await openForm(page, javaScriptEnabled);
	const badge = page
		.locator('label')
		.filter({ hasText: '疏散通道/安全出口占用堵塞封闭' })
		.locator('.badge');
	const badgeLines = await badge.evaluate((element) => {
		const range = document.createRange();
		range.selectNodeContents(element);
		return range.getClientRects().length;
	});
	expect(badgeLines).toBe(1);
	await expect(page.getByText('未登录也可以上报')).toBeVisible();
	await loginWithApi(page.request, baseURL!, demo.resident);
	await openForm(page, javaScriptEnabled);
	await expect(page.getByRole('link', { name: '我的上报' })).toBeVisible();
	await expect(page.getByText('未登录也可以上报')).toHaveCount(0);
});

test("the answers to a category's extra questions are stored, with and without JavaScript", async ({
	page,
	request,
	baseURL,
	javaScriptEnabled
}) => {
	await openForm(page, javaScriptEnabled);
	// 飞线充电 and 电动自行车进楼停放充电 ask the same questions; only the chosen one's answers count.
	await chooseCategory(page, '电动自行车进楼停放充电 紧急');
	await page.getByRole('radio', { name: '否' }).check();
	await chooseCategory(page, '飞线充电 紧急');
	await page.getByRole('radio', { name: '是' }).check();
	await page.getByRole('textbox', { name: '楼栋和楼层' }).fill('3栋2单元');
	// Not 和平社区: the workflow e2e takes the first new case there, expecting a demo case.
	await page.getByLabel('社区').selectOption({ label: '繁昌社区' });
	await page.getByLabel('详细地址或附近标志').fill('繁昌路 3 栋楼道');
	await page.getByRole('button', { name: '提交' }).click();
	await expect(page).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?key=/);
	const code = (await page.getByTestId('tracking-code').textContent())!;

	await loginWithApi(request, baseURL!, demo.dispatcher);
	const queue = await (await request.get(`/api/v1/staff/queue?q=${code}`)).json();
	expect(queue.items.map((i: { trackingCode: string }) => i.trackingCode)).toEqual([code]);
	const staffView = await (await request.get(`/api/v1/staff/reports/${queue.items[0].id}`)).json();
	expect(staffView.answers).toEqual({ charging_now: 'yes', floor: '3栋2单元' });
	expect(staffView.priority).toBe('urgent');
});

/** Ticks both times of 施工噪声 and fills the place and the description. */
async function fillNoiseReport(page: Page) {
	await chooseCategory(page, '施工噪声');
	await page.getByRole('checkbox', { name: '白天' }).first().check();
	await page.getByRole('checkbox', { name: '夜间（22:00–6:00）' }).first().check();
	await page.getByLabel('社区').selectOption({ label: '繁昌社区' });
	await page.getByLabel('详细地址或附近标志').fill('繁昌路工地');
	await page.getByLabel('问题描述').fill('夜里十一点还在打桩');
}

/** The form is back as the resident filled it in. */
async function expectNoiseReport(page: Page) {
	await expect(page.getByRole('radio', { name: '施工噪声' })).toBeChecked();
	await expect(page.getByRole('checkbox', { name: '白天' }).first()).toBeChecked();
	await expect(page.getByRole('checkbox', { name: '夜间（22:00–6:00）' }).first()).toBeChecked();
	await expect(page.getByLabel('详细地址或附近标志')).toHaveValue('繁昌路工地');
	await expect(page.getByLabel('问题描述')).toHaveValue('夜里十一点还在打桩');
}

/** Sends the form and returns the answers the new case holds, as staff see them. */
async function sendAndReadAnswers(page: Page, request: APIRequestContext, baseURL: string) {
	await page.getByRole('button', { name: '提交' }).click();
	await expect(page).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?key=/);
	const code = (await page.getByTestId('tracking-code').textContent())!;
	await loginWithApi(request, baseURL, demo.dispatcher);
	const queue = await (await request.get(`/api/v1/staff/queue?q=${code}`)).json();
	return (await (await request.get(`/api/v1/staff/reports/${queue.items[0].id}`)).json()).answers;
}

test('a refused form keeps every ticked choice of a multi-choice answer', async ({
	page,
	request,
	baseURL,
	javaScriptEnabled
}) => {
	await openForm(page, javaScriptEnabled);
	await fillNoiseReport(page);
	// A phone number intake refuses: checked in the page with JavaScript, by the server without.
	await page.getByLabel('手机号（选填，用于反馈）').fill('12345');
	await page.getByRole('button', { name: '提交' }).click();
	await expect(page.getByLabel('手机号（选填，用于反馈）')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText('请输入 11 位手机号')).toBeVisible();
	await expectNoiseReport(page);
	await page.getByLabel('手机号（选填，用于反馈）').fill('');
	expect(await sendAndReadAnswers(page, request, baseURL!)).toEqual({
		time_of_day: ['day', 'night']
	});
});

test('the public list stays a list, and its map view works with the tiles blocked', async ({
	page,
	request,
	baseURL,
	javaScriptEnabled
}) => {
	// No tile server answers: the map must still place the reports, and the list must stay usable.
	await page.route(/tile\.openstreetmap\.org/, (route) => route.abort());
	const created = await request.post('/api/v1/reports', {
		headers: { Origin: baseURL!, 'Idempotency-Key': crypto.randomUUID() },
		multipart: { category: 'fireworks', lat: '31.85237', lng: '117.29191' }
	});
	expect(created.status()).toBe(201);
	const { trackingCode } = await created.json();

	await page.goto('/reports?category=fireworks');
	await expect(page.getByRole('link', { name: '列表' })).toHaveAttribute('aria-current', 'page');
	await expect(page.getByTestId('reports-map')).toHaveCount(0);
	await expect(page.locator(`a[href="/r/${trackingCode}"]`)).toBeVisible();

	await page.getByRole('link', { name: '地图' }).click();
	await expect(page).toHaveURL(/[?&]view=map/);
	await expect(page).toHaveURL(/[?&]category=fireworks/);
	// The list stays below the map, with or without it.
	await expect(page.locator(`ul.items a[href="/r/${trackingCode}"]`)).toBeVisible();
	if (!javaScriptEnabled) {
		await expect(page.getByText('地图需要启用 JavaScript')).toBeVisible();
		return;
	}
	const map = page.getByTestId('reports-map');
	await expect(map).toBeVisible();
	await expect(page.getByText('地图需要启用 JavaScript')).toHaveCount(0);
	await expect(page.getByText('地图底图无法加载')).toBeVisible();
	const markers = map.locator('.jx-dot');
	await expect(markers.first()).toBeVisible();
	const view = await (await request.get(`/api/v1/reports/${trackingCode}`)).json();
	const points = await (
		await request.get('/reports/__data.json?category=fireworks&view=map')
	).text();
	// Only the rounded public point ever reaches the page.
	expect(points).not.toContain('31.85237');
	expect(points).toContain(String(view.location.lat));
	const axe = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	expect(
		axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
	).toEqual([]);
	const count = await markers.count();
	expect(count).toBeGreaterThanOrEqual(1);
	// Each marker opens the links to the cases at its place; find ours.
	const ours = map.locator(`.leaflet-popup-content a[href="/r/${trackingCode}"]`);
	for (let i = 0; i < count && (await ours.count()) === 0; i++) {
		await markers.nth(i).click({ force: true });
		await expect(map.locator('.leaflet-popup-content a').first()).toBeVisible();
	}
	await ours.click();
	await expect(page).toHaveURL(new RegExp(`/r/${trackingCode}$`));
});

test.describe('API', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'one run is enough');

	const origin = { Origin: 'http://localhost' };
	let headers: Record<string, string>;
	test.beforeEach(({ baseURL }) => {
		headers = { Origin: baseURL ?? origin.Origin };
	});

	test('20 concurrent requests with one Idempotency-Key make one report; another payload gets 422', async ({
		request
	}) => {
		const key = crypto.randomUUID();
		const photo = await phonePhoto(400, 300);
		const send = (description: string) =>
			request.post('/api/v1/reports', {
				headers: { ...headers, 'Idempotency-Key': key },
				multipart: {
					category: 'green-belt-litter',
					description,
					lat: '31.866',
					lng: '117.296',
					photos: { name: 'a.jpg', mimeType: 'image/jpeg', buffer: photo }
				}
			});
		const responses = await Promise.all(Array.from({ length: 20 }, () => send('并发提交')));
		const bodies = await Promise.all(responses.map((r) => r.json()));
		expect(responses.map((r) => r.status())).toEqual(Array(20).fill(201));
		expect(new Set(bodies.map((b) => b.trackingCode)).size).toBe(1);
		expect(responses.filter((r) => r.headers()['idempotent-replayed'] !== 'true')).toHaveLength(1);

		const other = await send('另一个内容');
		expect(other.status()).toBe(422);
		expect((await other.json()).error.code).toBe('idempotency_key_mismatch');
		const noKey = await request.post('/api/v1/reports', {
			headers,
			multipart: { category: 'green-belt-litter', lat: '31.866', lng: '117.296' }
		});
		expect(noKey.status()).toBe(400);
	});

	test('a broken multipart body gets 400 with the JSON error and makes no report', async ({
		request
	}) => {
		const photo = await phonePhoto(400, 300);
		const whole = Buffer.concat([
			Buffer.from(
				'--b\r\nContent-Disposition: form-data; name="category"\r\n\r\ngreen-belt-litter\r\n' +
					'--b\r\nContent-Disposition: form-data; name="lat"\r\n\r\n31.866\r\n' +
					'--b\r\nContent-Disposition: form-data; name="lng"\r\n\r\n117.296\r\n' +
					'--b\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n' +
					'Content-Type: image/jpeg\r\n\r\n'
			),
			photo,
			Buffer.from('\r\n--b--\r\n')
		]);
		const post = (body: Buffer, type = 'multipart/form-data; boundary=b') =>
			request.post('/api/v1/reports', {
				headers: { ...headers, 'Idempotency-Key': crypto.randomUUID(), 'Content-Type': type },
				data: body
			});
		// The same bytes, whole, make a report: the refusals below are about the breakage alone.
		expect((await post(whole)).status()).toBe(201);
		const broken = [
			post(whole.subarray(0, whole.length - 200)), // cut off inside the photo
			post(whole, 'multipart/form-data; boundary=other'),
			post(whole, 'multipart/form-data'),
			post(Buffer.from('--b\r\nX-Nothing: here\r\n\r\nv\r\n--b--\r\n'))
		];
		for (const response of await Promise.all(broken)) {
			expect(response.status()).toBe(400);
			expect((await response.json()).error).toMatchObject({ code: 'invalid_input' });
		}
	});

	test('a text file named .jpg gets 415 and a 12 MB file gets 413', async ({ request }) => {
		const post = (buffer: Buffer) =>
			request.post('/api/v1/reports', {
				headers: { ...headers, 'Idempotency-Key': crypto.randomUUID() },
				multipart: {
					category: 'street-cleaning',
					lat: '31.854',
					lng: '117.2935',
					photos: { name: 'photo.jpg', mimeType: 'image/jpeg', buffer }
				}
			});
		const text = await post(Buffer.from('just some text, renamed to photo.jpg\n'));
		expect(text.status()).toBe(415);
		expect((await text.json()).error.code).toBe('photo_type');
		const big = Buffer.alloc(12 * 1024 * 1024, 7);
		big.set([0xff, 0xd8, 0xff, 0xe0]);
		const large = await post(big);
		expect(large.status()).toBe(413);
		expect((await large.json()).error.code).toBe('photo_too_large');
	});
});

test.describe('with JavaScript', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'needs JavaScript');

	test('"me too" on a nearby open report counts and creates no report', async ({
		page,
		request,
		baseURL,
		javaScriptEnabled
	}) => {
		const created = await request.post('/api/v1/reports', {
			headers: { Origin: baseURL!, 'Idempotency-Key': crypto.randomUUID() },
			multipart: { category: 'shared-bikes', lat: '31.8541', lng: '117.2936' }
		});
		expect(created.status()).toBe(201);
		const { trackingCode } = await created.json();
		const total = async () =>
			(
				await (
					await request.get(`/api/v1/reports/nearby?category=shared-bikes&lat=31.854&lng=117.2935`)
				).json()
			).length;
		const before = await total();

		await openForm(page, javaScriptEnabled);
		await chooseCategory(page, '共享单车乱停');
		await page.getByRole('button', { name: '用我的位置' }).click();
		const nearby = page.getByRole('region', { name: '附近已有相同问题' });
		await expect(nearby).toBeVisible();
		await nearby
			.getByRole('listitem')
			.filter({ hasText: trackingCode })
			.getByRole('button', { name: '我也遇到' })
			.click();
		await expect(page).toHaveURL(new RegExp(`/r/${trackingCode}\\?metoo=1$`));
		await expect(page.getByText('1 人也遇到')).toBeVisible();
		const view = await (await request.get(`/api/v1/reports/${trackingCode}`)).json();
		expect(view.meTooCount).toBe(1);
		expect(await total()).toBe(before);
	});

	test('a pin on the lazily loaded map sets the place, even when tiles cannot load', async ({
		page,
		javaScriptEnabled
	}) => {
		await openForm(page, javaScriptEnabled);
		await expect(page.getByTestId('map')).toHaveCount(0);
		await chooseCategory(page, '市政设施损坏');
		await page.getByRole('button', { name: '在地图上选点' }).click();
		const map = page.getByTestId('map');
		await expect(map).toBeVisible();
		// With no pin moved yet, the map's centre is taken; a tap moves the pin there.
		const box = (await map.boundingBox())!;
		// Through the locator, so a passing notice (the worker's "ready offline") is waited out.
		await map.click({ position: { x: box.width * 0.3, y: box.height * 0.6 } });
		// The place is written once the map is live, which may come just after it shows.
		await expect(page.locator('input[name=lat]')).not.toHaveValue('');
		const lat = Number(await page.locator('input[name=lat]').inputValue());
		const lng = Number(await page.locator('input[name=lng]').inputValue());
		expect(lat).toBeGreaterThan(31.85);
		expect(lat).toBeLessThan(31.872);
		expect(lng).toBeGreaterThan(117.29);
		expect(lng).toBeLessThan(117.32);
		await page.getByRole('button', { name: '提交' }).click();
		await expect(page).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?/);
		await expect(page.getByTestId('stage')).toHaveText('已上报');
	});

	test.describe('while the map is still loading', () => {
		// The test holds Leaflet's chunk back; a service worker would serve it past page.route.
		test.use({ serviceWorkers: 'block' });

		test('a tap on the map before it is live is kept and moves the pin there', async ({
			page,
			javaScriptEnabled
		}) => {
			await page.route(/tile\.openstreetmap\.org/, (route) => route.abort());
			let release = () => {};
			const held = new Promise<void>((resolve) => (release = resolve));
			await page.route('**/_app/immutable/chunks/*.js', async (route) => {
				const response = await route.fetch();
				const body = await response.text();
				if (body.includes('leafletjs.com')) await held;
				await route.fulfill({ response, body });
			});
			await openForm(page, javaScriptEnabled);
			await chooseCategory(page, '市政设施损坏');
			await page.getByRole('button', { name: '在地图上选点' }).click();
			const map = page.getByTestId('map');
			const loading = map.getByRole('status');
			await expect(loading).toHaveText('地图加载中…');
			const box = (await map.boundingBox())!;
			// Left of the centre and below it.
			await map.click({ position: { x: box.width * 0.2, y: box.height * 0.8 } });
			release();
			await expect(loading).toHaveCount(0);
			await expect(map).toHaveAttribute('data-pin', /,/);
			const [lat, lng] = (await map.getAttribute('data-pin'))!.split(',').map(Number);
			await expect
				.poll(async () => Number(await page.locator('input[name=lat]').inputValue()))
				.toBe(lat);

			// The centre, tapped once the map is live, is the reference.
			await map.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
			await expect(map).not.toHaveAttribute('data-pin', `${lat},${lng}`);
			const [centreLat, centreLng] = (await map.getAttribute('data-pin'))!.split(',').map(Number);
			expect(lat).toBeLessThan(centreLat - 0.0002);
			expect(lng).toBeLessThan(centreLng - 0.0002);
		});
	});

	test('the pin follows a later, more accurate GPS fix, until the resident moves it by hand', async ({
		page,
		context,
		javaScriptEnabled
	}) => {
		await page.route(/tile\.openstreetmap\.org/, (route) => route.abort());
		await context.setGeolocation({ latitude: 31.854, longitude: 117.2935, accuracy: 150 });
		await openForm(page, javaScriptEnabled);
		await chooseCategory(page, '市政设施损坏');
		await page.getByRole('button', { name: '用我的位置' }).click();
		await expect(page.getByText('已定位，精度约 150 米')).toBeVisible();
		await page.getByRole('button', { name: '在地图上选点' }).click();
		const map = page.getByTestId('map');
		await expect(map).toHaveAttribute('data-pin', '31.854,117.2935');

		// A better fix arrives: the place and the pin follow it.
		await context.setGeolocation({ latitude: 31.8546, longitude: 117.2941, accuracy: 12 });
		await expect(page.getByText('已定位，精度约 12 米')).toBeVisible();
		await expect(page.locator('input[name=lat]')).toHaveValue('31.854600');
		await expect(map).toHaveAttribute('data-pin', '31.8546,117.2941');

		// The resident moves the pin: a later fix leaves it there.
		const box = (await map.boundingBox())!;
		await map.click({ position: { x: box.width * 0.25, y: box.height * 0.7 } });
		await expect(page.locator('input[name=lat]')).not.toHaveValue('31.854600');
		const placed = await page.locator('input[name=lat]').inputValue();
		const pin = await map.getAttribute('data-pin');
		await context.setGeolocation({ latitude: 31.8551, longitude: 117.2946, accuracy: 11 });
		await page.waitForTimeout(1500);
		await expect(page.locator('input[name=lat]')).toHaveValue(placed);
		await expect(map).toHaveAttribute('data-pin', pin!);
	});

	test('a photo chosen before the page is live is kept, and its buttons wait until they work', async ({
		page,
		request
	}) => {
		// The page's scripts are held back, as on a slow phone link, while the resident picks a photo.
		let release!: () => void;
		const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
		await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
			await scriptsHeld;
			await route.continue();
		});
		await page.goto('/report', { waitUntil: 'commit' });
		await page.getByLabel('选择或拍摄照片').setInputFiles({
			name: 'IMG_0002.jpg',
			mimeType: 'image/jpeg',
			buffer: await phonePhoto()
		});
		await expect(page.getByRole('button', { name: '用我的位置' })).toBeDisabled();
		await expect(page.getByRole('button', { name: '在地图上选点' })).toBeDisabled();
		release();
		await expect(page.locator('form[data-ready]')).toHaveCount(1);
		await expect(page.getByText('已选 1 张')).toBeVisible();
		await expect(page.getByRole('button', { name: '用我的位置' })).toBeEnabled();

		await chooseCategory(page, '道路清扫保洁');
		await page.getByLabel('社区').selectOption({ label: '繁昌社区' });
		await page.getByLabel('详细地址或附近标志').fill('繁昌路 8 号');
		await page.getByRole('button', { name: '提交' }).click();
		await expect(page).toHaveURL(/\/r\/[2-9A-HJKMNP-Z]{8}\?key=/);
		const code = (await page.getByTestId('tracking-code').textContent())!;
		await expect
			.poll(async () => (await (await request.get(`/api/v1/reports/${code}`)).json()).photos.length)
			.toBe(1);
	});

	test('offline, a problem shows at once; a draft refused later comes back into the form whole', async ({
		page,
		context,
		browser,
		request,
		baseURL,
		javaScriptEnabled
	}) => {
		await openForm(page, javaScriptEnabled);
		await reloadUnderServiceWorker(page);
		await expect(page.locator('form[data-ready]')).toHaveCount(1);
		await context.setOffline(true);
		// Checked in the page: nothing is kept that intake would refuse.
		await chooseCategory(page, '施工噪声');
		await page.getByRole('button', { name: '提交' }).click();
		await expect(page.getByText('请定位或在地图上选点，或选择社区并填写地址')).toBeVisible();
		await expect(page.getByTestId('outbox')).toHaveCount(0);

		await fillNoiseReport(page);
		await page.getByRole('button', { name: '提交' }).click();
		await expect(page.getByText('网络不通，已保存在本机')).toBeVisible();
		await expect(page.getByRole('radio', { name: '施工噪声' })).not.toBeChecked();

		// While it waits, staff switch the category off: the server refuses the draft when it is sent.
		const admin = await browser.newContext();
		const adminPage = await admin.newPage();
		const setNoiseActive = async (active: boolean) => {
			await adminPage.goto('/admin/categories');
			const row = adminPage.locator('li', {
				has: adminPage.getByText('施工噪声', { exact: true })
			});
			await row.locator('summary').click();
			await row.getByLabel('启用').setChecked(active);
			await row.getByRole('button', { name: '保存' }).click();
			await expect(adminPage.getByText('已保存')).toBeVisible();
		};
		await loginWithForm(adminPage, demo.admin, undefined, '/admin/categories');
		try {
			await setNoiseActive(false);
			await context.setOffline(false);
			const outbox = page.getByTestId('outbox');
			await expect(outbox.getByText('需要处理')).toBeVisible({ timeout: 20_000 });
			await outbox.getByRole('button', { name: '修改后重发' }).click();
			await expectNoiseReport(page);
		} finally {
			await setNoiseActive(true);
			await admin.close();
		}
		expect(await sendAndReadAnswers(page, request, baseURL!)).toEqual({
			time_of_day: ['day', 'night']
		});
	});

	test('offline: the report waits in the outbox, survives a reload, and is sent once when online', async ({
		page,
		context,
		javaScriptEnabled
	}) => {
		await openForm(page, javaScriptEnabled);
		await reloadUnderServiceWorker(page);

		await context.setOffline(true);
		await chooseCategory(page, '陈年垃圾');
		await page.getByLabel('社区').selectOption({ label: '茂林社区' });
		await page.getByLabel('详细地址或附近标志').fill('茂林路背街小巷');
		await page.getByLabel('问题描述').fill('离线时上报');
		await page.getByRole('button', { name: '提交' }).click();
		await expect(page.getByText('网络不通，已保存在本机')).toBeVisible();
		const outbox = page.getByTestId('outbox');
		await expect(outbox.getByText('等待发送')).toBeVisible();
		await expect(page.getByTestId('outbox-badge')).toHaveText('1 条待发送');

		// The page opens offline from the service worker, and the draft is still there.
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('随手报');
		await expect(page.getByTestId('outbox').getByText('等待发送')).toBeVisible();

		await context.setOffline(false);
		await expect(page.getByTestId('outbox')).toHaveCount(0, { timeout: 20_000 });
		await expect(page.getByTestId('outbox-badge')).toHaveCount(0);

		// Exactly one report reached the server from this device.
		await page.goto('/r');
		await expect(page.getByRole('link', { name: '陈年垃圾' })).toHaveCount(1);
	});
});
