import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { parseInput } from '$lib/domain/validation';
import {
	MAX_PHOTOS,
	readAnswers,
	reportInputSchema,
	statusOf,
	type ReportInput
} from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import type { Db } from '../db';
import {
	categories,
	reportEvents,
	reportPhotoUploads,
	reportReporters,
	reports
} from '../db/schema';
import { hit, type RateLimitRule } from '../auth/rate-limit';
import { ApiError } from '../api/errors';
import { payloadHash } from '../api/idempotency';
import { idempotencyKeys } from '../db/schema';
import { getPublicShop, linkReportToShop } from '../shops/shops';
import { listCommunities } from '../jurisdiction';
import { cachedReference } from '../reference-cache';
import { resolveLocation } from './location';
import {
	PhotoError,
	admitPhoto,
	newPhotoKey,
	photoStore,
	sniffImageType,
	storageFailure,
	type PhotoStore
} from './photos';
import { deviceHash, encryptPhone, newTrackingCode } from './secrets';
import { MAX_PHOTO_BYTES } from '$lib/domain/reporting';

/*
 * Intake: a resident's report, from the form or the API, becomes a case in stage `submitted`.
 */

/** A problem the resident can act on: the route answers with `status` and `code` (and fields). */
export class ReportError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly fields?: Record<string, string>,
		readonly retryAfterSeconds?: number
	) {
		super(code);
	}
}

/** Per anonymous device: generous for a real person, tight for a script. */
export const deviceReportLimit: RateLimitRule = { limit: 10, windowSeconds: 3600 };
/** Per client address: loose, since a mobile carrier puts many people behind one address. */
export const clientReportLimit: RateLimitRule = { limit: 120, windowSeconds: 3600 };
/** Per logged-in account. */
export const userReportLimit: RateLimitRule = { limit: 30, windowSeconds: 3600 };

export interface Submission {
	/** Form fields (first value of each). */
	fields: Record<string, string>;
	/** Every value of a field (multi-value answers). */
	getAll: (name: string) => string[];
	photos: Uint8Array[];
	idempotencyKey: string | null;
	reporter: { userId: string | null; deviceId: string | null; clientAddress: string };
}

export interface SubmittedReport extends Record<string, unknown> {
	id: string;
	trackingCode: string;
	status: 'open' | 'closed';
	stage: Stage;
	outsideArea: boolean;
}

export const IDEMPOTENCY_SCOPE = 'reports.create';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks everything that needs no slow work: the key, the photos' sizes and types, the fields. */
async function validate(db: Db, submission: Submission) {
	if (!submission.idempotencyKey || !UUID.test(submission.idempotencyKey))
		throw new ReportError(400, 'idempotency_key_required');
	if (submission.photos.length > MAX_PHOTOS)
		throw new ReportError(400, 'invalid_input', { photos: 'too_many_photos' });
	for (const photo of submission.photos) {
		if (photo.byteLength > MAX_PHOTO_BYTES) throw new ReportError(413, 'photo_too_large');
		if (!sniffImageType(photo)) throw new ReportError(415, 'photo_type');
	}
	const shop = await shopOf(db, submission.fields.shop);
	const parsed = parseInput(reportInputSchema, withShopLocation(submission.fields, shop));
	const fields: Record<string, string> = parsed.ok ? {} : { ...parsed.fields };
	const category = (await intakeCategories(db)).get(submission.fields.category ?? '');
	if (!category && !fields.category) fields.category = 'choice';
	// The form's per-category fields first, then the API's plain `q_<code>`.
	const answerValues = (name: string) => {
		const scoped = submission.getAll(`${category!.code}.${name}`);
		return scoped.some((value) => value.trim()) ? scoped : submission.getAll(name);
	};
	const { answers, fields: answerProblems } = category
		? readAnswers(category.questions, answerValues)
		: { answers: {}, fields: {} };
	Object.assign(fields, answerProblems);
	let communityId: string | null = null;
	const communityCode = parsed.ok ? parsed.value.community : '';
	if (communityCode) {
		const row = (await listCommunities(db)).find((c) => c.code === communityCode);
		if (row) communityId = row.id;
		else fields.community = 'choice';
	}
	if (!parsed.ok || Object.keys(fields).length > 0)
		throw new ReportError(400, 'invalid_input', fields);
	return {
		input: parsed.value,
		category: category!,
		answers,
		communityId,
		shopId: shop?.id ?? null
	};
}

