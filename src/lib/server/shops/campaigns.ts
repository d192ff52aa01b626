import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { CampaignInput, Duty, DutyResult, InspectionInput } from '$lib/domain/shops';
import { duties } from '$lib/domain/shops';
import { toLocalDate } from '$lib/domain/local-time';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import {
	campaigns,
	campaignShops,
	categories,
	communities,
	departments,
	inspections,
	reportEvents,
	reportPhotos,
	reports,
	shopReports,
	shops
} from '../db/schema';
import type { StoredPhoto } from '../reports/photos';
import { newTrackingCode } from '../reports/secrets';
import { SHOPS_DEPARTMENT } from './constants';

/** The category of a failed shopfront inspection's case (门前三包不落实). */
export const SHOPFRONT_CATEGORY = 'shopfront-duties';

export class CampaignProblem extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly fields?: Record<string, string>
	) {
		super(code);
	}
}

/** Creates a campaign over the shops of the chosen communities, or the listed shops. */
export async function createCampaign(
	db: Db,
	input: CampaignInput,
	user: Pick<SessionUser, 'id'>
): Promise<string> {
	return db.transaction(async (tx) => {
		let shopIds: string[];
		if (input.by === 'community') {
			const rows = await tx
				.select({ id: shops.id })
				.from(shops)
				.innerJoin(communities, eq(shops.communityId, communities.id))
				.where(and(inArray(communities.code, input.communities), eq(shops.active, true)));
			shopIds = rows.map((r) => r.id);
		} else {
			const wanted = input.shops.filter((s) => /^[0-9a-f-]{36}$/i.test(s));
			const rows = wanted.length
				? await tx.select({ id: shops.id }).from(shops).where(inArray(shops.id, wanted))
				: [];
			shopIds = rows.map((r) => r.id);
		}
		if (shopIds.length === 0)
			throw new CampaignProblem(400, 'invalid_input', {
				[input.by === 'community' ? 'communities' : 'shops']: 'campaign_no_shops'
			});
		const [campaign] = await tx
			.insert(campaigns)
			.values({
				name: input.name,
				startsOn: input.startsOn,
				endsOn: input.endsOn,
				createdByUserId: user.id
			})
			.returning({ id: campaigns.id });
		await tx
			.insert(campaignShops)
			.values(shopIds.map((shopId) => ({ campaignId: campaign.id, shopId })));
		return campaign.id;
	});
}

const FIXED_STAGES = ['handled', 'closed'];

/** Campaigns, newest first, with their progress. */
export async function listCampaigns(db: Db) {
	const rows = await db.select().from(campaigns).orderBy(desc(campaigns.startsOn));
	return Promise.all(
		rows.map(async (c) => ({ ...c, progress: (await campaignDetail(db, c.id))!.progress }))
	);
}

/**
 * A campaign with each shop's state and the progress counts: shops inspected, shops whose last
 * inspection passed, shops that failed an inspection, and failed shops whose cases are all handled
 * or closed (or that passed a later inspection).
 */
export async function campaignDetail(db: Db, id: string) {
	const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, id));
	if (!campaign) return null;
	const shopRows = await db
		.select({
			id: shops.id,
			name: shops.name,
			address: shops.address,
			community: communities.name,
			communityEn: communities.nameEn,
			dutyNotes: shops.dutyNotes
		})
		.from(campaignShops)
		.innerJoin(shops, eq(campaignShops.shopId, shops.id))
		.leftJoin(communities, eq(shops.communityId, communities.id))
		.where(eq(campaignShops.campaignId, id))
		.orderBy(asc(communities.code), asc(shops.name));
	const visits = await db
		.select({
			shopId: inspections.shopId,
			at: inspections.inspectedAt,
			results: inspections.results
		})
		.from(inspections)
		.where(eq(inspections.campaignId, id))
		.orderBy(asc(inspections.inspectedAt));
	const cases = await db
		.select({
			shopId: shopReports.shopId,
			id: reports.id,
			trackingCode: reports.trackingCode,
			stage: reports.stage,
			department: departments.code
		})
		.from(shopReports)
		.innerJoin(reports, eq(shopReports.reportId, reports.id))
		.leftJoin(departments, eq(reports.departmentId, departments.id))
		.where(eq(shopReports.campaignId, id));
	const progress = { shops: shopRows.length, inspected: 0, passed: 0, failed: 0, fixed: 0 };
	const items = shopRows.map((shop) => {
		const own = visits.filter((v) => v.shopId === shop.id);
		const last = own.at(-1);
		const everFailed = own.some((v) => failedDuties(v.results).length > 0);
		const shopCases = cases.filter((c) => c.shopId === shop.id);
		const lastPassed = !!last && failedDuties(last.results).length === 0;
		const fixed =
			everFailed &&
			(lastPassed ||
				(shopCases.length > 0 && shopCases.every((c) => FIXED_STAGES.includes(c.stage))));
		if (last) progress.inspected++;
		if (lastPassed) progress.passed++;
		if (everFailed) progress.failed++;
		if (fixed) progress.fixed++;
		return {
			...shop,
			lastInspectedAt: last?.at ?? null,
			lastResults: last?.results ?? null,
			fixed,
			cases: shopCases.map(({ shopId: _shopId, ...c }) => c)
		};
	});
	return { ...campaign, progress, shops: items };
}

export function failedDuties(results: Record<Duty, DutyResult>): Duty[] {
	return duties.filter((d) => results[d] === 'fail');
}

