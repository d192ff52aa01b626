import {
	aliasedTable,
	and,
	asc,
	desc,
	eq,
	ilike,
	inArray,
	isNull,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import type { QueueFilter } from '$lib/domain/staff-input';
import { maskPhone } from '$lib/domain/staff-input';
import type { Stage } from '$lib/domain/stages';
import { availableActions, openStages } from '$lib/domain/workflow';
import { workingHoursBetween, type WorkCalendar } from '$lib/domain/working-hours';
import { ApiError } from '../api/errors';
import type { Db } from '../db';
import { waitingPhotoCount } from './photo-finishing';
import {
	categories,
	communities,
	compounds,
	departments,
	grids,
	reportEvents,
	reportFollowers,
	reportPhotos,
	reports,
	responseTemplates,
	searchPairs,
	shopReports,
	shops,
	users
} from '../db/schema';
import { isOverdue, loadCalendar, overdueAt } from './deadlines';
import { revisitDueAt, revisitLinks } from './revisits';
import { caseInScope, scopeCondition, type Actor } from './workflow';
import { can } from '../auth/permissions';

/* The staff queue and the case page's data, always within the actor's scope. */

export const PAGE_SIZE = 20;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);

function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

/** The WHERE clause of a filtered queue within the actor's scope. */
export function queueWhere(actor: Actor, filter: QueueFilter, now: Date): SQL | undefined {
	const parts: (SQL | undefined)[] = [scopeCondition(actor)];
	if (filter.stage === 'open') parts.push(inArray(reports.stage, [...openStages]));
	else if (filter.stage) parts.push(eq(reports.stage, filter.stage));
	// Codes from the filter, matched through each table's code column.
	const coded = [
		[filter.category, reports.categoryId, categories],
		[filter.community, reports.communityId, communities],
		[filter.grid, reports.gridId, grids],
		[filter.department, reports.departmentId, departments]
	] as const;
	for (const [code, column, table] of coded)
		if (code)
			parts.push(
				inArray(column, sql`(select ${table.id} from ${table} where ${table.code} = ${code})`)
			);
	if (filter.priority) parts.push(eq(reports.priority, filter.priority));
	if (filter.overdue) parts.push(overdueAt(now));
	if (filter.revisit) parts.push(revisitDueAt(now));
	if (filter.q) {
		const pattern = likePattern(filter.q);
		// Two characters have no trigram: their pair finds the candidates through its own index.
		if ([...filter.q].length === 2)
			parts.push(sql`${searchPairs(reports)} @> array[lower(${filter.q})]`);
		parts.push(
			or(
				ilike(reports.trackingCode, pattern),
				ilike(reports.description, pattern),
				ilike(reports.address, pattern)
			)
		);
	}
	return and(...parts);
}

function hoursLeft(calendar: WorkCalendar, stage: Stage, dueAt: Date | null, now: Date) {
	if (!dueAt || !(openStages as readonly Stage[]).includes(stage)) return null;
	return Math.round(workingHoursBetween(calendar, now, dueAt) * 10) / 10;
}

