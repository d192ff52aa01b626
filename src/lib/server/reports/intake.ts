import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { MAX_PHOTOS, checkReport, statusOf, type ReportInput } from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import { rowsOf, type Db } from '../db';
import { categories, idempotencyKeys } from '../db/schema';
import { oneMoreHit, type RateLimitRule } from '../auth/rate-limit';
import { payloadHash } from '../api/idempotency';
import { getPublicShop } from '../shops/shops';
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
	const { parsed, category, answers, community, problems } = checkReport(
		submission.fields,
		submission.getAll,
		{
			categories: await intakeCategories(db),
			communities: await listCommunities(db),
			shop
		}
	);
	if (!parsed.ok || !category || Object.keys(problems).length > 0)
		throw new ReportError(400, 'invalid_input', problems);
	return {
		input: parsed.value,
		category,
		answers,
		communityId: community?.id ?? null,
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

/**
 * Takes one report. Safe to retry: the same Idempotency-Key and payload return the first answer,
 * and nothing is created twice.
 *
 * Built for a burst of reports: the photos only pass the door check here (`admitPhoto`, no
 * decoding) and are finished by `finishPendingPhotos` after the answer, and the case is written
 * by one statement (`writeReport`), since each round trip to the database costs more than the rest.
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
		const id = randomUUID();
		const body: SubmittedReport = {
			id,
			trackingCode: newTrackingCode(),
			status: statusOf('submitted'),
			stage: 'submitted',
			outsideArea: location.outsideArea
		};
		const uploads = admitted.map((data) => ({ key: newPhotoKey(now, 'incoming'), data }));
		// The photos are in the store before the case exists, so a case never lacks its photos.
		const written: string[] = [];
		try {
			for (const upload of uploads) {
				// Recorded first: a put that fails half-way may still leave an object to remove.
				written.push(upload.key);
				await store.put(upload.key, upload.data, 'image/jpeg').catch((error: unknown) => {
					console.error('[photos] storage write failed', error);
					const { status, code } = storageFailure(error);
					throw new ReportError(status, code, undefined, status === 503 ? 30 : undefined);
				});
			}
			const outcome = await writeReport(db, {
				key,
				requestHash,
				body,
				limits: limitsOf(submission.reporter, device),
				row: {
					id,
					tracking_code: body.trackingCode,
					category_id: category.id,
					priority: urgent ? 'urgent' : 'normal',
					description: input.description,
					answers,
					lat: point?.lat ?? null,
					lng: point?.lng ?? null,
					accuracy_m: point ? (input.accuracy ?? null) : null,
					address: input.address || null,
					community_id: location.communityId,
					grid_id: location.gridId,
					compound_id: location.compoundId,
					outside_area: location.outsideArea,
					reporter_user_id: submission.reporter.userId,
					reporter_phone_encrypted: input.phone ? encryptPhone(input.phone) : null,
					department_id: category.departmentId,
					// The life-safety lane runs on the category's shorter clock from the first minute.
					due_at: urgent
						? new Date(now.getTime() + category.urgentDeadlineHours * 3_600_000).toISOString()
						: null
				},
				deviceHash: device,
				event: { outsideArea: location.outsideArea, photos: uploads.length, urgent },
				uploads: uploads.map((upload, position) => ({ key: upload.key, position })),
				shopId
			});
			if (outcome.retryAfter !== null)
				throw new ReportError(429, 'rate_limited', undefined, outcome.retryAfter);
			if (outcome.created) return { report: body, replayed: false };
			await removeAll(store, written);
			const earlier = outcome.earlier ?? (await storedAnswer(db, key));
			if (earlier) {
				if (earlier.requestHash !== requestHash)
					throw new ReportError(422, 'idempotency_key_mismatch');
				return { report: earlier.body as SubmittedReport, replayed: true };
			}
			// Taken and freed again meanwhile (its first request failed): try afresh.
			if (attempt >= 3) throw new Error('idempotency key neither free nor answered');
		} catch (error) {
			await removeAll(store, written);
			if (isTrackingCodeClash(error) && attempt < 3) continue;
			throw error;
		}
	}
}

interface ReportWrite {
	key: string;
	requestHash: string;
	body: SubmittedReport;
	limits: [string, RateLimitRule][];
	/** The `reports` row, by column name. */
	row: Record<string, unknown>;
	deviceHash: string | null;
	event: Record<string, unknown>;
	uploads: { key: string; position: number }[];
	shopId: string | null;
}

interface StoredAnswer {
	requestHash: string;
	body: unknown;
}

