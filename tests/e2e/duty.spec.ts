import { expect, request, test, type Browser, type Page } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { DEMO_PASSWORD, demo, hydrated, loginWithApi, uniquePhone, readIn } from './helpers';

/*
 * Duty at fixed posts on a phone: booking, the waitlist, check-in by typing the post's code,
 * service hours, and a supervisor's absence reaching the 约谈 list. Each test makes its own post
 * and template through the admin page, with a shift starting in ten minutes (local time, UTC+8).
 */
test.use({ viewport: { width: 360, height: 740 } });

const local = (offsetMinutes: number) =>
	new Date(Date.now() + 8 * 3600_000 + offsetMinutes * 60_000).toISOString();
const today = () => local(0).slice(0, 10);

/** Opens a page and waits until it is hydrated, so typed values are not reset by hydration. */
async function open(page: Page, url: string) {
	await page.goto(url);
	await hydrated(page);
}

/** Logs in through the form; argon2 on a busy machine can take a few seconds. */
async function loginWithForm(
	page: Page,
	phone: string,
	password: string = DEMO_PASSWORD,
	next: string
) {
	await page.goto(`/login?next=${encodeURIComponent(next)}`);
	// Typed before hydration, the values can be reset: try again until the login goes through.
	await expect(async () => {
		await page.getByLabel('手机号').fill(phone);
		await page.getByLabel('密码').fill(password);
		await page.getByRole('button', { name: '登录' }).click();
		await expect(page).not.toHaveURL(/\/login/, { timeout: 10_000 });
	}).toPass({ timeout: 60_000 });
	await hydrated(page);
}

test.beforeEach(() => {
	// Several logins, sign-ups and page loads per test: generous on a loaded machine.
	test.setTimeout(120_000);
});

/** The English name a test post is given beside its Chinese one. */
const inEnglish = (post: string) => post.replace('测试岗', 'Test post ');

async function newPostWithShift(browser: Browser, needed: number, signupHours = 336) {
	// A shift starts and ends on one local day: the tests that need one skip near midnight.
	test.skip(local(75).slice(0, 10) !== today(), 'too close to local midnight');
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
	const name = `测试岗${suffix}`;
	await loginWithForm(page, demo.admin, undefined, '/admin/duty');
	const newPost = page.locator('li', { has: page.locator('summary', { hasText: '新建点位' }) });
	await newPost.locator('summary').click();
	await newPost.getByLabel('代码').fill(`e2e-${suffix}`);
	await newPost.getByLabel('名称', { exact: true }).fill(name);
	await newPost.getByLabel('英文名称').fill(inEnglish(name));
	await newPost.getByLabel('纬度').fill('31.86');
	await newPost.getByLabel('经度').fill('117.30');
	await newPost.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存。')).toBeVisible();
	const newTemplate = page.locator('li', { has: page.locator('summary', { hasText: '新建模板' }) });
	await newTemplate.locator('summary').click();
	await newTemplate.getByLabel('点位').selectOption({ label: name });
	await newTemplate.getByLabel('开始时间').fill(local(10).slice(11, 16));
	await newTemplate.getByLabel('结束时间').fill(local(70).slice(11, 16));
	await newTemplate.getByLabel('需要志愿者人数').fill(String(needed));
	await newTemplate.getByLabel('生效日期').fill(today());
	await newTemplate.getByLabel('取消截止（开始前小时）').fill('0');
	await newTemplate.getByLabel('提前开放预约（小时）').fill(String(signupHours));
	await newTemplate.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存。')).toBeVisible();
	await context.close();
	return name;
}

/** A new volunteer, signed up through the API, who fills in the profile form. */
const VOLUNTEER_PASSWORD = 'volunteer-pass-1';

async function newVolunteer(browser: Browser) {
	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const page = await context.newPage();
	const name = `志愿者${Math.random().toString(36).slice(2, 7)}`;
	const phone = uniquePhone();
	const response = await page.request.post('/api/v1/auth/signup', {
		data: { phone, password: VOLUNTEER_PASSWORD, name, role: 'volunteer' },
		headers: { Origin: baseURL }
	});
	expect(response.status()).toBe(201);
	await open(page, '/volunteer/profile');
	await page.getByLabel('真实姓名').fill(name);
	await page.getByLabel('出生日期').fill('1995-03-04');
	await page.getByRole('button', { name: '保存资料' }).click();
	await expect(page.getByText('资料已保存。')).toBeVisible();
	return { page, name, phone };
}