export interface RecordedInspection {
	id: string;
	replayed: boolean;
	case: { id: string; trackingCode: string } | null;
}

/**
 * Records an inspection once per clientId (a replayed sync gets the first answer). A failed duty
 * opens a case: category 门前三包不落实, dispatched to 城管中队, linked to the shop and campaign.
 */
export async function recordInspection(
	db: Db,
	campaignId: string,
	input: InspectionInput & { photo: StoredPhoto | null },
	dutyLabels: Record<Duty, string>,
	user: Pick<SessionUser, 'id'>,
	now = new Date()
): Promise<RecordedInspection> {
	return db.transaction(async (tx) => {
		const [existing] = await tx
			.select({ id: inspections.id, campaignId: inspections.campaignId })
			.from(inspections)
			.where(eq(inspections.clientId, input.clientId));
		if (existing) {
			if (existing.campaignId !== campaignId)
				throw new CampaignProblem(422, 'idempotency_key_mismatch');
			const [link] = await tx
				.select({ id: reports.id, trackingCode: reports.trackingCode })
				.from(shopReports)
				.innerJoin(reports, eq(shopReports.reportId, reports.id))
				.where(eq(shopReports.inspectionId, existing.id));
			return { id: existing.id, replayed: true, case: link ?? null };
		}
		const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
		if (!campaign) throw new CampaignProblem(404, 'not_found');
		const [shop] = await tx
			.select({
				id: shops.id,
				name: shops.name,
				address: shops.address,
				lat: shops.lat,
				lng: shops.lng,
				communityId: shops.communityId
			})
			.from(campaignShops)
			.innerJoin(shops, eq(campaignShops.shopId, shops.id))
			.where(and(eq(campaignShops.campaignId, campaignId), eq(campaignShops.shopId, input.shopId)));
		if (!shop) throw new CampaignProblem(404, 'not_found', { shopId: 'choice' });
		// Recorded offline, so the phone's time counts; but never in the future.
		const inspectedAt = input.inspectedAt > now ? now : input.inspectedAt;
		const day = toLocalDate(inspectedAt);
		if (day < campaign.startsOn || day > campaign.endsOn)
			throw new CampaignProblem(409, 'campaign_closed');
		const results = {
			appearance: input.appearance,
			sanitation: input.sanitation,
			order: input.order
		};
		const failed = failedDuties(results);
		if (failed.length && !input.photo)
			throw new CampaignProblem(400, 'invalid_input', { photo: 'campaign_photo_required' });
		const [inspection] = await tx
			.insert(inspections)
			.values({
				clientId: input.clientId,
				campaignId,
				shopId: shop.id,
				inspectorUserId: user.id,
				inspectedAt,
				results,
				note: input.note || null,
				photoKey: input.photo?.storageKey ?? null
			})
			.returning({ id: inspections.id });
		if (!failed.length) return { id: inspection.id, replayed: false, case: null };

		const [category] = await tx
			.select()
			.from(categories)
			.where(eq(categories.code, SHOPFRONT_CATEGORY));
		const [department] = await tx
			.select({ id: departments.id })
			.from(departments)
			.where(eq(departments.code, SHOPS_DEPARTMENT));
		if (!category || !department) throw new Error('shopfront category or 城管中队 missing');
		const description = `【集中查处·${campaign.name}】${shop.name}：${failed
			.map((d) => `${dutyLabels[d]}不合格`)
			.join('、')}${input.note ? `。${input.note}` : ''}`;
		let created: { id: string; trackingCode: string } | undefined;
		for (let attempt = 0; attempt < 5 && !created; attempt++) {
			[created] = await tx
				.insert(reports)
				.values({
					trackingCode: newTrackingCode(),
					categoryId: category.id,
					stage: 'dispatched',
					description,
					lat: shop.lat,
					lng: shop.lng,
					address: shop.address,
					communityId: shop.communityId,
					reporterUserId: user.id,
					departmentId: department.id,
					dueAt: new Date(now.getTime() + category.deadlineHours * 3600_000)
				})
				.onConflictDoNothing({ target: reports.trackingCode })
				.returning({ id: reports.id, trackingCode: reports.trackingCode });
		}
		if (!created) throw new Error('no free tracking code');
		await tx.insert(reportEvents).values({
			reportId: created.id,
			actorUserId: user.id,
			action: 'dispatch',
			toStage: 'dispatched',
			departmentId: department.id,
			note: description,
			data: { source: 'campaign', campaignId, inspectionId: inspection.id, shopId: shop.id, failed }
		});
		// The inspector's photo is the case's "before" photo, for staff only.
		if (input.photo)
			await tx.insert(reportPhotos).values({
				reportId: created.id,
				kind: 'before',
				storageKey: input.photo.storageKey,
				contentType: input.photo.contentType,
				width: input.photo.width,
				height: input.photo.height,
				bytes: input.photo.bytes,
				public: false
			});
		await tx.insert(shopReports).values({
			reportId: created.id,
			shopId: shop.id,
			campaignId,
			inspectionId: inspection.id
		});
		return { id: inspection.id, replayed: false, case: created };
	});
}

/** The stored photo of an inspection, or null. */
export async function inspectionPhotoKey(db: Db, inspectionId: string): Promise<string | null> {
	const [row] = await db
		.select({ key: inspections.photoKey })
		.from(inspections)
		.where(eq(inspections.id, inspectionId));
	return row?.key ?? null;
}
