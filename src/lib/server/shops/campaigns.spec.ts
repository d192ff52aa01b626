import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import exifr from 'exifr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalDate } from '$lib/domain/local-time';
import { isTrackingCode } from '$lib/domain/reporting';
import type { Database } from '../db';
import { departments, inspections, reportEvents, reportPhotos, reports, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { LocalPhotoStore, PhotoError, storePhoto } from '../reports/photos';
import { jpegWithGps } from '../reports/testing';
import {
	campaignDetail,
	CampaignProblem,
	createCampaign,
	inspectionPhotoKey,
	recordInspection
} from './campaigns';
import { recordInspectionWithPhoto } from './photo';
import { saveShop } from './shops';

let database: Database;
let inspector: { id: string };
const labels = { appearance: '市容', sanitation: '环境卫生', order: '秩序' };
const blank = {
	community: 'fanchang',
	lat: 31.855,
	lng: 117.3,
	ownerName: '',
	ownerContact: '',
	appearance: '',
	sanitation: '',
	order: ''
};
let shopA: string;
let shopB: string;
let shopC: string;
let uploads: string;
let store: LocalPhotoStore;

beforeAll(async () => {
	uploads = await mkdtemp(join(tmpdir(), 'jx-inspections-'));
	store = new LocalPhotoStore(uploads);
	database = await openTestDatabase();
	[inspector] = await database.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.phone, '13800000004'));
	shopA = await saveShop(database.db, null, { ...blank, name: '查处甲', address: '繁昌路1号' });
	shopB = await saveShop(database.db, null, { ...blank, name: '查处乙', address: '繁昌路2号' });
	shopC = await saveShop(database.db, null, {
		...blank,
		community: 'maolin',
		name: '查处丙',
		address: '茂林路1号'
	});
});
afterAll(async () => {
	await database.close();
	await rm(uploads, { recursive: true, force: true });
});
const storedFiles = async () =>
	(await readdir(uploads, { recursive: true })).filter((f) => f.endsWith('.jpg'));

const today = toLocalDate(new Date());
const pass = { appearance: 'pass', sanitation: 'pass', order: 'pass' } as const;

