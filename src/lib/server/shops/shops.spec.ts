import { eq } from 'drizzle-orm';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt } from '../crypto';
import type { Database } from '../db';
import { shops } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { getPublicShop, getShop, importShops, listShops, saveShop, ShopProblem } from './shops';
import { decodeCsv, parseCsv, parseXlsx } from './tabular';
import { importHeaders } from '$lib/domain/shops';
import { m } from '$lib/paraglide/messages.js';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

describe('CSV parsing', () => {
	it('handles quotes, doubled quotes, CRLF and line breaks inside fields', () => {
		const rows = parseCsv(
			'\uFEFF名称,地址\r\n"甲,店","和平路""1""号"\r\n\r\n"乙\n店",茂林路2号\n丙店,繁昌路3号'
		);
		expect(rows).toEqual([
			{ line: 1, cells: ['名称', '地址'] },
			{ line: 2, cells: ['甲,店', '和平路"1"号'] },
			{ line: 4, cells: ['乙\n店', '茂林路2号'] },
			{ line: 6, cells: ['丙店', '繁昌路3号'] }
		]);
	});

	it('reads UTF-8 and GB18030 bytes', () => {
		expect(decodeCsv(new TextEncoder().encode('名称'))).toBe('名称');
		// "名称" in GBK.
		expect(decodeCsv(new Uint8Array([0xc3, 0xfb, 0xb3, 0xc6]))).toBe('名称');
	});
});

describe('shop registry', () => {
	it('imports good rows and reports each bad row by line', async () => {
		const csv = [
			'名称,地址,社区,纬度,经度,负责人,联系电话,市容,环境卫生,秩序',
			'导入甲店,和平路1号,heping,31.86,117.30,张三,13912345678,无乱堆放,门前清扫,不占道',
			',和平路2号,heping,,,,,,,',
			'导入乙店,和平路3号,不存在社区,,,,,,,',
			'导入丙店,和平路4号,茂林社区,31.86,,,,,,',
			'导入丁店,和平路5号,,,,李四,abc,,,',
			'导入甲店,和平路1号,,,,,,,,',
			'导入戊店,和平路6号,maolin,,,,0551-1234567,,,'
		].join('\n');
		const report = await importShops(database.db, parseCsv(csv));
		expect(report.imported).toBe(2);
		expect(report.errors).toEqual([
			{ line: 3, fields: { name: 'required' } },
			{ line: 4, fields: { community: 'shops_community' } },
			{ line: 5, fields: { lng: 'shops_coordinate' } },
			{ line: 6, fields: { ownerContact: 'shops_contact' } },
			{ line: 7, fields: { name: 'shops_duplicate' } }
		]);
		const [stored] = await database.db.select().from(shops).where(eq(shops.name, '导入甲店'));
		expect(stored.ownerContactEncrypted).not.toContain('13912345678');
		expect(decrypt(stored.ownerContactEncrypted!, 'shop-owner-contact')).toBe('13912345678');
		expect(stored.dutyNotes).toEqual({
			appearance: '无乱堆放',
			sanitation: '门前清扫',
			order: '不占道'
		});
		const listed = await listShops(database.db, { q: '导入甲' });
		expect(listed).toEqual([
			expect.objectContaining({
				name: '导入甲店',
				ownerContact: '139****5678',
				communityCode: 'heping',
				// Both names, for the English list.
				community: '和平社区',
				communityEn: expect.stringMatching(/^[ -~]+$/)
			})
		]);
		const publicView = await getPublicShop(database.db, stored.id);
		expect(JSON.stringify(publicView)).not.toMatch(/张三|1391/);
	});

	it('refuses a file without name and address columns', async () => {
		const report = await importShops(database.db, parseCsv('店,位置\n甲,乙'));
		expect(report).toEqual({ imported: 0, errors: [{ line: 1, fields: { _: 'shops_headers' } }] });
	});

	it('takes every header the help names, in English as in Chinese', () => {
		const named = [
			...m.shops_import_hint({}, { locale: 'en' }).matchAll(/(\w+) \(([\u4e00-\u9fff]+)\)/g)
		];
		expect(named).toHaveLength(10);
		for (const [, english, chinese] of named) {
			expect(importHeaders[english], english).toBeDefined();
			expect(importHeaders[english]).toBe(importHeaders[chinese]);
		}
		const chineseHelp = m.shops_import_hint({}, { locale: 'zh-CN' }).split('：')[1].split('、');
		expect(chineseHelp.map((header) => importHeaders[header])).toEqual(
			named.map(([, english]) => importHeaders[english])
		);
	});

	it('imports an XLSX sheet with line numbers', async () => {
		const data = [
			[{ value: '名称' }, { value: '地址' }, { value: '纬度' }, { value: '经度' }],
			[{ value: '表格甲店' }, { value: '铜陵路1号' }, { value: 31.86 }, { value: 117.31 }],
			[{ value: '表格乙店' }, null, null, null],
			[{ value: '表格丙店' }, { value: '铜陵路3号' }, null, null]
		];
		const buffer = (await writeXlsxFile(data).toBuffer()) as Buffer;
		const rows = await parseXlsx(buffer);
		expect(rows[1]).toEqual({ line: 2, cells: ['表格甲店', '铜陵路1号', '31.86', '117.31'] });
		const report = await importShops(database.db, rows);
		expect(report).toEqual({ imported: 2, errors: [{ line: 3, fields: { address: 'required' } }] });
	});

	it('keeps the stored contact when an edit leaves it blank, and refuses a clash', async () => {
		const { db } = database;
		const base = {
			name: '编辑店',
			address: '和平路9号',
			community: '',
			lat: null,
			lng: null,
			ownerName: '',
			ownerContact: '13700001111',
			appearance: '',
			sanitation: '',
			order: ''
		};
		const id = await saveShop(db, null, base);
		await saveShop(db, id, { ...base, ownerContact: '', order: '不占道' });
		const shop = await getShop(db, id);
		expect(shop).toMatchObject({ ownerContact: '137****1111', dutyNotes: { order: '不占道' } });
		const other = await saveShop(db, null, { ...base, name: '编辑店二' });
		await expect(saveShop(db, other, base)).rejects.toBeInstanceOf(ShopProblem);
	});
});
