import { and, asc, desc, eq, gte, inArray, lte, notInArray, type SQL } from 'drizzle-orm';
import { maskPhone, publicLocation, statusOf, type PublicLocation } from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import { localName } from '$lib/i18n/labels';
import { stageLabel } from '$lib/i18n/report-labels';
import { publicNoteOf } from '$lib/i18n/revisit-notes';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Db } from '../db';
import {
	categories,
	communities,
	compounds,
	departments,
	reportEvents,
	reportPhotos,
	reports
} from '../db/schema';
import { photoUrl } from '../reports/public';
import { chinaTime, Open311Error } from './respond';

/*
 * GET requests and GET requests/{id}: cases as GeoReport v2 service requests, with exactly what the
 * public pages show: no reporter identity, no typed address, the location rounded (publicLocation),
 * public replies only. service_request_id is the case's public tracking code.
 */

export const MAX_DAYS = 90;
export const DEFAULT_LIMIT = 1000;
export const MAX_IDS = 200;
const DAY_MS = 86_400_000;

/** Declined and merged cases stay out of date-range lists, as on the public list; by id they show. */
const unlistedStages: Stage[] = ['declined', 'duplicate'];
const closedStages: Stage[] = ['closed', 'declined', 'duplicate'];

export interface RequestQuery {
	ids: string[] | null;
	serviceCodes: string[] | null;
	start: Date;
	end: Date;
	statuses: ('open' | 'closed')[] | null;
	page: number;
	pageSize: number;
	extensions: boolean;
}

/** A comma list, from one parameter or the same one repeated (status=open&status=closed). */
function list(params: URLSearchParams, name: string): string[] | null {
	const items = params
		.getAll(name)
		.join(',')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	return items.length ? [...new Set(items)] : null;
}

/** W3C date-time with a zone (Z or ±hh:mm), seconds and fraction optional; a bare date is UTC. */
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function date(params: URLSearchParams, field: string): Date | null {
	// A "+" left unencoded in the offset arrives as a space: read it as the "+" it was.
	const raw = params
		.get(field)
		?.trim()
		.replace(/ (\d{2}:\d{2})$/, '+$1');
	if (!raw) return null;
	const parsed = W3C.test(raw) ? new Date(raw) : null;
	if (!parsed || Number.isNaN(parsed.getTime()))
		throw new Open311Error(400, m.open311_error_date({ field }));
	return parsed;
}

function positive(params: URLSearchParams, field: string, fallback: number, max: number): number {
	const raw = params.get(field)?.trim();
	if (!raw) return fallback;
	const value = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
	if (!(value >= 1 && value <= max))
		throw new Open311Error(400, m.open311_error_number({ field, max: String(max) }));
	return value;
}

/**
 * Reads the query string. Without dates the range is the last 90 days; with one date the other
 * is 90 days away (never past now); a wider range is 400. An empty parameter counts as absent.
 */
export function parseRequestQuery(params: URLSearchParams, now = new Date()): RequestQuery {
	const ids = list(params, 'service_request_id');
	if (ids && ids.length > MAX_IDS)
		throw new Open311Error(400, m.open311_error_ids({ max: String(MAX_IDS) }));
	const startDate = date(params, 'start_date');
	const endDate = date(params, 'end_date');
	const end =
		endDate ??
		(startDate ? new Date(Math.min(now.getTime(), startDate.getTime() + MAX_DAYS * DAY_MS)) : now);
	const start = startDate ?? new Date(end.getTime() - MAX_DAYS * DAY_MS);
	if (start > end) throw new Open311Error(400, m.open311_error_date_order());
	if (end.getTime() - start.getTime() > MAX_DAYS * DAY_MS)
		throw new Open311Error(400, m.open311_error_date_span());
	const statusList = list(params, 'status');
	if (statusList && !statusList.every((s) => s === 'open' || s === 'closed'))
		throw new Open311Error(400, m.open311_error_status());
	const extensions = params.get('extensions')?.trim().toLowerCase() === 'true';
	return {
		ids,
		serviceCodes: list(params, 'service_code'),
		start,
		end,
		statuses: statusList as ('open' | 'closed')[] | null,
		page: positive(params, 'page', 1, 1_000_000),
		pageSize: positive(params, 'page_size', DEFAULT_LIMIT, DEFAULT_LIMIT),
		extensions
	};
}

