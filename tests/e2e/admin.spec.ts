import { expect, test } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { demo, loginWithApi, loginWithForm, uniquePhone, readIn } from './helpers';

test('an admin changes a category’s department, deadline and urgent flag, and the API reflects it', async ({
	page,
	request
}) => {
	await loginWithForm(page, demo.admin, undefined, '/admin/categories');
	const row = page.locator('li', { has: page.getByText('小广告', { exact: true }) });
	await row.locator('summary').click();
	await row.getByLabel('默认责任部门').selectOption('city-management');
	await row.getByLabel('处置时限（工作小时）').fill('48');
	await row.getByLabel('紧急（119 提示）').check();
	await row.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	const list = await (await request.get('/api/v1/categories')).json();
	expect(list.find((c: { code: string }) => c.code === 'small-ads')).toMatchObject({
		department: 'city-management',
		urgent: true
	});
	// Put it back for other tests.
	const again = page.locator('li', { has: page.getByText('小广告', { exact: true }) });
	await again.locator('summary').click();
	await again.getByLabel('默认责任部门').selectOption('property');
	await again.getByLabel('紧急（119 提示）').uncheck();
	await again.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
});

test('an admin names a grid in English, and the English queue filter offers it by that name', async ({
	browser
}) => {
	const page = await browser.newPage();
	await loginWithForm(page, demo.admin, undefined, '/admin/communities');
	const heping = page.locator('li', { has: page.locator('summary', { hasText: '和平社区' }) });
	const english = heping.getByLabel('英文名称').nth(1); // the community's own comes first
	const rename = async (name: string) => {
		await english.fill(name);
		await english.press('Enter');
		await expect(page.getByText('已保存')).toBeVisible();
	};
	await heping.locator('summary').click();
	const before = await english.inputValue();
	expect(before).toMatch(/^Heping (north )?grid \d+$/);
	// A name of its own each run, so a retry after a failure does not find the last run's name.
	const name = `Heping north grid ${Date.now() % 1000}`;
	try {
		await rename(name);
		await readIn(page, 'en');
		await page.goto('/staff/queue');
		await expect(page.locator('select#f-grid option', { hasText: name })).toHaveCount(1);
		expect(await page.locator('select#f-grid').textContent()).not.toMatch(/\p{Script=Han}/u);
	} finally {
		// Put it back for other tests.
		await readIn(page, 'zh-CN');
		await page.goto('/admin/communities');
		await heping.locator('summary').click();
		await rename(before);
		await page.context().close();
	}
});

test('a bad deadline is refused with the typed values kept', async ({ page }) => {
	await loginWithForm(page, demo.admin, undefined, '/admin/categories');
	const row = page.locator('li', { has: page.getByText('陈年垃圾', { exact: true }) });
	await row.locator('summary').click();
	await row.getByLabel('英文名称').fill('Old rubbish (edited)');
	await row.getByLabel('处置时限（工作小时）').evaluate((el: HTMLInputElement) => {
		el.removeAttribute('min');
		el.value = '0';
	});
	await row.getByRole('button', { name: '保存' }).click();
	await expect(page.getByRole('alert')).toContainText('请检查标出的内容');
	const reopened = page.locator('details[open]');
	await expect(reopened.getByLabel('英文名称')).toHaveValue('Old rubbish (edited)');
	await expect(reopened.getByText('请输入有效数字')).toBeVisible();
});

test('an admin creates a staff account that can then log in, and disabling it ends its session', async ({
	page,
	playwright
}) => {
	const phone = uniquePhone();
	await loginWithForm(page, demo.admin, undefined, '/admin/users');
	await page.locator('summary', { hasText: '新增' }).click();
	const form = page.locator('details[open] form');
	await form.getByLabel('姓名').fill('新办事员');
	await form.getByLabel('手机号').fill(phone);
	await form.getByLabel('角色').selectOption('handler');
	await form.getByLabel('责任部门').selectOption('market-supervision');
	await form.getByLabel('密码').fill('handler-password');
	await form.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();

	const staff = await playwright.request.newContext({ baseURL });
	await loginWithApi(staff, baseURL, phone, 'handler-password');
	expect(await (await staff.get('/api/v1/me')).json()).toMatchObject({
		role: 'handler',
		department: 'market-supervision'
	});

	await page.goto(`/admin/users?q=${phone}`);
	const row = page.locator('li', { hasText: phone });
	await row.locator('summary').click();
	await row.getByLabel('停用').check();
	await row.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	expect((await staff.get('/api/v1/me')).status()).toBe(401);
	await staff.dispose();
});

test('POST /api/v1/admin/users: admin only, 201 with the user', async ({ playwright }) => {
	const admin = await playwright.request.newContext({ baseURL });
	await loginWithApi(admin, baseURL, demo.admin);
	const phone = uniquePhone();
	const created = await admin.post('/api/v1/admin/users', {
		data: {
			phone,
			password: 'grid-password',
			name: '网格员乙',
			role: 'grid_worker',
			community: 'maolin'
		},
		headers: { Origin: baseURL }
	});
	expect(created.status()).toBe(201);
	expect((await created.json()).user).toMatchObject({ role: 'grid_worker', community: 'maolin' });
	const duplicate = await admin.post('/api/v1/admin/users', {
		data: { phone, password: 'grid-password', name: 'x', role: 'grid_worker' },
		headers: { Origin: baseURL }
	});
	expect(duplicate.status()).toBe(409);
	const badCommunity = await admin.post('/api/v1/admin/users', {
		data: {
			phone: uniquePhone(),
			password: 'grid-password',
			name: 'x',
			role: 'grid_worker',
			community: 'nowhere'
		},
		headers: { Origin: baseURL }
	});
	expect(badCommunity.status()).toBe(400);
	expect((await badCommunity.json()).error.fields).toHaveProperty('community');
	await admin.dispose();
});
