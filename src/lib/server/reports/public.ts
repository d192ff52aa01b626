import { and, asc, desc, eq, gte, inArray, lte, notInArray, sql } from 'drizzle-orm';
import { distanceMetres, type Point } from '$lib/domain/geo';
import { publicLocation, statusOf, type PublicLocation } from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import { publicNoteOf } from '$lib/i18n/revisit-notes';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Db } from '../db';
import { cachedReference } from '../reference-cache';
import { waitingPhotoCount } from './photo-finishing';
import {
	categories,
	communities,
	compounds,
	reportEvents,
	reportPhotos,
	reports
} from '../db/schema';

/*
 * What anyone may see of a case: no reporter identity, no phone, no typed address, no internal
 * notes, and the location rounded (publicLocation).
 */

export const photoUrl = (id: string) => `/photos/${id}`;

export interface PublicTimelineEntry {
	at: string;
	stage: Stage;
	note?: string;
}

export interface PublicReport {
	id: string;
	trackingCode: string;
	category: string;
	categoryName: string;
	categoryNameEn: string | null;
	urgent: boolean;
	status: 'open' | 'closed';
	stage: Stage;
	createdAt: string;
	meTooCount: number;
	timeline: PublicTimelineEntry[];
	photos: string[];
	/** Photos taken with the report and still being re-encoded: shown in `photos` within moments. */
	photosWaiting: number;
	afterPhotos: string[];
	location: PublicLocation;
	outsideArea: boolean;
}

/** Stages that never appear in the public list or as nearby duplicates. */
const hiddenStages: Stage[] = ['declined', 'duplicate'];
const closedStages: Stage[] = ['closed', 'declined', 'duplicate'];

const baseColumns = {
	id: reports.id,
	trackingCode: reports.trackingCode,
	stage: reports.stage,
	lat: reports.lat,
	lng: reports.lng,
	outsideArea: reports.outsideArea,
	createdAt: reports.createdAt,
	meTooCount: reports.meTooCount,
	categoryCode: categories.code,
	categoryName: categories.name,
	categoryNameEn: categories.nameEn,
	indoor: categories.indoor,
	urgent: categories.urgent,
	communityName: communities.name,
	communityNameEn: communities.nameEn,
	communityBoundary: communities.boundary,
	compoundName: compounds.name,
	compoundBoundary: compounds.boundary
};

function baseQuery(db: Db) {
	return db
		.select(baseColumns)
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(communities, eq(reports.communityId, communities.id))
		.leftJoin(compounds, eq(reports.compoundId, compounds.id));
}

type BaseRow = Awaited<ReturnType<typeof baseQuery>>[number];

function locationOf(row: BaseRow): PublicLocation {
	return publicLocation({
		indoor: row.indoor,
		point: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
		community: row.communityName
			? { name: row.communityName, nameEn: row.communityNameEn, boundary: row.communityBoundary }
			: null,
		compound: row.compoundName ? { name: row.compoundName, boundary: row.compoundBoundary } : null
	});
}

async function publicPhotos(db: Db, reportIds: string[]) {
	if (reportIds.length === 0) return [];
	return db
		.select({ id: reportPhotos.id, reportId: reportPhotos.reportId, kind: reportPhotos.kind })
		.from(reportPhotos)
		.where(and(inArray(reportPhotos.reportId, reportIds), eq(reportPhotos.public, true)))
		.orderBy(asc(reportPhotos.createdAt), asc(reportPhotos.id));
}

/**
 * The public view of one case (`GET /api/v1/reports/{trackingCode}`), or null. The API keeps the
 * Chinese of the notes; the case page asks for its reader's language.
 */
