import { eq, sql } from 'drizzle-orm';
import exifr from 'exifr';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrackingCode } from '$lib/domain/reporting';
import type { Database } from '../db';
import {
	categories,
	communities,
	compounds,
	grids,
	reportEvents,
	reportFollowers,
	reportPhotoUploads,
	reportPhotos,
	reports,
	shopReports,
	shops,
	users
} from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { deviceReportLimit, ReportError, submitReport, type Submission } from './intake';
import {
	admitPhoto,
	LocalPhotoStore,
	MAX_INPUT_PIXELS,
	processPhoto,
	PhotoError,
	sniffImageType
} from './photos';
import {
	listPublicReports,
	nearbyOpenReports,
	publicMapPoints,
	publicPhoto,
	publicReport
} from './public';
import {
	feedbackState,
	isReporter,
	meToo,
	myReports,
	rateReport,
	reopenReport,
	reporterPhoneForStaff
} from './reporter';
import { decryptPhone, encryptPhone, newDeviceId, reporterToken } from './secrets';
import { jpegWithGps, plainPng } from './testing';
import { finishPendingPhotos } from './photo-finishing';

let database: Database;
let uploadDir: string;
let store: LocalPhotoStore;
beforeAll(async () => {
	database = await openTestDatabase();
	uploadDir = mkdtempSync(join(tmpdir(), 'jx-photos-'));
	store = new LocalPhotoStore(uploadDir);
});
afterAll(async () => {
	await database.close();
	rmSync(uploadDir, { recursive: true, force: true });
});

/** Takes a report, then finishes its photos as the job does after the answer. */
async function submitAndFinish(db: Database['db'], input: Submission, photoStore = store) {
	const result = await submitReport(db, input, photoStore);
	await finishPendingPhotos(db, photoStore);
	return result;
}

let address = 0;
/** A submission from a fresh device and client address, so rate limits stay out of the way. */
function submission(fields: Record<string, string>, extra: Partial<Submission> = {}): Submission {
	return {
		fields,
		getAll: (name) => (fields[name] !== undefined ? [fields[name]] : []),
		photos: [],
		idempotencyKey: crypto.randomUUID(),
		reporter: { userId: null, deviceId: newDeviceId(), clientAddress: `10.1.0.${++address}` },
		...extra
	};
}
// Inside 繁昌社区 (south-west), its second grid and its first compound (see seed/demo.ts).
const FANCHANG = { lat: '31.8540', lng: '117.2935' };

async function errorOf(promise: Promise<unknown>): Promise<ReportError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof ReportError) return error;
		throw error;
	}
	throw new Error('expected a ReportError');
}

