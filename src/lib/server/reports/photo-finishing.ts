import { asc, count, eq, lte, sql } from 'drizzle-orm';
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

export type FinishOutcome = 'finished' | 'refused' | 'put-off' | 'none';

/**
 * An upload whose file is not in the store is looked for this many times before it is dropped.
 * Servers that share a database should share their storage, but a file may show up late (a store
 * that lags, a server set up with its own folder): dropping at the first miss would lose it.
 */
export const MISSING_FILE_TRIES = 8;

/** The wait after the `tries`-th miss: 30 s, doubling, at most 30 min (about an hour in all). */
export function missingFileDelaySeconds(tries: number): number {
	return Math.min(30 * 2 ** (tries - 1), 30 * 60);
}

/**
 * Finishes the oldest waiting upload that is due. A storage failure throws and leaves it for a
 * later try; a missing file puts it off (`MISSING_FILE_TRIES`).
 */
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
				.where(lte(reportPhotoUploads.nextTryAt, sql`now()`))
				.orderBy(asc(reportPhotoUploads.createdAt), asc(reportPhotoUploads.position))
				.limit(1)
				.for('update', { skipLocked: true });
			if (!upload) return { outcome: 'none' as const };
			const raw = await store.get(upload.storageKey);
			const tries = upload.attempts + 1;
			if (!raw && tries < MISSING_FILE_TRIES) {
				const seconds = missingFileDelaySeconds(tries);
				// The database's clock, as the query above uses: servers' clocks may differ.
				await tx
					.update(reportPhotoUploads)
					.set({
						attempts: tries,
						nextTryAt: sql`now() + make_interval(secs => ${seconds})`
					})
					.where(eq(reportPhotoUploads.id, upload.id));
				console.warn(
					`[photos] ${upload.storageKey} (case ${upload.reportId}): its file is missing, try ${tries} of ${MISSING_FILE_TRIES}; next in ${seconds} s`
				);
				return { outcome: 'put-off' as const };
			}
			let refusal = raw ? '' : `its file is missing after ${tries} tries`;
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
					note: raw
						? '一张照片无法解码，已丢弃。A photo could not be decoded and was dropped.'
						: '一张照片的文件找不到，已丢弃。A photo could not be found in storage and was dropped.'
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
		if ('raw' in result && result.raw) await store.delete(result.raw).catch(() => {});
		return result.outcome;
	} catch (error) {
		if (made) await store.delete(made).catch(() => {});
		throw error;
	}
}

/**
 * Finishes waiting uploads until none is due or `limit` are done; returns how many were handled
 * (finished, dropped or put off).
 */
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