/** Active categories by code, with what intake needs: read once per server for a while. */
function intakeCategories(db: Db) {
	return cachedReference(db, 'intake-categories', async () => {
		const rows = await db.select().from(categories).where(eq(categories.active, true));
		return new Map(rows.map((row) => [row.code, row]));
	});
}

/** The active shop a report names, or null (a shop closed since its card was printed is dropped). */
async function shopOf(db: Db, id: string | undefined) {
	const trimmed = id?.trim() ?? '';
	return UUID.test(trimmed) ? getPublicShop(db, trimmed) : null;
}

/** A report from a shop's card with no place of its own takes the shop's point or address. */
function withShopLocation(
	fields: Record<string, string>,
	shop: Awaited<ReturnType<typeof shopOf>>
): Record<string, string> {
	const blank = (name: string) => !fields[name]?.trim();
	if (!shop || !['lat', 'lng', 'community', 'address'].every(blank)) return fields;
	if (shop.lat !== null && shop.lng !== null)
		return { ...fields, lat: String(shop.lat), lng: String(shop.lng) };
	return { ...fields, community: shop.community ?? '', address: shop.address };
}

/** The request's answer is already stored under its key: a replay (or a mismatch) of a finished request. */
class KeyTaken extends Error {}

/**
 * Takes one report. Safe to retry: the same Idempotency-Key and payload return the first answer,
 * and nothing is created twice.
 *
 * Built for a burst of reports: the photos only pass the door check here (`admitPhoto`, no
 * decoding) and are finished by `finishPendingPhotos` after the answer, and the case is written in
 * one pipelined transaction, since each round trip to the database costs more than the rest.
 */