const shiftCard = (page: Page, post: string) => page.getByTestId('shift').filter({ hasText: post });
const myBooking = (page: Page, post: string) =>
	page.getByTestId('my-booking').filter({ hasText: post });

test('a full shift offers the waitlist, and a cancellation promotes the first waiting', async ({
	browser
}) => {
	const post = await newPostWithShift(browser, 1);
	const first = await newVolunteer(browser);
	const second = await newVolunteer(browser);

	await open(first.page, '/volunteer');
	await expect(shiftCard(first.page, post)).toContainText('剩余 1/1 个名额');
	await shiftCard(first.page, post).getByRole('button', { name: /预约/ }).click();
	await expect(first.page.getByText('预约成功。')).toBeVisible();
	await expect(myBooking(first.page, post)).toContainText('已预约');

	await open(second.page, '/volunteer');
	await expect(shiftCard(second.page, post)).toContainText('已满');
	await shiftCard(second.page, post)
		.getByRole('button', { name: /加入候补/ })
		.click();
	await expect(second.page.getByText('您已加入候补')).toBeVisible();
	await expect(myBooking(second.page, post)).toContainText('候补第 1 位');

	await open(first.page, '/volunteer');
	await myBooking(first.page, post).getByRole('button', { name: '取消预约' }).click();
	await expect(first.page.getByText('已取消。')).toBeVisible();
	await expect(myBooking(first.page, post)).toHaveCount(0);

	await open(second.page, '/volunteer');
	await expect(myBooking(second.page, post)).toContainText('已预约');
	await expect(second.page.getByText('候补成功：您已获得岗位')).toBeVisible();
	// The same notification in English, for a volunteer reading the app in English.
	await readIn(second.page, 'en');
	await open(second.page, '/volunteer');
	await expect(second.page.getByText('Off the waitlist: you have a place')).toBeVisible();
	// The post by its English name, in the notification and in the list of bookings.
	await expect(second.page.getByText(`You now have a place at ${inEnglish(post)}, `)).toBeVisible();
	await expect(myBooking(second.page, inEnglish(post))).toContainText('Booked');
	await first.page.context().close();
	await second.page.context().close();
});

/** A new volunteer who has booked the only shift of a new post, from the shift list. */
async function bookedVolunteer(browser: Browser, needed: number) {
	const post = await newPostWithShift(browser, needed);
	const volunteer = await newVolunteer(browser);
	await open(volunteer.page, '/volunteer');
	await shiftCard(volunteer.page, post).getByRole('button', { name: /预约/ }).click();
	await expect(volunteer.page.getByText('预约成功。')).toBeVisible();
	return { post, volunteer };
}

/** The post's current check-in code, as its coordinator's phone shows it. */
async function postCode(coordinator: Page, post: string) {
	await loginWithForm(coordinator, demo.dispatcher, undefined, '/staff/duty/codes');
	await coordinator.getByRole('link', { name: post }).click();
	const code = (await coordinator.getByTestId('post-code').textContent())!.trim();
	expect(code).toMatch(/^\d{6}$/);
	return code;
}

const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

