import { eq, inArray, sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db';
import { reportEvents, reportPhotoUploads, reportPhotos } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { submitReport, type Submission } from './intake';
import {
	BUSY_SHARE,
	MISSING_FILE_TRIES,
	QUIET_AFTER_MS,
	finishPendingPhotos,
	missingFileDelaySeconds,
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

	it('looks again for a missing file with growing waits, and drops the photo with a note after the last try', async () => {
		expect([1, 2, 3, 6, 7].map(missingFileDelaySeconds)).toEqual([30, 60, 120, 960, 1800]);
		const lastWait = Array.from({ length: MISSING_FILE_TRIES - 1 }, (_, i) =>
			missingFileDelaySeconds(i + 1)
		).reduce((a, b) => a + b);
		expect(lastWait / 3600).toBeGreaterThan(0.9); // an hour for a lagging store to catch up

		const [late, gone] = [await reportWithPhotos(1), await reportWithPhotos(1)];
		const uploadOf = async (reportId: string) =>
			(
				await first.db
					.select()
					.from(reportPhotoUploads)
					.where(eq(reportPhotoUploads.reportId, reportId))
			)[0];
		const lateUpload = await uploadOf(late.id);
		const lateFile = (await store.get(lateUpload.storageKey))!;
		for (const upload of [lateUpload, await uploadOf(gone.id)])
			await store.delete(upload.storageKey);
		const due = (reportId: string, attempts?: number) =>
			first.db
				.update(reportPhotoUploads)
				.set({ nextTryAt: sql`now() - interval '1 second'`, ...(attempts ? { attempts } : {}) })
				.where(eq(reportPhotoUploads.reportId, reportId));

		// A miss puts the photo off, with no note; until it is due again nothing takes it.
		expect(await finishPendingPhotos(first.db, store)).toBe(2);
		const putOff = await uploadOf(late.id);
		expect(putOff.attempts).toBe(1);
		expect(putOff.nextTryAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
		expect(await finishPendingPhotos(first.db, store)).toBe(0);

		// The file shows up (a store that lagged): the next try finishes it.
		await store.put(lateUpload.storageKey, lateFile);
		await due(late.id);
		expect(await finishPendingPhotos(first.db, store)).toBe(1);
		expect(await photosOf([late.id])).toHaveLength(1);

		// Still missing at the last try: dropped, and the case says so.
		await due(gone.id, MISSING_FILE_TRIES - 1);
		expect(await finishPendingPhotos(first.db, store)).toBe(1);
		expect(await uploadOf(gone.id)).toBeUndefined();
		expect(await photosOf([gone.id])).toEqual([]);
		const notes = await first.db
			.select({ note: reportEvents.note })
			.from(reportEvents)
			.where(eq(reportEvents.reportId, gone.id));
		expect(notes.map((n) => n.note)).toContainEqual(expect.stringContaining('找不到'));
	});
});