export async function submitReport(
	db: Db,
	submission: Submission,
	store: PhotoStore = photoStore()
): Promise<{ report: SubmittedReport; replayed: boolean }> {
	const { input, category, answers, communityId, shopId } = await validate(db, submission);
	const key = submission.idempotencyKey!.toLowerCase();
	const requestHash = payloadHash({
		...normalised(input),
		answers,
		userId: submission.reporter.userId,
		photos: submission.photos
	});
	const admitted: Buffer[] = [];
	for (const photo of submission.photos) {
		try {
			admitted.push(await admitPhoto(photo));
		} catch (error) {
			if (error instanceof PhotoError) throw new ReportError(error.status, error.code);
			throw error;
		}
	}
	const point =
		input.lat !== undefined && input.lng !== undefined ? { lat: input.lat, lng: input.lng } : null;
	const location = await resolveLocation(db, point, communityId);
	const device = submission.reporter.deviceId ? deviceHash(submission.reporter.deviceId) : null;
	const urgent = category.urgent;

	for (let attempt = 0; ; attempt++) {
		const now = new Date();
		const report = { id: randomUUID(), trackingCode: newTrackingCode() };
		const body: SubmittedReport = {
			...report,
			status: statusOf('submitted'),
			stage: 'submitted',
			outsideArea: location.outsideArea
		};
		const uploads = admitted.map((data, position) => ({
			reportId: report.id,
			storageKey: newPhotoKey(now, 'incoming'),
			position,
			data
		}));
		const written: string[] = [];
		try {
			await db.transaction(async (tx) => {
				// Sent together; a replay or a refusal rolls all of it back.
				const [claimed, limits] = await Promise.all([
					tx
						.insert(idempotencyKeys)
						.values({ scope: IDEMPOTENCY_SCOPE, key, requestHash, status: 201, body })
						.onConflictDoNothing()
						.returning({ key: idempotencyKeys.key }),
					Promise.all(limitsOf(submission.reporter, device).map(([k, rule]) => hit(tx, k, rule))),
					tx.insert(reports).values({
						...report,
						categoryId: category.id,
						priority: urgent ? 'urgent' : 'normal',
						description: input.description,
						answers,
						lat: point?.lat ?? null,
						lng: point?.lng ?? null,
						accuracyM: point ? (input.accuracy ?? null) : null,
						address: input.address || null,
						...location,
						reporterUserId: submission.reporter.userId,
						reporterPhoneEncrypted: input.phone ? encryptPhone(input.phone) : null,
						departmentId: category.departmentId,
						// The life-safety lane runs on the category's shorter clock from the first minute.
						dueAt: urgent
							? new Date(now.getTime() + category.urgentDeadlineHours * 3_600_000)
							: null
					}),
					tx.insert(reportReporters).values({ reportId: report.id, deviceHash: device }),
					tx.insert(reportEvents).values({
						reportId: report.id,
						actorUserId: submission.reporter.userId,
						action: 'submit',
						toStage: 'submitted',
						data: { outsideArea: location.outsideArea, photos: uploads.length, urgent }
					}),
					uploads.length
						? tx.insert(reportPhotoUploads).values(uploads.map(({ data: _, ...row }) => row))
						: null
				]);
				if (claimed.length === 0) throw new KeyTaken();
				const refused = limits.find((state) => !state.allowed);
				if (refused)
					throw new ReportError(429, 'rate_limited', undefined, refused.retryAfterSeconds);
				if (shopId) await linkReportToShop(tx, report.id, shopId);
				for (const upload of uploads) {
					// Recorded first: a put that fails half-way may still leave an object to remove.
					written.push(upload.storageKey);
					await store.put(upload.storageKey, upload.data, 'image/jpeg').catch((error: unknown) => {
						console.error('[photos] storage write failed', error);
						const { status, code } = storageFailure(error);
						throw new ReportError(status, code, undefined, status === 503 ? 30 : undefined);
					});
				}
			});
			return { report: body, replayed: false };
		} catch (error) {
			await removeAll(store, written);
			if (error instanceof KeyTaken) {
				const replay = await replayOf(db, key, requestHash);
				if (replay || attempt >= 3) return replay ?? Promise.reject(error);
				continue;
			}
			if (isTrackingCodeClash(error) && attempt < 3) continue;
			if (error instanceof ApiError) throw new ReportError(error.status, error.code);
			throw error;
		}
	}
}

/** The stored answer to an earlier request with this key: the same answer, or 422 for another payload. */
async function replayOf(db: Db, key: string, requestHash: string) {
	const [earlier] = await db
		.select({ requestHash: idempotencyKeys.requestHash, body: idempotencyKeys.body })
		.from(idempotencyKeys)
		.where(and(eq(idempotencyKeys.scope, IDEMPOTENCY_SCOPE), eq(idempotencyKeys.key, key)));
	// Gone again (its first request failed after all): the caller tries afresh.
	if (!earlier) return null;
	if (earlier.requestHash !== requestHash) throw new ReportError(422, 'idempotency_key_mismatch');
	return { report: earlier.body as SubmittedReport, replayed: true };
}

/** A fresh tracking code that happened to be taken (31^8 codes, so almost never). */
function isTrackingCodeClash(error: unknown): boolean {
	const cause = (error as { cause?: { code?: string; constraint_name?: string } })?.cause ?? error;
	const { code, constraint_name } = (cause ?? {}) as { code?: string; constraint_name?: string };
	return code === '23505' && !!constraint_name?.includes('tracking_code');
}

function normalised(input: ReportInput) {
	return {
		...input,
		lat: input.lat ?? null,
		lng: input.lng ?? null,
		accuracy: input.accuracy ?? null
	};
}

async function removeAll(store: PhotoStore, keys: string[]) {
	await Promise.all(keys.map((k) => store.delete(k).catch(() => {})));
}

/** The report limits that apply to this sender: the account, or the device and the address. */
function limitsOf(
	reporter: Submission['reporter'],
	device: string | null
): [string, RateLimitRule][] {
	if (reporter.userId) return [[`report:user:${reporter.userId}`, userReportLimit]];
	return [
		...(device ? [[`report:device:${device}`, deviceReportLimit] as [string, RateLimitRule]] : []),
		[`report:client:${reporter.clientAddress}`, clientReportLimit]
	];
}
