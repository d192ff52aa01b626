import { expect, test } from '@playwright/test';
import { demo, loginWithForm } from './helpers';

test('an admin adds a property company and a compound, marks it 无水小区, and staff see it listed', async ({
	page,
	browser,
	javaScriptEnabled
}) => {
	const stamp = Date.now() % 1e6;
	const company = `测试物业${stamp}`;
	const compound = `无水花园${stamp}`;
	await loginWithForm(page, demo.admin, undefined, '/admin/property-companies');
	const addCompany = page.locator('li', { has: page.getByText('新增', { exact: true }) });
	await addCompany.locator('summary').click();
	await addCompany.getByLabel('名称').fill(company);
	await addCompany.getByLabel('联系人').fill('钱经理');
	await addCompany.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	// The same name again is refused, with the typed value kept.
	const again = page.locator('li', { has: page.getByText('新增', { exact: true }) });
	await again.locator('summary').click();
	await again.getByLabel('名称').fill(company);
	await again.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('该名称已存在。')).toBeVisible();
	await expect(
		page.locator('li', { has: page.getByText('新增', { exact: true }) }).getByLabel('名称')
	).toHaveValue(company);

	await page.goto('/admin/compounds');
	const add = page.locator('li', { has: page.getByText('新增', { exact: true }) });
	await add.locator('summary').click();
	await add.getByLabel('编码').fill(`dry-${stamp}`);
	await add.getByLabel('名称').fill(compound);
	await add.getByLabel('所属社区').selectOption('heping');
	await add.getByLabel('物业公司').selectOption({ label: company });
	await add.getByRole('button', { name: '保存' }).click();
	await expect(page.getByText('已保存')).toBeVisible();

	const row = page.locator('li', { has: page.getByText(compound, { exact: true }) });
	await row.locator('summary').click();
	await row.getByLabel('消防栓无水').check();
	await row.getByLabel('情况说明').fill('2号栓无水压');
	await row.getByRole('button', { name: '记录检查' }).click();
	await expect(page.getByText('已保存')).toBeVisible();
	await expect(
		page.locator('li', { has: page.getByText(compound, { exact: true }) }).locator('summary')
	).toContainText('无水小区');

	// A grid worker of 和平社区 sees it on the staff list.
	const context = await browser.newContext({ javaScriptEnabled });
	const staff = await context.newPage();
	await loginWithForm(staff, demo.grid_worker, undefined, '/staff/compounds');
	const listed = staff.getByRole('row', { name: new RegExp(compound) });
	await expect(listed).toContainText(company);
	await expect(listed).toContainText('2号栓无水压');
	await context.close();
});