test('a volunteer checks in by typing the post code, checks out, and sees the hours', async ({
	browser
}) => {
	const { post, volunteer } = await bookedVolunteer(browser, 3);

	const coordinator = await browser.newPage({ viewport: { width: 360, height: 740 } });
	const code = await postCode(coordinator, post);
	await expect(coordinator.locator('.qr svg')).toBeVisible();

	await open(volunteer.page, '/volunteer/checkin');
	const wrong = otherCode(code);
	await volunteer.page.getByLabel('6位签到码').fill(wrong);
	await volunteer.page.getByRole('button', { name: '签到', exact: true }).click();
	await expect(volunteer.page.getByText('签到码无效或已过期。')).toBeVisible();
	await volunteer.page.getByLabel('6位签到码').fill(code);
	await volunteer.page.getByRole('button', { name: '签到', exact: true }).click();
	await expect(volunteer.page.getByText(`签到成功：${post}。`)).toBeVisible();
	await volunteer.page.getByLabel('6位签到码').fill(code);
	await volunteer.page.getByRole('button', { name: '签退' }).click();
	// Checked out before the start: capped to the window, no time yet.
	await expect(volunteer.page.getByText(`签退成功：${post}，本次服务 0.0 小时。`)).toBeVisible();

	// The coordinator confirms an hour with a reason; the volunteer sees it.
	await open(coordinator, '/staff/duty/records');
	const record = coordinator.locator('li', { hasText: volunteer.name });
	await record.getByLabel('时长（分钟）').fill('60');
	await record.getByLabel('调整原因').fill('协调员确认在岗一小时');
	await record.getByRole('button', { name: '调整' }).click();
	await expect(coordinator.getByText('已调整。')).toBeVisible();

	await open(volunteer.page, '/volunteer/records');
	await expect(volunteer.page.getByTestId('total-hours')).toContainText(
		'累计 1.0 小时，共 1 条记录'
	);
	await expect(volunteer.page.getByText(post).first()).toBeVisible();
	const csv = await volunteer.page.request.get('/volunteer/records/records.csv');
	expect(csv.headers()['content-type']).toContain('text/csv');
	expect(await csv.text()).toContain(post);
	await volunteer.page.context().close();
	await coordinator.close();
});

/** A booked volunteer on the check-in page, with the post's code. */
async function onCheckInPage(browser: Browser) {
	const { post, volunteer } = await bookedVolunteer(browser, 3);
	const coordinator = await browser.newPage({ viewport: { width: 360, height: 740 } });
	const code = await postCode(coordinator, post);
	await coordinator.close();
	const page = volunteer.page;
	await open(page, '/volunteer/checkin');
	return { post, volunteer, code, page };
}

test('the calendar feed shown on an English profile page names the shifts in English', async ({
	browser
}) => {
	const { post, volunteer } = await bookedVolunteer(browser, 3);
	const page = volunteer.page;
	await readIn(page, 'en');
	await open(page, '/volunteer/profile');
	const address = await page.locator('a.url').getAttribute('href');
	expect(address).toMatch(/\/calendar\/[\w-]+\.ics\?lang=en$/);
	// A calendar app sends no cookie: the address alone sets the language.
	const calendarApp = await request.newContext();
	const feed = await (await calendarApp.get(address!)).text();
	await calendarApp.dispose();
	expect(feed).toContain('X-WR-CALNAME:Jiexiang volunteer duty');
	expect(feed.replace(/\r\n /g, '')).toContain(`SUMMARY:Civility persuasion · ${inEnglish(post)}`);
	await page.context().close();
});

test('scans made offline are sent when the network is back, and a refused one stays until read', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'the offline queue needs JavaScript');
	const { code, page } = await onCheckInPage(browser);
	await page.context().setOffline(true);
	for (const typed of [otherCode(code), code]) {
		await page.getByLabel('6位签到码').fill(typed);
		await page.getByRole('button', { name: '签到', exact: true }).click();
	}
	await expect(page.getByText('网络不通，签到已保存在本机，联网后自动提交。')).toBeVisible();
	await expect(page.getByTestId('scans-waiting')).toContainText('2 条');
	await expect(page.getByTestId('scans-refused')).toBeHidden();

	await page.context().setOffline(false);
	// A send made the instant the network is back can still fail; it is tried again 5 s later.
	await expect(page.getByText('离线签到已提交。')).toBeVisible({ timeout: 20_000 });
	await expect(page.getByTestId('scans-waiting')).toBeHidden({ timeout: 20_000 });
	const refused = page.getByTestId('scans-refused');
	await expect(refused).toContainText('未计入服务时长');
	await expect(refused).toContainText(`${otherCode(code)}: 签到码无效或已过期。`);
	// A weak network: the phone says it is online, but the check-out never reaches the server,
	// neither from the form nor from the outbox's first try.
	const checkOutForm = (url: URL) =>
		url.pathname === '/volunteer/checkin' && url.search === '?/out';
	const checkOutApi = (url: URL) => url.pathname === '/api/v1/checkouts';
	for (const blocked of [checkOutForm, checkOutApi])
		await page.route(blocked, (route) => route.abort('internetdisconnected'));
	await page.getByLabel('6位签到码').fill(code);
	await page.getByRole('button', { name: '签退' }).click();
	await expect(page.getByTestId('scans-waiting')).toContainText('1 条');
	await page.unroute(checkOutForm);
	// Any page of the app sends it when the network is back, not only this one. The good scan
	// had checked them in, so the check-out counts.
	await open(page, '/volunteer');
	await page.unroute(checkOutApi);
	await page.context().setOffline(true);
	await page.context().setOffline(false);
	await expect
		.poll(async () => (await page.request.get('/volunteer/records')).text(), { timeout: 20_000 })
		.toContain('共 1 条记录');
	await open(page, '/volunteer/checkin');
	await expect(page.getByTestId('scans-waiting')).toBeHidden();

	// The refusal is kept on the phone until the volunteer has read it.
	await open(page, '/volunteer/checkin');
	await expect(page.getByTestId('scans-refused')).toContainText(otherCode(code));
	await page.getByRole('button', { name: '知道了' }).click();
	await expect(page.getByTestId('scans-refused')).toBeHidden();
	await open(page, '/volunteer/checkin');
	await expect(page.getByTestId('scans-refused')).toBeHidden();
	await page.context().close();
});