describe('intake', () => {
	it('resolves community, grid and compound from the point and keeps the phone only encrypted', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({
				category: 'street-cleaning',
				description: '路面有垃圾',
				...FANCHANG,
				accuracy: '12',
				phone: '13912345678',
				address: '繁昌路12号'
			}),
			store
		);
		expect(isTrackingCode(report.trackingCode)).toBe(true);
		expect(report).toMatchObject({ stage: 'submitted', status: 'open', outsideArea: false });
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		const [community] = await db
			.select()
			.from(communities)
			.where(eq(communities.id, row.communityId!));
		const [grid] = await db.select().from(grids).where(eq(grids.id, row.gridId!));
		const [compound] = await db.select().from(compounds).where(eq(compounds.id, row.compoundId!));
		expect([community.code, grid.code, compound.code]).toEqual([
			'fanchang',
			'fanchang-2',
			'fanchang-1'
		]);
		expect(row.accuracyM).toBe(12);
		expect(row.priority).toBe('normal');
		expect(row.reporterPhoneEncrypted).not.toContain('13912345678');
		expect(decryptPhone(row.reporterPhoneEncrypted!)).toBe('13912345678');
		const events = await db.select().from(reportEvents).where(eq(reportEvents.reportId, report.id));
		expect(events.map((e) => [e.action, e.toStage])).toEqual([['submit', 'submitted']]);
	});

	it('flags a point outside the subdistrict for triage and keeps it', async () => {
		const { report } = await submitReport(
			database.db,
			submission({ category: 'street-cleaning', lat: '31.80', lng: '117.20', community: 'heping' }),
			store
		);
		expect(report.outsideArea).toBe(true);
		const [row] = await database.db.select().from(reports).where(eq(reports.id, report.id));
		expect([row.lat, row.lng, row.outsideArea]).toEqual([31.8, 117.2, true]);
	});

	it('takes a community and an address with no point at all', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({ category: 'small-ads', community: 'maolin', address: '茂林路3号门口' }),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		const [community] = await db.select().from(communities).where(eq(communities.code, 'maolin'));
		expect([row.lat, row.communityId, row.address]).toEqual([null, community.id, '茂林路3号门口']);
	});

	it('refuses missing location, unknown category, a bad phone and missing required answers, field by field', async () => {
		const { db } = database;
		const noPlace = await errorOf(
			submitReport(db, submission({ category: 'street-cleaning' }), store)
		);
		expect([noPlace.status, noPlace.fields]).toEqual([400, { address: 'location' }]);
		const half = await errorOf(
			submitReport(db, submission({ category: 'street-cleaning', lat: '31.85' }), store)
		);
		expect(half.fields).toMatchObject({ lat: 'location' });
		const unknown = await errorOf(
			submitReport(db, submission({ category: 'no-such', ...FANCHANG }), store)
		);
		expect(unknown.fields).toEqual({ category: 'choice' });
		const phone = await errorOf(
			submitReport(
				db,
				submission({ category: 'street-cleaning', ...FANCHANG, phone: '12345' }),
				store
			)
		);
		expect(phone.fields).toEqual({ phone: 'phone' });
		const answers = await errorOf(
			submitReport(db, submission({ category: 'flying-lead-charging', ...FANCHANG }), store)
		);
		expect(answers.fields).toEqual({ q_charging_now: 'required' });
		const wrongChoice = await errorOf(
			submitReport(
				db,
				submission({ category: 'flying-lead-charging', ...FANCHANG, q_charging_now: 'maybe' }),
				store
			)
		);
		expect(wrongChoice.fields).toEqual({ q_charging_now: 'choice' });
		const community = await errorOf(
			submitReport(
				db,
				submission({ category: 'small-ads', community: 'atlantis', address: 'x' }),
				store
			)
		);
		expect(community.fields).toEqual({ community: 'choice' });
	});

	it('gives urgent categories urgent priority and the shorter deadline', async () => {
		const { db } = database;
		const before = Date.now();
		const { report } = await submitReport(
			db,
			submission({
				category: 'flying-lead-charging',
				...FANCHANG,
				q_charging_now: 'yes',
				q_floor: '3栋2楼'
			}),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		const [category] = await db
			.select()
			.from(categories)
			.where(eq(categories.code, 'flying-lead-charging'));
		expect(row.priority).toBe('urgent');
		expect(row.answers).toEqual({ charging_now: 'yes', floor: '3栋2楼' });
		expect(row.departmentId).toBe(category.departmentId);
		const hours = (row.dueAt!.getTime() - before) / 3_600_000;
		expect(hours).toBeGreaterThan(category.urgentDeadlineHours - 0.1);
		expect(hours).toBeLessThan(category.urgentDeadlineHours + 0.1);
	});
});

