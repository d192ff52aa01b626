import { eq, sql } from 'drizzle-orm';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { reportPhotoUploads, reportPhotos, reports } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { ReportError, submitReport, type Submission } from './intake';
import { finishPendingPhotos } from './photo-finishing';
import { LocalPhotoStore, storageFailure } from './photos';
import { newDeviceId } from './secrets';
import { jpegWithGps, plainPng } from './testing';

/*
 * Photo storage that fails for real during intake: the report is not kept, the client is told
 * 503 or 507, and the same Idempotency-Key goes through once the store works. A store that fails
 * while a photo is finished keeps the photo waiting.
 */

let database: Database;
let dir: string;
beforeAll(async () => {
	database = await openTestDatabase();
	dir = await mkdtemp(join(tmpdir(), 'jx-intake-storage-'));
});
afterAll(async () => {
	await database.close();
	await rm(dir, { recursive: true, force: true });
});

function submission(description: string, photos: Uint8Array[], key: string): Submission {
	const fields = { category: 'street-cleaning', description, lat: '31.8540', lng: '117.2935' };
	return {
		fields,
		getAll: (name) => (name in fields ? [fields[name as keyof typeof fields]] : []),
		photos,
		idempotencyKey: key,
		reporter: { userId: null, deviceId: newDeviceId(), clientAddress: '10.7.0.1' }
	};
}

const reportsWith = async (description: string) =>
	database.db
		.select({ id: reports.id, photos: sql<number>`count(${reportPhotos.id})::int` })
		.from(reports)
		.leftJoin(reportPhotos, eq(reportPhotos.reportId, reports.id))
		.where(eq(reports.description, description))
		.groupBy(reports.id);

describe('intake when photo storage fails', () => {
	it('answers 503, keeps no report, and takes the replay once the store works', async () => {
		// The store's folder is a regular file: every write fails with ENOTDIR, as root too.
		const blocked = join(dir, 'not-a-folder');
		await writeFile(blocked, 'x');
		const photos = [await jpegWithGps(320, 240), await plainPng()];
		const key = crypto.randomUUID();
		const description = `存储故障 ${key}`;
		let failure: unknown;
		try {
			await submitReport(
				database.db,
				submission(description, photos, key),
				new LocalPhotoStore(blocked)
			);
		} catch (error) {
			failure = error;
		}
		expect(failure).toBeInstanceOf(ReportError);
		expect(failure).toMatchObject({ status: 503, code: 'storage_unavailable' });
		expect((failure as ReportError).retryAfterSeconds).toBeGreaterThan(0);
		expect(await reportsWith(description)).toEqual([]);

		const working = new LocalPhotoStore(join(dir, 'photos'));
		const { report, replayed } = await submitReport(
			database.db,
			submission(description, photos, key),
			working
		);
		expect(replayed).toBe(false);
		expect(await finishPendingPhotos(database.db, working)).toBe(2);
		expect(await reportsWith(description)).toEqual([{ id: report.id, photos: 2 }]);
	});

	it('keeps a photo waiting while the store fails when finishing it, and finishes it later', async () => {
		const working = new LocalPhotoStore(join(dir, 'finishing'));
		const key = crypto.randomUUID();
		const description = `完成时存储故障 ${key}`;
		const { report } = await submitReport(
			database.db,
			submission(description, [await jpegWithGps(320, 240)], key),
			working
		);
		// Reads work, writes fail: the finished photo cannot be kept.
		const failing = Object.assign(Object.create(working), {
			put: async () => {
				throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
			}
		}) as LocalPhotoStore;
		await expect(finishPendingPhotos(database.db, failing)).rejects.toMatchObject({
			code: 'ENOSPC'
		});
		const waiting = await database.db
			.select()
			.from(reportPhotoUploads)
			.where(eq(reportPhotoUploads.reportId, report.id));
		expect(waiting).toHaveLength(1);
		expect(await working.get(waiting[0].storageKey)).not.toBeNull();
		expect(await reportsWith(description)).toEqual([{ id: report.id, photos: 0 }]);

		expect(await finishPendingPhotos(database.db, working)).toBe(1);
		expect(await reportsWith(description)).toEqual([{ id: report.id, photos: 1 }]);
		// The door's copy goes once the photo is finished.
		expect(await working.get(waiting[0].storageKey)).toBeNull();
	});

	it('tells a full store (507) from an unavailable one (503)', () => {
		expect(storageFailure(Object.assign(new Error(), { code: 'ENOSPC' })).status).toBe(507);
		expect(storageFailure(Object.assign(new Error(), { code: 'EDQUOT' })).status).toBe(507);
		expect(
			storageFailure({ name: 'InsufficientStorage', $metadata: { httpStatusCode: 507 } })
		).toEqual({
			status: 507,
			code: 'storage_full'
		});
		expect(storageFailure(Object.assign(new Error(), { code: 'ECONNREFUSED' }))).toEqual({
			status: 503,
			code: 'storage_unavailable'
		});
	});

	it('writes a photo whole or not at all, and never over another', async () => {
		const store = new LocalPhotoStore(join(dir, 'whole'));
		await store.put('photos/2026/11/a.jpg', Buffer.from('first'));
		await expect(store.put('photos/2026/11/a.jpg', Buffer.from('second'))).rejects.toMatchObject({
			code: 'EEXIST'
		});
		expect((await store.get('photos/2026/11/a.jpg'))?.toString()).toBe('first');
		expect(await readdir(join(dir, 'whole/photos/2026/11'))).toEqual(['a.jpg']);
	});
});