test('a supervisor marks an absence twice and the person appears on the 约谈 list', async ({
	browser
}) => {
	const { post, volunteer } = await bookedVolunteer(browser, 2);

	const supervisor = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await loginWithForm(supervisor, demo.supervisor, undefined, '/staff/duty/supervision');
	for (let i = 0; i < 2; i++) {
		const entry = supervisor.getByTestId('roster-entry').filter({ hasText: volunteer.name });
		await entry.getByRole('button', { name: `缺岗 ${volunteer.name}` }).click();
		await expect(supervisor.getByText('已记录。')).toBeVisible();
		await expect(
			supervisor.getByTestId('roster-entry').filter({ hasText: volunteer.name })
		).toContainText('已记录：缺岗');
	}
	await open(supervisor, '/staff/duty/absences');
	const row = supervisor.getByTestId('absence-row').filter({ hasText: volunteer.name });
	await expect(row).toContainText('2');
	// The dispatcher finds it on the workbench, new the first time, with the post in English there.
	const dispatcher = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await readIn(dispatcher, 'en');
	// Signed in through the API: a page seen before would mark it read. Reached in the app (with
	// JavaScript), the list marks it read once on screen; loaded whole, the page does.
	await loginWithApi(dispatcher.request, baseURL, demo.dispatcher);
	let markedRead: Promise<unknown> | undefined;
	if (test.info().project.use.javaScriptEnabled) {
		await dispatcher.goto('/staff/queue');
		// The queue is live (hydrated) once its filters are.
		await expect(dispatcher.locator('details.filters[data-ready]')).toHaveCount(1);
		markedRead = dispatcher.waitForResponse(
			(response) => new URL(response.url()).pathname === '/api/v1/notifications/read'
		);
		await dispatcher.getByRole('link', { name: 'Workbench' }).click();
		await expect(dispatcher).toHaveURL(`${baseURL}/staff`);
	} else await dispatcher.goto('/staff');
	const told = dispatcher
		.getByTestId('staff-notifications')
		.locator('li', { hasText: `${volunteer.name} was absent at ${inEnglish(post)}` });
	await expect(told.first()).toContainText('Absence found on a spot check');
	await expect(told.first().locator('.tag')).toHaveText('New');
	// Read once the list on screen has said so (the page's own request, which a reload could beat).
	await markedRead;
	await dispatcher.reload();
	await expect(told.first()).toBeVisible();
	await expect(told.locator('.tag')).toHaveCount(0);
	await dispatcher.close();
	await volunteer.page.context().close();
	await supervisor.close();
});