describe('answers, description and shops', () => {
	it('drops NUL characters from answers, and checks their types against the questions', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({
				category: 'flying-lead-charging',
				...FANCHANG,
				q_charging_now: 'y\u0000es',
				q_floor: '\u00003栋'
			}),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.answers).toEqual({ charging_now: 'yes', floor: '3栋' });

		const twoChoices = await errorOf(
			submitReport(
				db,
				submission(
					{ category: 'flying-lead-charging', ...FANCHANG },
					{
						getAll: (name) => (name === 'q_charging_now' ? ['yes', 'no'] : [])
					}
				),
				store
			)
		);
		expect([twoChoices.status, twoChoices.fields]).toEqual([400, { q_charging_now: 'choice' }]);
		const longFloor = await errorOf(
			submitReport(
				db,
				submission({
					category: 'flying-lead-charging',
					...FANCHANG,
					q_charging_now: 'yes',
					q_floor: '楼'.repeat(201)
				}),
				store
			)
		);
		expect(longFloor.fields).toEqual({ q_floor: 'too_long' });
	});

	it("reads the form's per-category answer fields, and never another category's", async () => {
		const { db } = database;
		const fields = {
			category: 'ebike-indoor',
			...FANCHANG,
			// The no-JS form posts every category's inputs; only the chosen category's count.
			'flying-lead-charging.q_charging_now': 'no',
			'flying-lead-charging.q_floor': '1栋',
			'ebike-indoor.q_charging_now': 'yes',
			'ebike-indoor.q_floor': '',
			'corridor-clutter.q_floor': '9栋'
		};
		const { report } = await submitReport(db, submission(fields), store);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.answers).toEqual({ charging_now: 'yes' });
	});

	it('takes descriptions up to the shared 4000-character limit of every intake path', async () => {
		const { db } = database;
		const long = '描'.repeat(4000);
		const { report } = await submitReport(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG, description: long }),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.description).toBe(long);
		const tooLong = await errorOf(
			submitReport(
				db,
				submission({ category: 'street-cleaning', ...FANCHANG, description: `${long}多` }),
				store
			)
		);
		expect([tooLong.status, tooLong.fields]).toEqual([400, { description: 'too_long' }]);
	});

	it("links a report from a shop's duty card to the shop, taking its place when none is given", async () => {
		const { db } = database;
		const [community] = await db
			.select({ id: communities.id })
			.from(communities)
			.where(eq(communities.code, 'maolin'));
		const [shop] = await db
			.insert(shops)
			.values({ name: '测试小吃店', address: '茂林路 9 号', communityId: community.id })
			.returning({ id: shops.id });
		const { report } = await submitReport(
			db,
			submission({ category: 'shopfront-duties', shop: shop.id, description: '门前堆物' }),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect([row.communityId, row.address]).toEqual([community.id, '茂林路 9 号']);
		const links = await db.select().from(shopReports).where(eq(shopReports.reportId, report.id));
		expect(links.map((l) => l.shopId)).toEqual([shop.id]);

		// A place the resident gave wins over the shop's.
		const placed = await submitReport(
			db,
			submission({ category: 'shopfront-duties', shop: shop.id, ...FANCHANG }),
			store
		);
		const [placedRow] = await db.select().from(reports).where(eq(reports.id, placed.report.id));
		expect(placedRow.lat).toBe(Number(FANCHANG.lat));

		const malformed = await errorOf(
			submitReport(db, submission({ category: 'shopfront-duties', shop: 'x', ...FANCHANG }), store)
		);
		expect([malformed.status, malformed.fields]).toEqual([400, { shop: 'choice' }]);
		// A shop closed since its card was printed: the report still counts, unlinked.
		await db.update(shops).set({ active: false }).where(eq(shops.id, shop.id));
		const closed = await submitReport(
			db,
			submission({ category: 'shopfront-duties', shop: shop.id, ...FANCHANG }),
			store
		);
		expect(
			await db.select().from(shopReports).where(eq(shopReports.reportId, closed.report.id))
		).toEqual([]);
	});
});