export async function publicReport(
	db: Db,
	trackingCode: string,
	locale: Locale = 'zh-CN'
): Promise<PublicReport | null> {
	const [row] = await baseQuery(db).where(eq(reports.trackingCode, trackingCode));
	if (!row) return null;
	const [events, photos, photosWaiting] = await Promise.all([
		db
			.select({
				at: reportEvents.at,
				action: reportEvents.action,
				toStage: reportEvents.toStage,
				publicNote: reportEvents.publicNote,
				data: reportEvents.data
			})
			.from(reportEvents)
			.where(eq(reportEvents.reportId, row.id))
			.orderBy(asc(reportEvents.at), asc(reportEvents.id)),
		publicPhotos(db, [row.id]),
		waitingPhotoCount(db, row.id)
	]);
	const timeline: PublicTimelineEntry[] = [];
	let current: Stage = 'submitted';
	for (const event of events) {
		if (!event.toStage && !event.publicNote) continue;
		if (event.toStage) current = event.toStage;
		const note = publicNoteOf(event, locale);
		timeline.push({ at: event.at.toISOString(), stage: current, ...(note ? { note } : {}) });
	}
	return {
		id: row.id,
		trackingCode: row.trackingCode,
		category: row.categoryCode,
		categoryName: row.categoryName,
		categoryNameEn: row.categoryNameEn,
		urgent: row.urgent,
		status: statusOf(row.stage),
		stage: row.stage,
		createdAt: row.createdAt.toISOString(),
		meTooCount: row.meTooCount,
		timeline,
		photos: photos.filter((p) => p.kind === 'before').map((p) => photoUrl(p.id)),
		afterPhotos: photos.filter((p) => p.kind === 'after').map((p) => photoUrl(p.id)),
		photosWaiting,
		location: locationOf(row),
		outsideArea: row.outsideArea
	};
}

export interface PublicListItem {
	trackingCode: string;
	category: string;
	categoryName: string;
	categoryNameEn: string | null;
	stage: Stage;
	status: 'open' | 'closed';
	createdAt: string;
	meTooCount: number;
	location: PublicLocation;
	photo: string | null;
}