test('a leader logs visits from the phone; the weekly view flags fewer than 2', async ({
	browser
}) => {
	// A new staff account, named a leader by the admin.
	const admin = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await loginWithApi(admin.request, baseURL, demo.admin);
	const phone = uniquePhone();
	const name = `领导${Math.random().toString(36).slice(2, 7)}`;
	const made = await admin.request.post('/api/v1/admin/users', {
		data: { phone, password: 'leader-pass-1', name, role: 'dispatcher' },
		headers: { Origin: baseURL }
	});
	expect(made.status()).toBe(201);
	await open(admin, '/admin/duty/leaders');
	await admin.getByLabel('人员').selectOption({ label: `${name}（专班调度）` });
	await admin.getByLabel('职务').fill('副主任');
	await admin.getByRole('button', { name: '加入名单' }).click();
	await expect(admin.getByTestId('leader').filter({ hasText: name })).toBeVisible();

	const leader = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await loginWithForm(leader, phone, 'leader-pass-1', '/staff/duty/visits');
	await expect(leader.getByTestId('week-count')).toContainText('本周已走访 0 次');
	await leader.getByLabel('社区', { exact: true }).selectOption({ index: 1 });
	await leader.getByLabel('走访情况（可选）').fill('检查楼道堆物整治');
	await leader.getByRole('button', { name: '登记走访' }).click();
	await expect(leader.getByText('已登记。')).toBeVisible();
	await expect(leader.getByTestId('visit').filter({ hasText: '检查楼道堆物整治' })).toBeVisible();
	await expect(leader.getByTestId('week-count')).toContainText('本周已走访 1 次');

	const supervisor = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await loginWithForm(supervisor, demo.supervisor, undefined, '/staff/duty/visits/week');
	const row = supervisor.getByTestId('leader-row').filter({ hasText: name });
	await expect(row).toContainText('不足2次');
	await expect(row).toContainText('1');

	// A second visit this week meets the plan.
	await open(leader, '/staff/duty/visits');
	await leader.getByLabel('社区', { exact: true }).selectOption({ index: 0 });
	await leader.getByRole('button', { name: '登记走访' }).click();
	await expect(leader.getByTestId('week-count')).toContainText('本周已走访 2 次');
	await open(supervisor, '/staff/duty/visits/week');
	await expect(supervisor.getByTestId('leader-row').filter({ hasText: name })).toContainText(
		'达标'
	);
	// Someone not on the list has nothing to log.
	const other = await browser.newPage({ viewport: { width: 360, height: 740 } });
	await loginWithForm(other, demo.grid_worker, undefined, '/staff/duty/visits');
	await expect(other.getByTestId('not-leader')).toBeVisible();
	for (const page of [admin, leader, supervisor, other]) await page.close();
});

// A 1×1 PNG, as a phone's camera would hand over a file.
const tinyPng = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64'
);

test('a scan that the server took for signed out asks the volunteer to log in, and goes once they do', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'the offline queue needs JavaScript');
	const { post, volunteer, code, page } = await onCheckInPage(browser);
	await page.context().setOffline(true);
	await page.getByLabel('6位签到码').fill(code);
	await page.getByRole('button', { name: '签到', exact: true }).click();
	await expect(page.getByTestId('scans-waiting')).toContainText('1 条');
	// The session ends while the phone is offline (expired, or signed out elsewhere).
	await page.context().clearCookies();
	await page.context().setOffline(false);
	const signIn = page.getByTestId('sign-in-again');
	await expect(signIn).toContainText('登录已过期', { timeout: 20_000 });
	await expect(page.getByTestId('scans-waiting')).toContainText('1 条');

	await signIn.getByRole('link', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/login\?next=%2Fvolunteer%2Fcheckin/);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('手机号').fill(volunteer.phone);
	await page.getByLabel('密码').fill(VOLUNTEER_PASSWORD);
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page).toHaveURL(/\/volunteer\/checkin$/);
	await expect(page.getByTestId('scans-waiting')).toBeHidden({ timeout: 20_000 });
	await expect(signIn).toBeHidden();
	// The check-in counted: checking out now is taken, not refused as "not checked in".
	await page.getByLabel('6位签到码').fill(code);
	await page.getByRole('button', { name: '签退' }).click();
	await expect(page.getByText(new RegExp(`签退成功：${post}`))).toBeVisible();
	await page.context().close();
});