describe('idempotency', () => {
	it('creates exactly one report from 20 concurrent requests with one key', async () => {
		const { db } = database;
		const [{ count: before }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(reports);
		const photo = await jpegWithGps();
		const base = submission(
			{ category: 'green-belt-litter', description: '并发', ...FANCHANG },
			{ photos: [photo] }
		);
		const results = await Promise.all(
			Array.from({ length: 20 }, () => submitReport(db, { ...base }, store))
		);
		const [{ count: after }] = await db.select({ count: sql<number>`count(*)::int` }).from(reports);
		expect(Number(after) - Number(before)).toBe(1);
		expect(new Set(results.map((r) => r.report.trackingCode)).size).toBe(1);
		expect(results.filter((r) => !r.replayed)).toHaveLength(1);
		await finishPendingPhotos(db, store);
		const photos = await db
			.select()
			.from(reportPhotos)
			.where(eq(reportPhotos.reportId, results[0].report.id));
		expect(photos).toHaveLength(1);
	});

	it('answers a replay with the first response, a changed payload with 422 and no key with 400', async () => {
		const { db } = database;
		const first = submission({ category: 'green-belt-litter', description: '第一次', ...FANCHANG });
		const a = await submitReport(db, first, store);
		const b = await submitReport(db, { ...first }, store);
		expect(b).toEqual({ report: a.report, replayed: true });
		const changed = await errorOf(
			submitReport(db, { ...first, fields: { ...first.fields, description: '改了' } }, store)
		);
		expect([changed.status, changed.code]).toEqual([422, 'idempotency_key_mismatch']);
		const missing = await errorOf(submitReport(db, { ...first, idempotencyKey: null }, store));
		expect([missing.status, missing.code]).toEqual([400, 'idempotency_key_required']);
		const invalid = await errorOf(submitReport(db, { ...first, idempotencyKey: 'abc' }, store));
		expect([invalid.status, invalid.code]).toEqual([400, 'idempotency_key_required']);
	});
});

describe('rate limits', () => {
	it('limits one anonymous device, and a shared client address only loosely', async () => {
		const { db } = database;
		const deviceId = newDeviceId();
		const send = (i: number) =>
			submitReport(
				db,
				submission(
					{ category: 'small-ads', community: 'heping', address: `第${i}号` },
					{
						reporter: { userId: null, deviceId, clientAddress: '10.9.9.9' }
					}
				),
				store
			);
		for (let i = 0; i < deviceReportLimit.limit; i++) await send(i);
		const limited = await errorOf(send(99));
		expect([limited.status, limited.code]).toEqual([429, 'rate_limited']);
		expect(limited.retryAfterSeconds).toBeGreaterThan(0);
		// Another phone behind the same carrier address still gets through.
		const other = await submitReport(
			db,
			submission(
				{ category: 'small-ads', community: 'heping', address: '别人' },
				{
					reporter: { userId: null, deviceId: newDeviceId(), clientAddress: '10.9.9.9' }
				}
			),
			store
		);
		expect(other.report.stage).toBe('submitted');
	});
});

describe('photos', () => {
	it('cuts EXIF at the door: the waiting copy has no GPS, keeps the orientation, and ends with the image', async () => {
		const { db } = database;
		const original = await jpegWithGps(640, 480);
		// A trailer after the image, as polyglots and some cameras have: it must not be kept.
		const withTrailer = Buffer.concat([original, Buffer.from('PK\u0003\u0004 <script>x</script>')]);
		const { report } = await submitReport(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [withTrailer] }),
			store
		);
		const [upload] = await db
			.select()
			.from(reportPhotoUploads)
			.where(eq(reportPhotoUploads.reportId, report.id));
		expect(upload.storageKey).toMatch(/^incoming\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
		const waiting = (await store.get(upload.storageKey))!;
		expect(await exifr.gps(waiting)).toBeUndefined();
		expect(await exifr.parse(waiting)).toEqual({ Orientation: 'Rotate 90 CW' });
		expect(waiting.includes('TestCam')).toBe(false);
		expect([...waiting.subarray(-2)]).toEqual([0xff, 0xd9]);
		expect(waiting.includes('<script>')).toBe(false);
		// The tracking page says a photo is on its way, and shows it once finished.
		expect(await publicReport(db, report.trackingCode)).toMatchObject({
			photos: [],
			photosWaiting: 1
		});
		await finishPendingPhotos(db, store);
		expect(await publicReport(db, report.trackingCode)).toMatchObject({
			photos: [expect.stringMatching(/^\/photos\//)],
			photosWaiting: 0
		});
		expect(await store.get(upload.storageKey)).toBeNull();
		const [photo] = await db
			.select()
			.from(reportPhotos)
			.where(eq(reportPhotos.reportId, report.id));
		expect([photo.width, photo.height]).toEqual([480, 640]);
	});

	it('keeps the colour profile at the door, so a wide-gamut photo keeps its colours', async () => {
		const red = { r: 255, g: 0, b: 0 };
		const p3 = await sharp({ create: { width: 64, height: 48, channels: 3, background: red } })
			.withIccProfile('p3')
			.jpeg()
			.toBuffer();
		const admitted = await admitPhoto(p3);
		expect((await sharp(admitted).metadata()).icc).toBeDefined();
		const channels = async (photo: Buffer) =>
			(await sharp((await processPhoto(photo)).data).stats()).channels.map((c) =>
				Math.round(c.mean)
			);
		expect(await channels(admitted)).toEqual(await channels(p3));
	});

	it('admits a JPEG with nothing to cut as the upload itself, and one with metadata as a copy without it', async () => {
		const clean = await sharp({
			create: { width: 64, height: 48, channels: 3, background: { r: 9, g: 99, b: 199 } }
		})
			.jpeg()
			.toBuffer();
		// As the form sends it: the photo inside a larger body, with bytes after its end.
		const body = Buffer.concat([
			Buffer.from('--boundary\r\n\r\n'),
			clean,
			Buffer.from('\r\n--b--')
		]);
		const upload = body.subarray(14, 14 + clean.length);
		const admitted = await admitPhoto(upload);
		expect(admitted.equals(clean)).toBe(true);
		expect(admitted.buffer).toBe(body.buffer);
		expect(admitted.byteOffset).toBe(upload.byteOffset);

		// A trailer after the end of image is cut too, still without a copy.
		const trailed = await admitPhoto(Buffer.concat([clean, Buffer.from('trailer')]));
		expect(trailed.equals(clean)).toBe(true);

		const tagged = await jpegWithGps(64, 48);
		const stripped = await admitPhoto(tagged);
		expect(stripped.buffer).not.toBe(tagged.buffer);
		expect(stripped.length).toBeLessThan(tagged.length);
		expect(await exifr.gps(stripped)).toBeUndefined();
	});

	it('refuses a truncated JPEG and HTML behind JPEG magic at the door, creating nothing', async () => {
		const { db } = database;
		const original = await jpegWithGps(320, 240);
		const truncated = original.subarray(0, Math.floor(original.length * 0.7));
		const html = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<html>hi</html>')]);
		for (const photo of [truncated, html]) {
			const error = await errorOf(
				submitReport(
					db,
					submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [photo] }),
					store
				)
			);
			expect([error.status, error.code]).toEqual([400, 'photo_unreadable']);
		}
	});

	it('drops a photo that passes the door but does not decode, and notes it on the case', async () => {
		const { db } = database;
		const photo = Buffer.from(await jpegWithGps(320, 240));
		// A frame of 7-bit samples: well formed, but no decoder takes it.
		const frame = photo.indexOf(Buffer.from([0xff, 0xc0]));
		photo[frame + 4] = 7;
		const { report } = await submitReport(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [photo] }),
			store
		);
		await finishPendingPhotos(db, store);
		expect(
			await db.select().from(reportPhotos).where(eq(reportPhotos.reportId, report.id))
		).toEqual([]);
		expect(
			await db.select().from(reportPhotoUploads).where(eq(reportPhotoUploads.reportId, report.id))
		).toEqual([]);
		const notes = await db
			.select({ action: reportEvents.action, note: reportEvents.note })
			.from(reportEvents)
			.where(eq(reportEvents.reportId, report.id));
		expect(notes).toContainEqual({ action: 'note', note: expect.stringContaining('无法解码') });
	});

	it('re-encodes upright with no EXIF: no GPS or camera data survives in the stored file', async () => {
		const { db } = database;
		const original = await jpegWithGps(640, 480);
		expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(31.856, 3) });
		const { report } = await submitAndFinish(
			db,
			submission(
				{ category: 'street-cleaning', ...FANCHANG },
				{ photos: [original, await plainPng()] }
			),
			store
		);
		const photos = await db.select().from(reportPhotos).where(eq(reportPhotos.reportId, report.id));
		expect(photos).toHaveLength(2);
		for (const photo of photos) {
			expect(photo.storageKey).toMatch(/^photos\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
			const stored = (await store.get(photo.storageKey))!;
			expect(sniffImageType(stored)).toBe('image/jpeg');
			expect(await exifr.parse(stored)).toBeUndefined();
			expect(await exifr.gps(stored)).toBeUndefined();
			const meta = await sharp(stored).metadata();
			expect(meta.exif).toBeUndefined();
			expect(meta.icc).toBeUndefined();
		}
		const jpeg = photos.find((p) => p.width !== 32)!;
		// Orientation 6 means turned a quarter: 640×480 comes out 480×640.
		expect([jpeg.width, jpeg.height]).toEqual([480, 640]);
	});

	it('refuses a text file named .jpg with 415 and a 12 MB file with 413, creating nothing', async () => {
		const { db } = database;
		const [{ count: before }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(reports);
		const text = new TextEncoder().encode('this is not a picture, only text renamed to photo.jpg');
		const wrongType = await errorOf(
			submitReport(
				db,
				submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [text] }),
				store
			)
		);
		expect([wrongType.status, wrongType.code]).toEqual([415, 'photo_type']);
		const big = new Uint8Array(12 * 1024 * 1024);
		big.set([0xff, 0xd8, 0xff, 0xe0]);
		const tooLarge = await errorOf(
			submitReport(
				db,
				submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [big] }),
				store
			)
		);
		expect([tooLarge.status, tooLarge.code]).toEqual([413, 'photo_too_large']);
		const [{ count: after }] = await db.select({ count: sql<number>`count(*)::int` }).from(reports);
		expect(after).toBe(before);
	});

	it('refuses more pixels than the cap (a decompression bomb) and corrupt data', async () => {
		// A tiny PNG that claims 8000×8000 = 64 MP of a flat colour: small on the wire, huge in memory.
		const bomb = await sharp({
			create: { width: 8000, height: 8000, channels: 3, background: '#000' }
		})
			.png({ compressionLevel: 9 })
			.toBuffer();
		expect(8000 * 8000).toBeGreaterThan(MAX_INPUT_PIXELS);
		await expect(processPhoto(bomb)).rejects.toMatchObject({
			status: 413,
			code: 'photo_too_many_pixels'
		});
		const corrupt = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);
		await expect(processPhoto(corrupt)).rejects.toBeInstanceOf(PhotoError);
	});
});