/**
 * Writes a new case in one statement: it counts the sender's limits, claims the key, and inserts
 * the case, its reporter, its first event, its waiting photos and its shop link. A replay counts no
 * limit and inserts nothing; a refusal claims nothing. Either way the caller learns which.
 */
async function writeReport(
	db: Db,
	write: ReportWrite
): Promise<{ created: boolean; retryAfter: number | null; earlier: StoredAnswer | null }> {
	const windows = new Set(write.limits.map(([, rule]) => rule.windowSeconds));
	if (windows.size > 1) throw new Error('report limits must share one window');
	const window = [...windows][0] ?? 3600;
	const limits = JSON.stringify(write.limits.map(([key, rule]) => ({ key, max: rule.limit })));
	const next = oneMoreHit(window);
	const result = await db.execute(sql`
		with earlier as (
			select request_hash, body from idempotency_keys
			where scope = ${IDEMPOTENCY_SCOPE} and key = ${write.key}
		),
		counted as (
			insert into rate_limits (key, count, window_start)
			select l.key, 1, now() from jsonb_to_recordset(${limits}::jsonb) as l(key text, max int)
			where not exists (select 1 from earlier)
			on conflict (key) do update set count = ${next.count}, window_start = ${next.windowStart}
			returning key, count, window_start
		),
		refused as (
			select max(greatest(1, ceil(extract(epoch from
				c.window_start + make_interval(secs => ${window}::int) - now()))))::int as retry_after
			from counted c join jsonb_to_recordset(${limits}::jsonb) as l(key text, max int) using (key)
			where c.count > l.max
		),
		claimed as (
			insert into idempotency_keys (scope, key, request_hash, status, body)
			select ${IDEMPOTENCY_SCOPE}, ${write.key}, ${write.requestHash}, 201, ${JSON.stringify(write.body)}::jsonb
			where not exists (select 1 from earlier)
				and (select retry_after from refused) is null
			on conflict do nothing
			returning key
		),
		report as (
			insert into reports (id, tracking_code, category_id, priority, description, answers, lat, lng,
				accuracy_m, address, community_id, grid_id, compound_id, outside_area, reporter_user_id,
				reporter_phone_encrypted, department_id, due_at)
			select r.id, r.tracking_code, r.category_id, r.priority, r.description, r.answers, r.lat, r.lng,
				r.accuracy_m, r.address, r.community_id, r.grid_id, r.compound_id, r.outside_area,
				r.reporter_user_id, r.reporter_phone_encrypted, r.department_id, r.due_at
			from jsonb_populate_record(null::reports, ${JSON.stringify(write.row)}::jsonb) as r
			where exists (select 1 from claimed)
			returning id
		),
		reporter as (
			insert into report_reporters (report_id, device_hash) select id, ${write.deviceHash} from report
		),
		submitted as (
			insert into report_events (report_id, actor_user_id, action, to_stage, data)
			select id, ${write.row.reporter_user_id}::uuid, 'submit', 'submitted', ${JSON.stringify(write.event)}::jsonb
			from report
		),
		uploads as (
			insert into report_photo_uploads (report_id, storage_key, position)
			select report.id, u.key, u.position
			from report, jsonb_to_recordset(${JSON.stringify(write.uploads)}::jsonb) as u(key text, position int)
		),
		shop as (
			insert into shop_reports (report_id, shop_id)
			select id, ${write.shopId}::uuid from report where ${write.shopId}::uuid is not null
			on conflict do nothing
		)
		select
			(select count(*) from report)::int as created,
			(select retry_after from refused) as retry_after,
			(select request_hash from earlier) as earlier_hash,
			(select body from earlier) as earlier_body
	`);
	const [row] = rowsOf<{
		created: number;
		retry_after: number | null;
		earlier_hash: string | null;
		earlier_body: unknown;
	}>(result);
	return {
		created: Number(row.created) === 1,
		retryAfter: row.retry_after === null ? null : Number(row.retry_after),
		earlier: row.earlier_hash ? { requestHash: row.earlier_hash, body: row.earlier_body } : null
	};
}

/** The answer stored under a key by a request that finished after this one's statement began. */
async function storedAnswer(db: Db, key: string): Promise<StoredAnswer | null> {
	const [earlier] = await db
		.select({ requestHash: idempotencyKeys.requestHash, body: idempotencyKeys.body })
		.from(idempotencyKeys)
		.where(and(eq(idempotencyKeys.scope, IDEMPOTENCY_SCOPE), eq(idempotencyKeys.key, key)));
	return earlier ?? null;
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