test('with no page of the app open, the service worker sends a queued scan on Background Sync', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'the service worker needs JavaScript');
	const { code, page } = await onCheckInPage(browser);
	await page.evaluate(async () => void (await navigator.serviceWorker.ready));
	// Chromium's DevTools protocol fires a sync event as the browser would once it sees a network.
	const devtools = await page.context().newCDPSession(page);
	const registrations: { registrationId: string; scopeURL: string }[] = [];
	devtools.on('ServiceWorker.workerRegistrationUpdated', (event) =>
		registrations.push(...event.registrations)
	);
	await devtools.send('ServiceWorker.enable');

	await page.context().setOffline(true);
	await page.getByLabel('6位签到码').fill(code);
	await page.getByRole('button', { name: '签到', exact: true }).click();
	await expect(page.getByTestId('scans-waiting')).toContainText('1 条');
	// No page of the app is left to send it: only the worker can.
	await page.goto('about:blank');
	await page.context().setOffline(false);
	const scope = `${baseURL}/`;
	await expect.poll(() => registrations.some((r) => r.scopeURL === scope)).toBe(true);
	const { registrationId } = registrations.find((r) => r.scopeURL === scope)!;
	await devtools.send('ServiceWorker.dispatchSyncEvent', {
		origin: baseURL,
		registrationId,
		tag: 'report-outbox',
		lastChance: false
	});
	// The check-in arrived: a check-out with the same code is taken, not "not checked in".
	await expect
		.poll(
			async () =>
				(
					await page.request.post('/api/v1/checkouts', {
						data: { code },
						headers: { Origin: baseURL }
					})
				).status(),
			{ timeout: 20_000 }
		)
		.toBeLessThan(300);
	await page.context().close();
});

test('a supervisor marks an absence with a photo while offline; it syncs when back online', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'the offline outbox needs JavaScript');
	const { volunteer } = await bookedVolunteer(browser, 2);

	const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
	const supervisor = await context.newPage();
	await loginWithForm(supervisor, demo.supervisor, undefined, '/staff/duty/supervision');
	const entry = () => supervisor.getByTestId('roster-entry').filter({ hasText: volunteer.name });
	await supervisor.waitForFunction(() => document.documentElement.dataset.outboxReady === '1');
	await context.setOffline(true);
	await entry()
		.getByLabel('现场照片（可选）')
		.setInputFiles({ name: 'post.png', mimeType: 'image/png', buffer: tinyPng });
	await entry().getByLabel('备注').fill('离岗未归');
	await entry()
		.getByRole('button', { name: `缺岗 ${volunteer.name}` })
		.click();
	await expect(entry().getByTestId('queued')).toBeVisible();
	await expect(supervisor.getByTestId('spot-check-waiting')).toContainText('1 条');

	await context.setOffline(false);
	await expect(supervisor.getByTestId('spot-check-waiting')).toBeHidden({ timeout: 30_000 });
	await open(supervisor, '/staff/duty/supervision');
	await expect(entry()).toContainText('已记录：缺岗');
	const photo = entry().getByRole('link', { name: '查看照片' });
	const response = await supervisor.request.get((await photo.getAttribute('href'))!);
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toBe('image/jpeg');
	expect((await response.body()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
	await volunteer.page.context().close();
	await context.close();
});

test('posts are listed without JavaScript and shown on the map with it', async ({ page }) => {
	await open(page, '/volunteer/posts');
	const listed = await page.locator('ul.posts > li').count();
	expect(listed).toBeGreaterThan(0);
	if (test.info().project.use.javaScriptEnabled) {
		await expect(page.getByTestId('posts-map')).toBeVisible();
		await expect.poll(() => postsOnMarkers(page)).toBe(listed);
	} else {
		await expect(page.getByTestId('posts-map')).toHaveCount(0);
	}
	// In English, posts with an English name go by it.
	await readIn(page, 'en');
	await open(page, '/volunteer/posts');
	await expect(
		page.locator('ul.posts > li strong', { hasText: 'Fanchang Road market' })
	).toHaveCount(1);
	await expect(page.locator('ul.posts > li strong', { hasText: '繁昌路菜市' })).toHaveCount(0);
});

/** How many posts the map's markers stand for: a group's marker counts all of its posts. */
async function postsOnMarkers(page: Page) {
	const counts = await page
		.locator('.jx-post')
		.evaluateAll((markers) => markers.map((m) => Number(m.getAttribute('data-posts'))));
	return counts.reduce((sum, n) => sum + n, 0);
}