describe('public views and privacy', () => {
	it('shows no reporter identity, phone or address, and rounds the point to about 50 m', async () => {
		const { db } = database;
		const { report } = await submitAndFinish(
			db,
			submission(
				{
					category: 'street-cleaning',
					lat: '31.85237',
					lng: '117.29191',
					phone: '13912345678',
					address: '繁昌路12号3室'
				},
				{
					photos: [await jpegWithGps()]
				}
			),
			store
		);
		const view = (await publicReport(db, report.trackingCode))!;
		// Random ids (photo URLs) may hold any four digits: only the rest is searched.
		const text = JSON.stringify(view).replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, 'ID');
		for (const secret of ['13912345678', '5678', '繁昌路12号', '31.85237', '117.29191', 'reporter'])
			expect(text).not.toContain(secret);
		expect(view.location).toMatchObject({
			lat: 31.8525,
			lng: 117.292,
			precision: 'approximate',
			community: '繁昌社区',
			communityEn: 'Fanchang'
		});
		expect(view.photos).toHaveLength(1);
		expect(view.timeline).toEqual([{ at: expect.any(String), stage: 'submitted' }]);
	});

	it('places indoor categories only at their compound', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({ category: 'corridor-clutter', ...FANCHANG }),
			store
		);
		const view = (await publicReport(db, report.trackingCode))!;
		expect(view.location).toMatchObject({ precision: 'compound', compound: '繁昌花园' });
		expect(view.location.lat).not.toBe(Number(FANCHANG.lat));
	});

	it('shows staff the phone masked, and only roles with reports.contact see it whole', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG, phone: '13812341234' }),
			store
		);
		expect(await reporterPhoneForStaff(db, report.id, { role: 'community_staff' })).toBe(
			'138****1234'
		);
		expect(await reporterPhoneForStaff(db, report.id, { role: 'handler' })).toBe('138****1234');
		expect(await reporterPhoneForStaff(db, report.id, { role: 'dispatcher' })).toBe('13812341234');
		const without = await submitReport(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG }),
			store
		);
		expect(await reporterPhoneForStaff(db, without.report.id, { role: 'dispatcher' })).toBeNull();
	});

	it('encrypts with a fresh IV each time and rejects tampered text', () => {
		const a = encryptPhone('13800138000');
		expect(a).not.toBe(encryptPhone('13800138000'));
		expect(decryptPhone(a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA'))).toBeNull();
	});

	it('lists public reports with filters and hides declined ones', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({ category: 'fireworks', community: 'tongling', address: '铜陵路' }),
			store
		);
		const declined = await submitReport(
			db,
			submission({ category: 'fireworks', community: 'tongling', address: '铜陵路' }),
			store
		);
		await db.update(reports).set({ stage: 'declined' }).where(eq(reports.id, declined.report.id));
		const list = await listPublicReports(db, { category: 'fireworks', community: 'tongling' });
		expect(list.items.map((i) => i.trackingCode)).toEqual([report.trackingCode]);
		expect((await listPublicReports(db, { category: 'fireworks', stage: 'accepted' })).total).toBe(
			0
		);
	});
});