export async function listQueue(db: Db, actor: Actor, filter: QueueFilter, now = new Date()) {
	const where = queueWhere(actor, filter, now);
	const order =
		filter.sort === 'newest'
			? [desc(reports.createdAt)]
			: filter.sort === 'priority'
				? [desc(reports.priority), sql`${reports.dueAt} asc nulls last`, asc(reports.createdAt)]
				: [sql`${reports.dueAt} asc nulls last`, asc(reports.createdAt)];
	const page = filter.page ?? 1;
	const [rows, [{ total }], calendar] = await Promise.all([
		db
			.select({
				id: reports.id,
				trackingCode: reports.trackingCode,
				stage: reports.stage,
				priority: reports.priority,
				description: reports.description,
				address: reports.address,
				createdAt: reports.createdAt,
				dueAt: reports.dueAt,
				version: reports.version,
				revisitDue: sql<boolean>`${revisitDueAt(now)}`,
				category: { code: categories.code, name: categories.name, nameEn: categories.nameEn },
				community: { code: communities.code, name: communities.name, nameEn: communities.nameEn },
				grid: { code: grids.code, name: grids.name, nameEn: grids.nameEn },
				department: { code: departments.code, name: departments.name, nameEn: departments.nameEn }
			})
			.from(reports)
			.innerJoin(categories, eq(reports.categoryId, categories.id))
			.leftJoin(communities, eq(reports.communityId, communities.id))
			.leftJoin(grids, eq(reports.gridId, grids.id))
			.leftJoin(departments, eq(reports.departmentId, departments.id))
			.where(where)
			.orderBy(...order)
			.limit(PAGE_SIZE)
			.offset((page - 1) * PAGE_SIZE),
		db
			.select({ total: sql<number>`count(*)`.mapWith(Number) })
			.from(reports)
			.where(where),
		loadCalendar(db)
	]);
	return {
		items: rows.map((r) => ({
			...r,
			description: r.description.length > 120 ? r.description.slice(0, 120) + '…' : r.description,
			community: r.community?.code ? r.community : null,
			grid: r.grid?.code ? r.grid : null,
			department: r.department?.code ? r.department : null,
			overdue: isOverdue(r, now),
			hoursLeft: hoursLeft(calendar, r.stage, r.dueAt, now)
		})),
		total,
		page,
		pageSize: PAGE_SIZE
	};
}
export type QueueItem = Awaited<ReturnType<typeof listQueue>>['items'][number];

