import { eq } from 'drizzle-orm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { reportPhotoUploads } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { startTestS3 } from '../storage/testing';
import { submitReport, type Submission } from './intake';
import { ORPHAN_GRACE_MS, sweepOrphanUploads } from './orphan-uploads';
import { LocalPhotoStore, type PhotoStore } from './photos';
import { newDeviceId } from './secrets';
import { jpegWithGps } from './testing';

/*
 * The sweep of door copies that no waiting upload names, on the folder store and on a real
 * S3-compatible server: old orphans go; named copies, young copies and finished photos stay.
 */

let database: Database;
let dir: string;
let s3: Awaited<ReturnType<typeof startTestS3>>;
const stores: Record<string, PhotoStore> = {};

beforeAll(async () => {
	database = await openTestDatabase();
	dir = await mkdtemp(join(tmpdir(), 'jx-orphans-'));
	stores.folder = new LocalPhotoStore(join(dir, 'folder'));
	s3 = await startTestS3(join(dir, 's3'));
	stores.s3 = s3.store;
});
afterAll(async () => {
	await s3?.close();
	await database.close();
	await rm(dir, { recursive: true, force: true });
});

let address = 0;
async function reportWithPhoto(store: PhotoStore) {
	const fields = { category: 'street-cleaning', lat: '31.8540', lng: '117.2935' };
	const submission: Submission = {
		fields,
		getAll: (name) => (name in fields ? [fields[name as keyof typeof fields]] : []),
		photos: [await jpegWithGps(320, 240)],
		idempotencyKey: crypto.randomUUID(),
		reporter: { userId: null, deviceId: newDeviceId(), clientAddress: `10.8.0.${++address}` }
	};
	return (await submitReport(database.db, submission, store)).report;
}

async function keysOf(store: PhotoStore, prefix: string) {
	const keys: string[] = [];
	for await (const { key } of store.list(prefix)) keys.push(key);
	return keys.sort();
}

describe.each(['folder', 's3'])('orphan door copies in the %s store', (kind) => {
	it('lists nothing and removes nothing in an empty store', async () => {
		const store = stores[kind];
		expect(await keysOf(store, 'incoming/')).toEqual([]);
		expect(await sweepOrphanUploads(database.db, store)).toBe(0);
	});

	it('removes old copies no upload names, and keeps named, young and finished ones', async () => {
		const store = stores[kind];
		const report = await reportWithPhoto(store);
		const [upload] = await database.db
			.select()
			.from(reportPhotoUploads)
			.where(eq(reportPhotoUploads.reportId, report.id));
		const jpeg = Buffer.from('left by a crash');
		await store.put('incoming/2026/11/orphan.jpg', jpeg, 'image/jpeg');
		await store.put('photos/2026/11/finished.jpg', jpeg, 'image/jpeg');
		expect(await keysOf(store, 'incoming/')).toEqual(
			[upload.storageKey, 'incoming/2026/11/orphan.jpg'].sort()
		);

		// Young: the request that wrote it may still be writing its case.
		expect(await sweepOrphanUploads(database.db, store)).toBe(0);
		const later = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
		expect(await sweepOrphanUploads(database.db, store, later)).toBe(1);
		expect(await keysOf(store, 'incoming/')).toEqual([upload.storageKey]);
		expect(await store.get(upload.storageKey)).not.toBeNull();
		expect(await store.get('photos/2026/11/finished.jpg')).not.toBeNull();

		// Once no upload names it (its case was deleted before the photo was finished), it goes too.
		await database.db.delete(reportPhotoUploads).where(eq(reportPhotoUploads.id, upload.id));
		expect(await sweepOrphanUploads(database.db, store, later)).toBe(1);
		expect(await keysOf(store, 'incoming/')).toEqual([]);
	});
});