describe('the public map', () => {
	it('places reports only at their rounded public point, with the filters of the list', async () => {
		const { db } = database;
		const outdoor = await submitReport(
			db,
			submission({ category: 'live-poultry', lat: '31.85237', lng: '117.29191' }),
			store
		);
		const indoor = await submitReport(
			db,
			submission({ category: 'corridor-clutter', ...FANCHANG }),
			store
		);
		const noPoint = await submitReport(
			db,
			submission({ category: 'live-poultry', community: 'tongling', address: '铜陵路' }),
			store
		);
		const declined = await submitReport(
			db,
			submission({ category: 'live-poultry', ...FANCHANG }),
			store
		);
		await db.update(reports).set({ stage: 'declined' }).where(eq(reports.id, declined.report.id));

		const points = await publicMapPoints(db, { category: 'live-poultry' });
		expect(points).toEqual([
			{
				trackingCode: outdoor.report.trackingCode,
				categoryName: '活禽交易',
				categoryNameEn: 'Live poultry trading',
				stage: 'submitted',
				lat: 31.8525,
				lng: 117.292,
				precision: 'approximate'
			}
		]);
		expect(JSON.stringify(points)).not.toContain(noPoint.report.trackingCode);
		const [atCompound] = await publicMapPoints(db, { category: 'corridor-clutter' });
		expect(atCompound).toMatchObject({
			trackingCode: indoor.report.trackingCode,
			precision: 'compound'
		});
		expect(atCompound.lat).not.toBe(Number(FANCHANG.lat));
		expect(await publicMapPoints(db, { category: 'live-poultry', stage: 'closed' })).toEqual([]);
	});
});