/** The case page's data; 404 when unknown, 403 outside the actor's scope. */
export async function getCase(db: Db, actor: Actor, id: string, now = new Date()) {
	if (!isUuid(id)) throw new ApiError(404, 'not_found');
	const [row] = await db
		.select({
			report: reports,
			category: {
				id: categories.id,
				code: categories.code,
				name: categories.name,
				nameEn: categories.nameEn
			},
			community: { code: communities.code, name: communities.name, nameEn: communities.nameEn },
			grid: {
				code: grids.code,
				name: grids.name,
				nameEn: grids.nameEn,
				responsibleName: grids.responsibleName
			},
			compound: { code: compounds.code, name: compounds.name },
			department: { code: departments.code, name: departments.name, nameEn: departments.nameEn },
			shop: { id: shops.id, name: shops.name },
			reporterPhone: users.phone
		})
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(communities, eq(reports.communityId, communities.id))
		.leftJoin(grids, eq(reports.gridId, grids.id))
		.leftJoin(compounds, eq(reports.compoundId, compounds.id))
		.leftJoin(departments, eq(reports.departmentId, departments.id))
		.leftJoin(users, eq(reports.reporterUserId, users.id))
		.leftJoin(shopReports, eq(shopReports.reportId, reports.id))
		.leftJoin(shops, eq(shopReports.shopId, shops.id))
		.where(eq(reports.id, id));
	if (!row) throw new ApiError(404, 'not_found');
	const r = row.report;
	if (!caseInScope(actor, r)) throw new ApiError(403, 'forbidden');
	const actorUser = aliasedTable(users, 'actor');
	const eventDepartment = aliasedTable(departments, 'event_department');
	const [events, photos, followers, templates, duplicateOf, calendar, links, photosWaiting] =
		await Promise.all([
			db
				.select({
					id: reportEvents.id,
					at: reportEvents.at,
					action: reportEvents.action,
					fromStage: reportEvents.fromStage,
					toStage: reportEvents.toStage,
					note: reportEvents.note,
					publicNote: reportEvents.publicNote,
					data: reportEvents.data,
					actor: actorUser.name,
					actorRole: actorUser.role,
					department: eventDepartment.name,
					departmentEn: eventDepartment.nameEn
				})
				.from(reportEvents)
				.leftJoin(actorUser, eq(reportEvents.actorUserId, actorUser.id))
				.leftJoin(eventDepartment, eq(reportEvents.departmentId, eventDepartment.id))
				.where(eq(reportEvents.reportId, id))
				.orderBy(asc(reportEvents.at), asc(reportEvents.id)),
			db
				.select({
					id: reportPhotos.id,
					kind: reportPhotos.kind,
					width: reportPhotos.width,
					height: reportPhotos.height
				})
				.from(reportPhotos)
				.where(eq(reportPhotos.reportId, id))
				.orderBy(asc(reportPhotos.createdAt)),
			db
				.select({ count: sql<number>`count(*)`.mapWith(Number) })
				.from(reportFollowers)
				.where(eq(reportFollowers.reportId, id)),
			db
				.select({
					id: responseTemplates.id,
					title: responseTemplates.title,
					body: responseTemplates.body
				})
				.from(responseTemplates)
				.where(
					or(eq(responseTemplates.categoryId, r.categoryId), isNull(responseTemplates.categoryId))
				)
				.orderBy(asc(responseTemplates.title)),
			r.duplicateOfId
				? db
						.select({ id: reports.id, trackingCode: reports.trackingCode })
						.from(reports)
						.where(eq(reports.id, r.duplicateOfId))
				: Promise.resolve([]),
			loadCalendar(db),
			revisitLinks(db, id),
			waitingPhotoCount(db, id)
		]);
	const revisitDue = links.revisits.find((v) => v.status === 'scheduled' && +v.dueAt <= +now);
	return {
		id: r.id,
		trackingCode: r.trackingCode,
		stage: r.stage,
		priority: r.priority,
		version: r.version,
		description: r.description,
		answers: r.answers,
		location: {
			lat: r.lat,
			lng: r.lng,
			accuracyM: r.accuracyM,
			address: r.address,
			outsideArea: r.outsideArea
		},
		category: row.category,
		community: row.community?.code ? row.community : null,
		grid: row.grid?.code ? row.grid : null,
		compound: row.compound?.code ? row.compound : null,
		department: row.department?.code ? row.department : null,
		/** The shop (门前三包) the case is about, from its duty card's QR code or an inspection. */
		shop: row.shop?.id ? row.shop : null,
		/** Masked; only staff in scope get this far. */
		reporterPhone: row.reporterPhone ? maskPhone(row.reporterPhone) : null,
		reporterLeftPhone: !!r.reporterPhoneEncrypted,
		followers: followers[0]?.count ?? 0,
		meTooCount: r.meTooCount,
		duplicateOf: duplicateOf[0] ?? null,
		createdAt: r.createdAt,
		updatedAt: r.updatedAt,
		dueAt: r.dueAt,
		overdue: isOverdue(r, now),
		hoursLeft: hoursLeft(calendar, r.stage, r.dueAt, now),
		photos: photos.map((p) => ({ ...p, url: `/staff/reports/${id}/photos/${p.id}` })),
		photosWaiting,
		timeline: events,
		templates,
		actions: availableActions(actor.role, r.stage),
		revisits: links.revisits,
		reopenedFrom: links.reopenedFrom,
		/** The revisit this actor may check now, if any. */
		revisitToCheck:
			revisitDue && r.stage === 'closed' && can(actor, 'reports.verify') ? revisitDue.id : null
	};
}
export type CaseView = Awaited<ReturnType<typeof getCase>>;

/** One photo of a case for staff in scope. */
export async function getCasePhoto(db: Db, actor: Actor, reportId: string, photoId: string) {
	if (!isUuid(reportId) || !isUuid(photoId)) throw new ApiError(404, 'not_found');
	const [row] = await db
		.select({ photo: reportPhotos, report: reports })
		.from(reportPhotos)
		.innerJoin(reports, eq(reportPhotos.reportId, reports.id))
		.where(and(eq(reportPhotos.id, photoId), eq(reportPhotos.reportId, reportId)));
	if (!row) throw new ApiError(404, 'not_found');
	if (!caseInScope(actor, row.report)) throw new ApiError(403, 'forbidden');
	return row.photo;
}
