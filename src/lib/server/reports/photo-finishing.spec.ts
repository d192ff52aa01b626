import { eq, inArray } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db';
import { reportPhotoUploads, reportPhotos } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { submitReport, type Submission } from './intake';
import {
	BUSY_SHARE,
	QUIET_AFTER_MS,
	finishPendingPhotos,
	kickPhotoFinishing,
	photoFinishing,
	restAfter,
	startPhotoFinishingJob
} from './photo-finishing';
import { LocalPhotoStore } from './photos';
import { newDeviceId } from './secrets';
import { jpegWithGps } from './testing';

/*
 * Finishing of intake photos after the answer: on its own once kicked, paced while reports keep
 * arriving, and once per photo however many servers finish at the same time.
 */

let first: Database & { url?: string };
let second: Database;
let dir: string;
let store: LocalPhotoStore;
beforeAll(async () => {
	first = await openTestDatabase();
	second = first.url ? await openDatabase({ databaseUrl: first.url }) : first;
	dir = mkdtempSync(join(tmpdir(), 'jx-finishing-'));
	store = new LocalPhotoStore(dir);
});
afterAll(async () => {
	if (second !== first) await second.close();
	await first.close();
	rmSync(dir, { recursive: true, force: true });
});

let address = 0;
async function reportWithPhotos(count: number) {
	const photos = await Promise.all(Array.from({ length: count }, () => jpegWithGps(320, 240)));
	const fields = { category: 'street-cleaning', lat: '31.8540', lng: '117.2935' };
	const submission: Submission = {
		fields,
		getAll: (name) => (name in fields ? [fields[name as keyof typeof fields]] : []),
		photos,
		idempotencyKey: crypto.randomUUID(),
		reporter: { userId: null, deviceId: newDeviceId(), clientAddress: `10.9.0.${++address}` }
	};
	return (await submitReport(first.db, submission, store)).report;
}

const photosOf = (reportIds: string[]) =>
	first.db.select().from(reportPhotos).where(inArray(reportPhotos.reportId, reportIds));

describe('photo finishing', () => {
	it('rests while reports keep arriving, so taking them keeps most of the time, and not when quiet', () => {
		const now = 1_000_000;
		expect(restAfter(40, now, now - 10)).toBeCloseTo(40 * (1 / BUSY_SHARE - 1));
		// The share of time finishing takes while busy: work / (work + rest).
		expect(40 / (40 + restAfter(40, now, now - 10))).toBeCloseTo(BUSY_SHARE);
		expect(restAfter(40, now, now - QUIET_AFTER_MS - 1)).toBe(0);
	});

	it('finishes waiting photos on its own once kicked', async () => {
		const report = await reportWithPhotos(2);
		kickPhotoFinishing(first.db, store);
		await photoFinishing();
		const photos = await photosOf([report.id]);
		expect(photos).toHaveLength(2);
		expect(
			await first.db
				.select()
				.from(reportPhotoUploads)
				.where(eq(reportPhotoUploads.reportId, report.id))
		).toEqual([]);
	});

	it('finishes each photo once when two servers finish at the same time', async () => {
		const reports = await Promise.all([
			reportWithPhotos(2),
			reportWithPhotos(2),
			reportWithPhotos(1)
		]);
		const [a, b] = await Promise.all([
			finishPendingPhotos(first.db, store),
			finishPendingPhotos(second.db, store)
		]);
		expect(a + b).toBe(5);
		const photos = await photosOf(reports.map((r) => r.id));
		expect(photos).toHaveLength(5);
		expect(new Set(photos.map((p) => p.storageKey)).size).toBe(5);
		for (const photo of photos) expect(await store.get(photo.storageKey)).not.toBeNull();
	});

	it('stops at shutdown after the photo in hand, and leaves the rest waiting for the next server', async () => {
		const report = await reportWithPhotos(3);
		const stop = startPhotoFinishingJob(first.db, 3_600_000, store);
		stop();
		await photoFinishing();
		expect(await photosOf([report.id])).toHaveLength(1);
		const waiting = () =>
			first.db.select().from(reportPhotoUploads).where(eq(reportPhotoUploads.reportId, report.id));
		expect(await waiting()).toHaveLength(2);
		// A kick after the stop does nothing; the next server (here, a direct call) finishes the rest.
		kickPhotoFinishing(first.db, store);
		expect(photoFinishing()).toBeNull();
		expect(await finishPendingPhotos(first.db, store)).toBe(2);
		expect(await photosOf([report.id])).toHaveLength(3);
	});
});