describe('nearby duplicates and me too', () => {
	it('finds open reports of the same category within the radius, and "me too" counts once and creates no report', async () => {
		const { db } = database;
		const { report } = await submitReport(
			db,
			submission({ category: 'shared-bikes', lat: '31.8660', lng: '117.2950' }),
			store
		);
		await submitReport(
			db,
			submission({ category: 'shared-bikes', lat: '31.8700', lng: '117.2950' }),
			store
		); // ~445 m away
		await submitReport(
			db,
			submission({ category: 'street-vendors', lat: '31.8661', lng: '117.2950' }),
			store
		);
		const near = await nearbyOpenReports(db, 'shared-bikes', { lat: 31.8665, lng: 117.2952 });
		expect(near.map((n) => n.trackingCode)).toEqual([report.trackingCode]);
		expect(near[0].distanceM).toBeGreaterThan(40);
		expect(near[0].distanceM).toBeLessThan(70);

		const [{ count: before }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(reports);
		const device = newDeviceId();
		expect(await meToo(db, report.trackingCode, { userId: null, deviceId: device })).toEqual({
			counted: true,
			count: 1
		});
		expect(await meToo(db, report.trackingCode, { userId: null, deviceId: device })).toEqual({
			counted: false,
			count: 1
		});
		expect(await meToo(db, report.trackingCode, { userId: null, deviceId: newDeviceId() })).toEqual(
			{ counted: true, count: 2 }
		);
		const [{ count: after }] = await db.select({ count: sql<number>`count(*)::int` }).from(reports);
		expect(after).toBe(before);
		expect((await publicReport(db, report.trackingCode))!.meTooCount).toBe(2);
	});
});

describe('the reporter: my reports, rating and reopening', () => {
	it('knows the reporter by device, account or secret link, and no one else', async () => {
		const { db } = database;
		const deviceId = newDeviceId();
		const { report } = await submitReport(
			db,
			submission(
				{ category: 'small-ads', community: 'heping', address: '和平路' },
				{ reporter: { userId: null, deviceId, clientAddress: '10.2.0.1' } }
			),
			store
		);
		expect(await isReporter(db, report.id, { userId: null, deviceId })).toBe(true);
		expect(await isReporter(db, report.id, { userId: null, deviceId: newDeviceId() })).toBe(false);
		expect(
			await isReporter(db, report.id, {
				userId: null,
				deviceId: null,
				token: reporterToken(report.id)
			})
		).toBe(true);
		expect(
			await isReporter(db, report.id, { userId: null, deviceId: null, token: 'a'.repeat(32) })
		).toBe(false);
		expect((await myReports(db, { userId: null, deviceId })).map((r) => r.trackingCode)).toEqual([
			report.trackingCode
		]);
	});

	it('rates and reopens within 7 days of handling, back to triage as rework, and not after', async () => {
		const { db } = database;
		const deviceId = newDeviceId();
		const viewer = { userId: null, deviceId };
		const { report } = await submitReport(
			db,
			submission(
				{ category: 'small-ads', community: 'heping', address: '和平路' },
				{ reporter: { userId: null, deviceId, clientAddress: '10.2.0.2' } }
			),
			store
		);
		expect((await errorOf(rateReport(db, report.id, viewer, 'satisfied'))).code).toBe(
			'feedback_closed'
		);
		const handledAt = new Date();
		await db.update(reports).set({ stage: 'handled' }).where(eq(reports.id, report.id));
		await db.insert(reportEvents).values({
			reportId: report.id,
			action: 'handle',
			fromStage: 'in_progress',
			toStage: 'handled',
			at: handledAt,
			publicNote: '已清理'
		});
		expect(
			(
				await errorOf(
					rateReport(db, report.id, { userId: null, deviceId: newDeviceId() }, 'satisfied')
				)
			).status
		).toBe(403);
		await rateReport(db, report.id, viewer, 'dissatisfied');
		expect((await feedbackState(db, report.id)).rating).toBe('dissatisfied');
		const eightDaysLater = new Date(handledAt.getTime() + 8 * 86_400_000);
		expect((await errorOf(reopenReport(db, report.id, viewer, '还在', eightDaysLater))).code).toBe(
			'feedback_closed'
		);
		expect((await errorOf(reopenReport(db, report.id, viewer, '  '))).status).toBe(400);
		await reopenReport(db, report.id, viewer, '小广告又贴回来了');
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.stage).toBe('rework');
		const view = (await publicReport(db, report.trackingCode))!;
		expect(view.timeline.map((t) => [t.stage, t.note])).toEqual([
			['submitted', undefined],
			['handled', '已清理'],
			['rework', undefined]
		]);
		// The reopen reason is for staff: it does not show publicly.
		expect(JSON.stringify(view)).not.toContain('又贴回来');
	});
});