test('posts too close to tell apart at a low zoom share one marker that lists them', async ({
	page
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'the map needs JavaScript');
	await open(page, '/volunteer/posts');
	const listed = await page.locator('ul.posts > li').count();
	const names = await page.locator('ul.posts > li > strong').allTextContents();
	await expect.poll(() => postsOnMarkers(page)).toBe(listed);
	const groups = page.locator('.jx-post-group');
	const zoomOut = page.getByRole('button', { name: 'Zoom out' });
	for (let i = 0; i < 6 && (await groups.count()) === 0; i++) {
		await zoomOut.click();
		await page.waitForTimeout(400);
	}
	await expect(groups.first()).toBeVisible();
	// Markers are drawn again at the end of each zoom: wait until the last one is over.
	await expect(page.locator('.leaflet-zoom-anim')).toHaveCount(0);
	await page.waitForTimeout(300);
	// Every post is still on the map, inside a group or alone.
	await expect.poll(() => postsOnMarkers(page)).toBe(listed);
	const markersZoomedOut = await page.locator('.jx-post').count();
	expect(markersZoomedOut).toBeLessThan(listed);

	// The group opens from the keyboard and lists its posts, each with its shifts.
	const group = groups.first();
	const size = Number(await group.getAttribute('data-posts'));
	expect(size).toBeGreaterThan(1);
	await expect(group).toHaveText(String(size));
	await expect(group).toHaveAttribute('title', `此处 ${size} 个岗点`);
	await group.focus();
	await page.keyboard.press('Enter');
	const popup = page.locator('.leaflet-popup-content');
	await expect(popup.locator('li')).toHaveCount(size);
	for (const name of await popup.locator('li span').allTextContents())
		expect(names).toContain(name);
	await expect(popup.getByRole('link', { name: '可预约时段' })).toHaveCount(size);
	// Focus moves into the popup, and back to its marker when Escape closes it.
	await expect(popup.getByRole('link', { name: '可预约时段' }).first()).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(popup).toHaveCount(0);
	await expect(group).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(popup.locator('li')).toHaveCount(size);

	// Zooming in on the group parts its posts again.
	await popup.getByRole('button', { name: '放大查看' }).click();
	await expect.poll(() => page.locator('.jx-post').count()).toBeGreaterThan(markersZoomedOut);
	await expect.poll(() => postsOnMarkers(page)).toBe(listed);
});

test('over HTTP: an overlapping booking gets 409 overlap, one not yet open 409 closed, a forged code 400', async ({
	browser
}) => {
	test.skip(!test.info().project.use.javaScriptEnabled, 'HTTP only: one project is enough');
	const first = await newPostWithShift(browser, 2);
	// Sign-up opens one hour before each start: today's shift is open, tomorrow's is not yet.
	const second = await newPostWithShift(browser, 2, 1);
	const volunteer = await newVolunteer(browser);
	const api = volunteer.page.request;
	const list = await api.get(`/api/v1/shifts?from=${today()}`);
	expect(list.status()).toBe(200);
	const shifts = (await list.json()) as {
		id: string;
		post: { name: string; nameEn: string | null };
		startsAt: string;
	}[];
	const of = (name: string) => shifts.filter((s) => s.post.name === name);
	expect(of(first)[0].post.nameEn).toBe(inEnglish(first));
	const book = (id: string) =>
		api.post(`/api/v1/shifts/${id}/bookings`, {
			headers: { Origin: baseURL, 'Idempotency-Key': crypto.randomUUID() }
		});
	const booked = await book(of(first)[0].id);
	expect(booked.status()).toBe(201);
	expect((await booked.json()).status).toBe('booked');
	const overlapping = await book(of(second)[0].id);
	expect(overlapping.status()).toBe(409);
	expect((await overlapping.json()).error.code).toBe('overlap');
	const early = await book(of(second)[1].id);
	expect(early.status()).toBe(409);
	expect((await early.json()).error.code).toBe('closed');
	// A made-up code at the post is refused, and nothing is checked in.
	const forged = await api.post('/api/v1/checkins', {
		data: { code: '000000' },
		headers: { Origin: baseURL }
	});
	expect(forged.status()).toBe(400);
	expect((await forged.json()).error.code).toBe('invalid_code');
	await volunteer.page.context().close();
});