async function toListItems(db: Db, rows: BaseRow[]): Promise<PublicListItem[]> {
	const photos = await publicPhotos(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((row) => {
		const photo = photos.find((p) => p.reportId === row.id && p.kind === 'before');
		return {
			trackingCode: row.trackingCode,
			category: row.categoryCode,
			categoryName: row.categoryName,
			categoryNameEn: row.categoryNameEn,
			stage: row.stage,
			status: statusOf(row.stage),
			createdAt: row.createdAt.toISOString(),
			meTooCount: row.meTooCount,
			location: locationOf(row),
			photo: photo ? photoUrl(photo.id) : null
		};
	});
}

export interface PublicListFilter {
	category?: string;
	stage?: Stage;
	community?: string;
	page?: number;
}

export const PUBLIC_PAGE_SIZE = 20;

function publicListWhere(filter: PublicListFilter) {
	const conditions = [notInArray(reports.stage, hiddenStages)];
	if (filter.category) conditions.push(eq(categories.code, filter.category));
	if (filter.stage) conditions.push(eq(reports.stage, filter.stage));
	if (filter.community) conditions.push(eq(communities.code, filter.community));
	return and(...conditions);
}

/** Recent public reports, newest first, with filters (the `/reports` page). */
export async function listPublicReports(db: Db, filter: PublicListFilter = {}) {
	const page = Math.max(1, filter.page ?? 1);
	const where = publicListWhere(filter);
	const [rows, [{ total }]] = await Promise.all([
		baseQuery(db)
			.where(where)
			.orderBy(desc(reports.createdAt), desc(reports.id))
			.limit(PUBLIC_PAGE_SIZE)
			.offset((page - 1) * PUBLIC_PAGE_SIZE),
		db
			.select({ total: sql<number>`count(*)::int` })
			.from(reports)
			.innerJoin(categories, eq(reports.categoryId, categories.id))
			.leftJoin(communities, eq(reports.communityId, communities.id))
			.where(where)
	]);
	return { items: await toListItems(db, rows), total: Number(total), page };
}

export interface PublicMapPoint {
	trackingCode: string;
	categoryName: string;
	categoryNameEn: string | null;
	stage: Stage;
	/** Rounded as on every public view: about 50 m, or the compound's centre for indoor problems. */
	lat: number;
	lng: number;
	precision: PublicLocation['precision'];
}

/** How many of the latest reports the public map shows at once. */
export const PUBLIC_MAP_LIMIT = 300;

/** The latest public reports that have a place to show, for the `/reports` map view. */
export async function publicMapPoints(
	db: Db,
	filter: Omit<PublicListFilter, 'page'> = {}
): Promise<PublicMapPoint[]> {
	const rows = await baseQuery(db)
		.where(publicListWhere(filter))
		.orderBy(desc(reports.createdAt), desc(reports.id))
		.limit(PUBLIC_MAP_LIMIT);
	return rows.flatMap((row) => {
		const location = locationOf(row);
		if (location.lat === null || location.lng === null) return [];
		return [
			{
				trackingCode: row.trackingCode,
				categoryName: row.categoryName,
				categoryNameEn: row.categoryNameEn,
				stage: row.stage,
				lat: location.lat,
				lng: location.lng,
				precision: location.precision
			}
		];
	});
}

/** Metres to degrees of latitude (a bounding box before the exact distance check). */
const DEGREES_PER_METRE = 1 / 111_320;

/**
 * Open reports of the same category within the category's radius (default 150 m), nearest first:
 * shown before the final submit so the resident can say "me too" instead.
 */
export async function nearbyOpenReports(
	db: Db,
	categoryCode: string,
	point: Point,
	limit = 5
): Promise<(PublicListItem & { distanceM: number })[]> {
	const [category] = await db
		.select({ id: categories.id, radius: categories.duplicateRadiusM })
		.from(categories)
		.where(eq(categories.code, categoryCode));
	if (!category || category.radius <= 0) return [];
	const dLat = category.radius * DEGREES_PER_METRE;
	const dLng = dLat / Math.cos((point.lat * Math.PI) / 180);
	const rows = await baseQuery(db).where(
		and(
			eq(reports.categoryId, category.id),
			notInArray(reports.stage, closedStages),
			gte(reports.lat, point.lat - dLat),
			lte(reports.lat, point.lat + dLat),
			gte(reports.lng, point.lng - dLng),
			lte(reports.lng, point.lng + dLng)
		)
	);
	const near = rows
		.map((row) => ({ row, distanceM: distanceMetres(point, { lat: row.lat!, lng: row.lng! }) }))
		.filter((x) => x.distanceM <= category.radius)
		.sort((a, b) => a.distanceM - b.distanceM)
		.slice(0, limit);
	const items = await toListItems(
		db,
		near.map((x) => x.row)
	);
	// Rounded to 10 m: the exact distance would give the point away.
	return items.map((item, i) => ({ ...item, distanceM: Math.round(near[i].distanceM / 10) * 10 }));
}

/** A photo that may be shown to anyone: marked public, on a case that is not declined. */
export async function publicPhoto(db: Db, id: string) {
	const [row] = await db
		.select({ storageKey: reportPhotos.storageKey, contentType: reportPhotos.contentType })
		.from(reportPhotos)
		.innerJoin(reports, eq(reportPhotos.reportId, reports.id))
		.where(
			and(
				eq(reportPhotos.id, id),
				eq(reportPhotos.public, true),
				notInArray(reports.stage, ['declined'])
			)
		);
	return row ?? null;
}

/** Active categories with what the report form needs, in display order. */
export function reportFormCategories(db: Db) {
	return cachedReference(db, 'form-categories', () =>
		db
			.select({
				code: categories.code,
				name: categories.name,
				nameEn: categories.nameEn,
				group: categories.group,
				urgent: categories.urgent,
				questions: categories.questions,
				keywords: categories.keywords
			})
			.from(categories)
			.where(eq(categories.active, true))
			.orderBy(asc(categories.sortOrder), asc(categories.code))
	);
}