describe('accounts and photo visibility', () => {
	it("links a logged-in resident's report to the account, and their me too makes them a follower", async () => {
		const { db } = database;
		const [resident] = await db.select().from(users).where(eq(users.phone, '13800000001'));
		const { report } = await submitReport(
			db,
			submission(
				{ category: 'small-ads', community: 'heping', address: '账号' },
				{
					reporter: { userId: resident.id, deviceId: null, clientAddress: '10.3.0.1' }
				}
			),
			store
		);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.reporterUserId).toBe(resident.id);
		expect(
			(await myReports(db, { userId: resident.id, deviceId: null })).map((r) => r.trackingCode)
		).toContain(report.trackingCode);
		expect(JSON.stringify(await publicReport(db, report.trackingCode))).not.toContain(resident.id);

		const other = await submitReport(
			db,
			submission({ category: 'small-ads', community: 'heping', address: '别处' }),
			store
		);
		await meToo(db, other.report.trackingCode, { userId: resident.id, deviceId: null });
		const followers = await db
			.select()
			.from(reportFollowers)
			.where(eq(reportFollowers.reportId, other.report.id));
		expect(followers.map((f) => [f.userId, f.reason])).toEqual([[resident.id, 'me_too']]);
	});

	it('serves a photo only while it is public and its case is not declined', async () => {
		const { db } = database;
		const { report } = await submitAndFinish(
			db,
			submission({ category: 'street-cleaning', ...FANCHANG }, { photos: [await plainPng()] }),
			store
		);
		const [photo] = await db
			.select()
			.from(reportPhotos)
			.where(eq(reportPhotos.reportId, report.id));
		expect(await publicPhoto(db, photo.id)).toMatchObject({ storageKey: photo.storageKey });
		await db.update(reportPhotos).set({ public: false }).where(eq(reportPhotos.id, photo.id));
		expect(await publicPhoto(db, photo.id)).toBeNull();
		await db.update(reportPhotos).set({ public: true }).where(eq(reportPhotos.id, photo.id));
		await db.update(reports).set({ stage: 'declined' }).where(eq(reports.id, report.id));
		expect(await publicPhoto(db, photo.id)).toBeNull();
	});
});