describe('inspection campaigns', () => {
	it('takes the shops of the chosen communities, or the listed shops', async () => {
		const { db } = database;
		const byCommunity = await createCampaign(
			db,
			{
				name: '繁昌整治',
				startsOn: today,
				endsOn: today,
				by: 'community',
				communities: ['fanchang'],
				shops: []
			},
			inspector
		);
		const detail = await campaignDetail(db, byCommunity);
		expect(detail!.shops.map((s) => s.name).sort()).toEqual(['查处乙', '查处甲']);
		const byList = await createCampaign(
			db,
			{ name: '点名', startsOn: today, endsOn: today, by: 'list', communities: [], shops: [shopC] },
			inspector
		);
		expect((await campaignDetail(db, byList))!.shops.map((s) => s.name)).toEqual(['查处丙']);
		await expect(
			createCampaign(
				db,
				{
					name: '空',
					startsOn: today,
					endsOn: today,
					by: 'community',
					communities: ['nowhere'],
					shops: []
				},
				inspector
			)
		).rejects.toBeInstanceOf(CampaignProblem);
	});

	it('opens a dispatched, linked case on a failure, once per clientId, and counts progress', async () => {
		const { db } = database;
		const id = await createCampaign(
			db,
			{
				name: '门前三包集中查处',
				startsOn: today,
				endsOn: today,
				by: 'community',
				communities: ['fanchang'],
				shops: []
			},
			inspector
		);
		const passed = await recordInspection(
			db,
			id,
			{
				clientId: crypto.randomUUID(),
				shopId: shopA,
				inspectedAt: new Date(),
				...pass,
				note: '',
				photo: null
			},
			labels,
			inspector
		);
		expect(passed.case).toBeNull();
		await expect(
			recordInspection(
				db,
				id,
				{
					clientId: crypto.randomUUID(),
					shopId: shopB,
					inspectedAt: new Date(),
					...pass,
					order: 'fail',
					note: '',
					photo: null
				},
				labels,
				inspector
			)
		).rejects.toMatchObject({
			code: 'invalid_input',
			fields: { photo: 'campaign_photo_required' }
		});
		const clientId = crypto.randomUUID();
		const failing = {
			clientId,
			shopId: shopB,
			inspectedAt: new Date(),
			...pass,
			order: 'fail' as const,
			appearance: 'fail' as const,
			note: '占道堆物',
			photo: await storePhoto(await jpegWithGps(64, 48), store)
		};
		const first = await recordInspection(db, id, failing, labels, inspector);
		const again = await recordInspection(db, id, failing, labels, inspector);
		expect(again).toEqual({ ...first, replayed: true });
		// The same kind of tracking code as residents' reports, so the public page finds it.
		expect(isTrackingCode(first.case!.trackingCode)).toBe(true);
		const [report] = await db.select().from(reports).where(eq(reports.id, first.case!.id));
		const [cityManagement] = await db
			.select()
			.from(departments)
			.where(eq(departments.code, 'city-management'));
		expect(report).toMatchObject({
			stage: 'dispatched',
			departmentId: cityManagement.id,
			address: '繁昌路2号',
			description: '【集中查处·门前三包集中查处】查处乙：市容不合格、秩序不合格。占道堆物'
		});
		expect(report.dueAt!.getTime()).toBeGreaterThan(Date.now());
		// The inspector's photo is the case's staff-only "before" photo.
		expect(
			await db.select().from(reportPhotos).where(eq(reportPhotos.reportId, report.id))
		).toEqual([
			expect.objectContaining({
				kind: 'before',
				public: false,
				storageKey: failing.photo.storageKey
			})
		]);
		const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, report.id));
		expect(events).toEqual([
			expect.objectContaining({
				action: 'dispatch',
				toStage: 'dispatched',
				actorUserId: inspector.id
			})
		]);

		let detail = await campaignDetail(db, id);
		expect(detail!.progress).toEqual({ shops: 2, inspected: 2, passed: 1, failed: 1, fixed: 0 });
		expect(detail!.shops.find((s) => s.id === shopB)!.cases).toEqual([
			expect.objectContaining({ trackingCode: report.trackingCode, department: 'city-management' })
		]);
		await db.update(reports).set({ stage: 'handled' }).where(eq(reports.id, report.id));
		detail = await campaignDetail(db, id);
		expect(detail!.progress.fixed).toBe(1);
	});

	it('refuses shops outside the campaign and days outside its range', async () => {
		const { db } = database;
		const id = await createCampaign(
			db,
			{
				name: '限期',
				startsOn: '2020-01-01',
				endsOn: '2020-01-31',
				by: 'list',
				communities: [],
				shops: [shopA]
			},
			inspector
		);
		const base = {
			clientId: crypto.randomUUID(),
			inspectedAt: new Date(),
			...pass,
			note: '',
			photo: null
		};
		await expect(
			recordInspection(db, id, { ...base, shopId: shopC }, labels, inspector)
		).rejects.toMatchObject({ status: 404 });
		await expect(
			recordInspection(db, id, { ...base, shopId: shopA }, labels, inspector)
		).rejects.toMatchObject({
			status: 409,
			code: 'campaign_closed'
		});
	});

	it('keeps inspection photos in the shared store through the photo pipeline', async () => {
		const { db } = database;
		const id = await createCampaign(
			db,
			{ name: '拍照', startsOn: today, endsOn: today, by: 'list', communities: [], shops: [shopA] },
			inspector
		);
		const before = await storedFiles();
		const input = {
			clientId: crypto.randomUUID(),
			shopId: shopA,
			inspectedAt: new Date(),
			...pass,
			sanitation: 'fail' as const,
			note: ''
		};
		// Not an image: 415, and nothing is kept.
		await expect(
			recordInspectionWithPhoto(
				db,
				id,
				input,
				new TextEncoder().encode('GIF89a? no, text'),
				inspector,
				store
			)
		).rejects.toMatchObject({ status: 415, code: 'photo_type' });
		const huge = new Uint8Array(11 * 1024 * 1024);
		huge.set([0xff, 0xd8, 0xff]);
		await expect(
			recordInspectionWithPhoto(db, id, input, huge, inspector, store)
		).rejects.toBeInstanceOf(PhotoError);
		expect(await storedFiles()).toEqual(before);

		const photo = await jpegWithGps(640, 480);
		const first = await recordInspectionWithPhoto(db, id, input, photo, inspector, store);
		const key = (await inspectionPhotoKey(db, first.id))!;
		expect(key).toMatch(/^photos\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
		const stored = (await store.get(key))!;
		expect(await exifr.parse(stored)).toBeUndefined();
		// A replayed sync stores nothing more; a refused inspection keeps no file either.
		const again = await recordInspectionWithPhoto(db, id, input, photo, inspector, store);
		expect(again).toEqual({ ...first, replayed: true });
		await expect(
			recordInspectionWithPhoto(
				db,
				id,
				{ ...input, clientId: crypto.randomUUID(), shopId: shopC },
				photo,
				inspector,
				store
			)
		).rejects.toMatchObject({ status: 404 });
		expect((await storedFiles()).length).toBe(before.length + 1);
		const [row] = await db.select().from(inspections).where(eq(inspections.id, first.id));
		expect(row.photoKey).toBe(key);
	});
});