export interface Open311Note {
	datetime: string;
	type: Stage;
	description: string;
}

export interface Open311Request {
	service_request_id: string;
	status: 'open' | 'closed';
	status_notes: string | null;
	service_name: string;
	service_code: string;
	description: string | null;
	agency_responsible: string | null;
	service_notice: string | null;
	requested_datetime: string;
	updated_datetime: string;
	expected_datetime: string | null;
	address: string | null;
	address_id: string | null;
	zipcode: string | null;
	lat: number | null;
	long: number | null;
	media_url: string | null;
	extended_attributes?: { stage: Stage; stage_name: string };
	notes?: Open311Note[];
}

/**
 * Free text as the public may read it: mainland mobile numbers masked (138****1234) and resident
 * ID numbers hidden, whatever the resident typed into the description.
 */
export function maskContacts(text: string): string {
	return text
		.replace(/(?<!\d)\d{17}[\dXx](?![\dXx])/g, '******************')
		.replace(/(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g, (phone) =>
			maskPhone(phone.replace(/[\s-]/g, ''))
		);
}

export function publicAddress(location: PublicLocation): string | null {
	if (location.compound && location.community)
		return m.open311_address_compound({
			community: location.community,
			compound: location.compound
		});
	return location.community ?? location.compound;
}

const columns = {
	id: reports.id,
	trackingCode: reports.trackingCode,
	stage: reports.stage,
	description: reports.description,
	lat: reports.lat,
	lng: reports.lng,
	dueAt: reports.dueAt,
	createdAt: reports.createdAt,
	updatedAt: reports.updatedAt,
	categoryCode: categories.code,
	categoryName: categories.name,
	categoryNameEn: categories.nameEn,
	indoor: categories.indoor,
	urgent: categories.urgent,
	departmentName: departments.name,
	departmentNameEn: departments.nameEn,
	communityName: communities.name,
	communityNameEn: communities.nameEn,
	communityBoundary: communities.boundary,
	compoundName: compounds.name,
	compoundBoundary: compounds.boundary
};

function select(db: Db) {
	return db
		.select(columns)
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(departments, eq(reports.departmentId, departments.id))
		.leftJoin(communities, eq(reports.communityId, communities.id))
		.leftJoin(compounds, eq(reports.compoundId, compounds.id));
}

type Row = Awaited<ReturnType<typeof select>>[number];

export interface Context {
	origin: string;
	locale: Locale;
	extensions: boolean;
}

async function toRequests(db: Db, rows: Row[], ctx: Context): Promise<Open311Request[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const [events, photos] = await Promise.all([
		db
			.select({
				reportId: reportEvents.reportId,
				at: reportEvents.at,
				toStage: reportEvents.toStage,
				action: reportEvents.action,
				data: reportEvents.data,
				publicNote: reportEvents.publicNote
			})
			.from(reportEvents)
			.where(inArray(reportEvents.reportId, ids))
			.orderBy(asc(reportEvents.at), asc(reportEvents.id)),
		db
			.select({ id: reportPhotos.id, reportId: reportPhotos.reportId })
			.from(reportPhotos)
			.where(
				and(
					inArray(reportPhotos.reportId, ids),
					eq(reportPhotos.public, true),
					eq(reportPhotos.kind, 'before')
				)
			)
			.orderBy(asc(reportPhotos.createdAt), asc(reportPhotos.id))
	]);
	return rows.map((row) => {
		const own = events.filter((e) => e.reportId === row.id);
		const replies = own.filter((e) => e.publicNote);
		const lastEventAt = own.reduce((t, e) => Math.max(t, e.at.getTime()), 0);
		const photo = photos.find((p) => p.reportId === row.id);
		const status = statusOf(row.stage);
		const location = publicLocation({
			indoor: row.indoor,
			point: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
			community: row.communityName
				? {
						name: localName({ name: row.communityName, nameEn: row.communityNameEn }, ctx.locale),
						boundary: row.communityBoundary
					}
				: null,
			compound: row.compoundName ? { name: row.compoundName, boundary: row.compoundBoundary } : null
		});
		const request: Open311Request = {
			service_request_id: row.trackingCode,
			status,
			status_notes: replies.length ? publicNoteOf(replies[replies.length - 1], ctx.locale) : null,
			service_name: localName({ name: row.categoryName, nameEn: row.categoryNameEn }, ctx.locale),
			service_code: row.categoryCode,
			description: row.description ? maskContacts(row.description).slice(0, 4000) : null,
			agency_responsible: row.departmentName
				? localName({ name: row.departmentName, nameEn: row.departmentNameEn }, ctx.locale)
				: null,
			service_notice: row.urgent ? m.open311_notice_urgent({}, { locale: ctx.locale }) : null,
			requested_datetime: chinaTime(row.createdAt),
			updated_datetime: chinaTime(new Date(Math.max(row.updatedAt.getTime(), lastEventAt))),
			expected_datetime: status === 'open' && row.dueAt ? chinaTime(row.dueAt) : null,
			address: publicAddress(location),
			address_id: null,
			zipcode: null,
			lat: location.lat,
			long: location.lng,
			media_url: photo ? new URL(photoUrl(photo.id), ctx.origin).href : null
		};
		if (ctx.extensions) {
			request.extended_attributes = {
				stage: row.stage,
				stage_name: stageLabel[row.stage]({}, { locale: ctx.locale })
			};
			let current: Stage = 'submitted';
			request.notes = own
				.filter((e) => e.toStage || e.publicNote)
				.map((e) => {
					if (e.toStage) current = e.toStage;
					return {
						datetime: chinaTime(e.at),
						type: current,
						description:
							publicNoteOf(e, ctx.locale) ?? stageLabel[current]({}, { locale: ctx.locale })
					};
				});
		}
		return request;
	});
}

/** GET requests: newest first, at most `pageSize` (1000 by default) per page. */
export async function findRequests(
	db: Db,
	query: RequestQuery,
	ctx: Omit<Context, 'extensions'>
): Promise<Open311Request[]> {
	const conditions: SQL[] = [];
	if (query.ids) {
		// The spec: a list of ids overrides every other filter.
		conditions.push(inArray(reports.trackingCode, query.ids));
	} else {
		conditions.push(notInArray(reports.stage, unlistedStages));
		conditions.push(gte(reports.createdAt, query.start), lte(reports.createdAt, query.end));
		if (query.serviceCodes) conditions.push(inArray(categories.code, query.serviceCodes));
		if (query.statuses && query.statuses.length === 1) {
			conditions.push(
				query.statuses[0] === 'closed'
					? inArray(reports.stage, closedStages)
					: notInArray(reports.stage, closedStages)
			);
		}
	}
	const rows = await select(db)
		.where(and(...conditions))
		.orderBy(desc(reports.createdAt), desc(reports.id))
		.limit(query.pageSize)
		.offset((query.page - 1) * query.pageSize);
	return toRequests(db, rows, { ...ctx, extensions: query.extensions });
}

/** GET requests/{id}: one case by its tracking code, or 404. */
export async function findRequest(db: Db, id: string, ctx: Context): Promise<Open311Request> {
	const rows = await select(db).where(eq(reports.trackingCode, id)).limit(1);
	if (rows.length === 0) throw new Open311Error(404, m.open311_error_request_not_found({ id }));
	const [request] = await toRequests(db, rows, ctx);
	return request;
}
