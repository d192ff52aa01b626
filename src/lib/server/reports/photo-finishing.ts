import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { reportEvents, reportPhotoUploads, reportPhotos } from '../db/schema';
import { startPeriodic } from '../jobs/periodic';
import { PhotoError, newPhotoKey, photoStore, processPhoto, type PhotoStore } from './photos';

/*
 * Finishing of intake photos: each upload that passed the door (`admitPhoto`) is decoded,
 * re-encoded with no metadata and becomes a `report_photos` row. One at a time per server, and
 * each upload is claimed with SKIP LOCKED, so several servers never finish the same one.
 */

/** How many of a case's photos are still waiting to be finished. */
export async function waitingPhotoCount(db: Db, reportId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(reportPhotoUploads)
		.where(eq(reportPhotoUploads.reportId, reportId));
	return Number(row?.n ?? 0);
}

export type FinishOutcome = 'finished' | 'refused' | 'none';

/** Finishes the oldest waiting upload. A storage failure throws and leaves it for a later try. */
export async function finishOnePhoto(
	db: Db,
	store: PhotoStore = photoStore()
): Promise<FinishOutcome> {
	let made: string | null = null;
	try {
		const result = await db.transaction(async (tx) => {
			const [upload] = await tx
				.select()
				.from(reportPhotoUploads)
				.orderBy(asc(reportPhotoUploads.createdAt), asc(reportPhotoUploads.position))
				.limit(1)
				.for('update', { skipLocked: true });
			if (!upload) return { outcome: 'none' as const };
			const raw = await store.get(upload.storageKey);
			let refusal = raw ? '' : 'its file is missing';
			const photo = raw
				? await processPhoto(raw).catch((error: unknown) => {
						if (!(error instanceof PhotoError)) throw error;
						refusal = `${error.code}, ${raw.byteLength} bytes`;
						return null;
					})
				: null;
			await tx.delete(reportPhotoUploads).where(eq(reportPhotoUploads.id, upload.id));
			if (!photo) {
				console.error(
					`[photos] dropped ${upload.storageKey} (case ${upload.reportId}): ${refusal}`
				);
				// Passed the door but does not decode (or its file is gone): the case goes on without it.
				await tx.insert(reportEvents).values({
					reportId: upload.reportId,
					action: 'note',
					note: '一张照片无法解码，已丢弃。A photo could not be decoded and was dropped.'
				});
				return { outcome: 'refused' as const, raw: upload.storageKey };
			}
			made = newPhotoKey(upload.createdAt);
			await store.put(made, photo.data, photo.contentType);
			await tx.insert(reportPhotos).values({
				reportId: upload.reportId,
				kind: 'before',
				storageKey: made,
				contentType: photo.contentType,
				width: photo.width,
				height: photo.height,
				bytes: photo.data.byteLength
			});
			return { outcome: 'finished' as const, raw: upload.storageKey };
		});
		if (result.outcome !== 'none') await store.delete(result.raw).catch(() => {});
		return result.outcome;
	} catch (error) {
		if (made) await store.delete(made).catch(() => {});
		throw error;
	}
}

/** Finishes waiting uploads until none is left or `limit` are done; returns how many were handled. */
export async function finishPendingPhotos(
	db: Db,
	store: PhotoStore = photoStore(),
	limit = 100
): Promise<number> {
	let handled = 0;
	while (handled < limit && (await finishOnePhoto(db, store)) !== 'none') handled++;
	return handled;
}

/** While reports keep arriving, finishing takes at most about this share of the server's time. */
export const BUSY_SHARE = 0.25;
/** A server that took no report for this long counts as quiet: finishing runs flat out. */
export const QUIET_AFTER_MS = 1000;

let lastIntakeAt = 0;
let running: Promise<void> | null = null;
let again = false;
// Set at shutdown: the photo in hand is finished, the rest wait for the next server.
let stopped = false;

/**
 * The rest after a photo that took `tookMs` to finish: none on a quiet server, else enough that
 * taking reports keeps most of the time. A burst is answered first; its photos follow.
 */
export function restAfter(tookMs: number, now = Date.now(), lastIntake = lastIntakeAt): number {
	return now - lastIntake < QUIET_AFTER_MS ? tookMs * (1 / BUSY_SHARE - 1) : 0;
}

/** Marks this server busy taking reports (see `restAfter`). */
export function noteReportTaken(now = Date.now()): void {
	lastIntakeAt = now;
}

/** Starts finishing waiting photos on this server; one run at a time. */
export function kickPhotoFinishing(db: Db, store: PhotoStore = photoStore()): void {
	if (stopped) return;
	if (running) {
		again = true;
		return;
	}
	running = (async () => {
		while (!stopped) {
			again = false;
			const started = performance.now();
			if ((await finishOnePhoto(db, store)) === 'none') {
				if (again) continue;
				return;
			}
			const rest = restAfter(performance.now() - started);
			if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
		}
	})()
		.catch((error: unknown) => console.error('[photos] finishing failed', error))
		.finally(() => {
			running = null;
		});
}

/** Finishing now running on this server, if any (tests wait for it). */
export const photoFinishing = () => running;

/**
 * Also every half minute: uploads left by a crash, by another server, or by a store that failed.
 * The returned stop (at shutdown) lets the photo in hand finish and leaves the rest waiting.
 */
export function startPhotoFinishingJob(
	db: Db,
	everyMs = 30_000,
	store: PhotoStore = photoStore()
): () => void {
	stopped = false;
	const stopTimer = startPeriodic('photos', async () => kickPhotoFinishing(db, store), everyMs);
	return () => {
		stopTimer();
		stopped = true;
	};
}
