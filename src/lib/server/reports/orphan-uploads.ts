import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { reportPhotoUploads } from '../db/schema';
import { startPeriodic } from '../jobs/periodic';
import { photoStore, type PhotoStore } from './photos';

/*
 * Door copies (`incoming/`, see `admitPhoto`) that no waiting upload names. Intake writes the copy
 * before the statement that writes the case, so a server that dies in between leaves one behind;
 * so does a case deleted before its photos were finished.
 */

/** Copies younger than this are left alone: the request that wrote one may still be writing its case. */
export const ORPHAN_GRACE_MS = 60 * 60_000;
const BATCH = 500;

/** Deletes the orphan door copies older than the grace period; returns how many. */
export async function sweepOrphanUploads(
	db: Db,
	store: PhotoStore = photoStore(),
	now = new Date()
): Promise<number> {
	const cutoff = now.getTime() - ORPHAN_GRACE_MS;
	let removed = 0;
	let batch: string[] = [];
	const removeUnnamed = async () => {
		if (!batch.length) return;
		const named = await db
			.select({ key: reportPhotoUploads.storageKey })
			.from(reportPhotoUploads)
			.where(inArray(reportPhotoUploads.storageKey, batch));
		const keep = new Set(named.map((row) => row.key));
		for (const key of batch) {
			if (keep.has(key)) continue;
			await store.delete(key);
			removed++;
		}
		batch = [];
	};
	for await (const copy of store.list('incoming/')) {
		if (copy.modifiedAt.getTime() >= cutoff) continue;
		batch.push(copy.key);
		if (batch.length >= BATCH) await removeUnnamed();
	}
	await removeUnnamed();
	return removed;
}

/** At start-up and then hourly; several servers may sweep at once (deleting twice is harmless). */
export function startOrphanUploadSweep(db: Db, everyMs = ORPHAN_GRACE_MS): () => void {
	return startPeriodic(
		'orphan uploads',
		async () => {
			const removed = await sweepOrphanUploads(db);
			if (removed) console.log(`[photos] removed ${removed} orphan door copies`);
		},
		everyMs
	);
}
