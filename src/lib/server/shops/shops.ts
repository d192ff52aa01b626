import { and, asc, desc, eq, ilike, ne, or, type SQL } from 'drizzle-orm';
import * as v from 'valibot';
import { duties, importHeaders, shopSchema, type Duty, type ShopInput } from '$lib/domain/shops';
import { parseInput } from '$lib/domain/validation';
import { decrypt, encrypt, mask } from '../crypto';
import type { Db } from '../db';
import {
	campaigns,
	categories,
	communities,
	inspections,
	reports,
	shopReports,
	shops
} from '../db/schema';
import type { SourceRow } from './tabular';

const CONTACT_PURPOSE = 'shop-owner-contact';

async function communityIdFor(db: Db, value: string): Promise<string | null | undefined> {
	if (!value) return null;
	const [row] = await db
		.select({ id: communities.id })
		.from(communities)
		.where(or(eq(communities.code, value), eq(communities.name, value)));
	return row?.id;
}

function dutyNotes(input: ShopInput): Partial<Record<Duty, string>> {
	return Object.fromEntries(duties.filter((d) => input[d]).map((d) => [d, input[d]]));
}

export class ShopProblem extends Error {
	constructor(readonly fields: Record<string, string>) {
		super('shop_problem');
	}
}

/**
 * Creates (id null) or updates a shop. A blank owner contact on update keeps the stored one.
 * Throws ShopProblem for an unknown community or a name and address already registered.
 */
export async function saveShop(db: Db, id: string | null, input: ShopInput): Promise<string> {
	const communityId = await communityIdFor(db, input.community);
	if (communityId === undefined) throw new ShopProblem({ community: 'shops_community' });
	const values = {
		name: input.name,
		address: input.address,
		lat: input.lat,
		lng: input.lng,
		communityId,
		ownerName: input.ownerName || null,
		dutyNotes: dutyNotes(input),
		...(input.ownerContact
			? { ownerContactEncrypted: encrypt(input.ownerContact, CONTACT_PURPOSE) }
			: {})
	};
	if (id) {
		const [clash] = await db
			.select({ id: shops.id })
			.from(shops)
			.where(and(eq(shops.name, input.name), eq(shops.address, input.address), ne(shops.id, id)));
		if (clash) throw new ShopProblem({ name: 'shops_duplicate' });
	}
	const [row] = id
		? await db.update(shops).set(values).where(eq(shops.id, id)).returning({ id: shops.id })
		: await db
				.insert(shops)
				.values(values)
				.onConflictDoNothing({ target: [shops.name, shops.address] })
				.returning({ id: shops.id });
	if (!row) throw new ShopProblem(id ? { _: 'not_found' } : { name: 'shops_duplicate' });
	return row.id;
}

export interface ImportReport {
	imported: number;
	errors: { line: number; fields: Record<string, string> }[];
}

/**
 * Imports shops from rows whose first row is the header. Each bad row is reported by its line
 * with a problem per field; every good row is imported.
 */
export async function importShops(db: Db, rows: SourceRow[]): Promise<ImportReport> {
	const [header, ...body] = rows;
	const report: ImportReport = { imported: 0, errors: [] };
	if (!header) return { imported: 0, errors: [{ line: 1, fields: { _: 'shops_empty' } }] };
	const columns = header.cells.map((h) => importHeaders[h.trim().toLowerCase()]);
	if (!columns.includes('name') || !columns.includes('address'))
		return { imported: 0, errors: [{ line: header.line, fields: { _: 'shops_headers' } }] };
	await db.transaction(async (tx) => {
		for (const row of body) {
			const record: Record<string, string> = {};
			columns.forEach((field, i) => {
				if (field) record[field] = (row.cells[i] ?? '').trim();
			});
			const parsed = parseInput(shopSchema, record);
			if (!parsed.ok) {
				report.errors.push({ line: row.line, fields: parsed.fields });
				continue;
			}
			try {
				await saveShop(tx, null, parsed.value);
				report.imported++;
			} catch (error) {
				if (!(error instanceof ShopProblem)) throw error;
				report.errors.push({ line: row.line, fields: error.fields });
			}
		}
	});
	return report;
}

function escapeLike(s: string) {
	return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Shops for the staff list, with the owner contact masked. */
export async function listShops(db: Db, filter: { community?: string; q?: string } = {}) {
	const where: SQL[] = [];
	if (filter.community) where.push(eq(communities.code, filter.community));
	if (filter.q)
		where.push(
			or(ilike(shops.name, escapeLike(filter.q)), ilike(shops.address, escapeLike(filter.q)))!
		);
	const rows = await db
		.select({
			id: shops.id,
			name: shops.name,
			address: shops.address,
			community: communities.name,
			communityEn: communities.nameEn,
			communityCode: communities.code,
			ownerName: shops.ownerName,
			ownerContactEncrypted: shops.ownerContactEncrypted
		})
		.from(shops)
		.leftJoin(communities, eq(shops.communityId, communities.id))
		.where(where.length ? and(...where) : undefined)
		.orderBy(asc(communities.code), asc(shops.name))
		.limit(500);
	return rows.map(({ ownerContactEncrypted, ...r }) => ({
		...r,
		ownerContact: maskedContact(ownerContactEncrypted)
	}));
}

function maskedContact(stored: string | null): string | null {
	if (!stored) return null;
	const plain = decrypt(stored, CONTACT_PURPOSE);
	return plain ? mask(plain) : null;
}

/** A shop for the staff edit page and the duty card; the contact only masked. */
export async function getShop(db: Db, id: string) {
	const [row] = await db
		.select({
			shop: shops,
			community: communities.name,
			communityEn: communities.nameEn,
			communityCode: communities.code
		})
		.from(shops)
		.leftJoin(communities, eq(shops.communityId, communities.id))
		.where(eq(shops.id, id));
	if (!row) return null;
	const { ownerContactEncrypted, ...shop } = row.shop;
	return {
		...shop,
		community: row.community,
		communityCode: row.communityCode,
		ownerContact: maskedContact(ownerContactEncrypted)
	};
}

/** What a resident's report form may show about a shop: no owner details. */
export async function getPublicShop(db: Db, id: string) {
	const [row] = await db
		.select({
			id: shops.id,
			name: shops.name,
			address: shops.address,
			lat: shops.lat,
			lng: shops.lng,
			community: communities.code
		})
		.from(shops)
		.leftJoin(communities, eq(shops.communityId, communities.id))
		.where(and(eq(shops.id, id), eq(shops.active, true)));
	return row ?? null;
}

/** A shop's inspections and the cases about it, newest first. */
export async function shopHistory(db: Db, shopId: string) {
	const visits = await db
		.select({
			id: inspections.id,
			at: inspections.inspectedAt,
			campaign: campaigns.name,
			campaignId: campaigns.id,
			results: inspections.results,
			note: inspections.note
		})
		.from(inspections)
		.innerJoin(campaigns, eq(inspections.campaignId, campaigns.id))
		.where(eq(inspections.shopId, shopId))
		.orderBy(desc(inspections.inspectedAt));
	const cases = await db
		.select({
			id: reports.id,
			trackingCode: reports.trackingCode,
			stage: reports.stage,
			category: categories.name,
			categoryEn: categories.nameEn,
			createdAt: reports.createdAt,
			campaignId: shopReports.campaignId
		})
		.from(shopReports)
		.innerJoin(reports, eq(shopReports.reportId, reports.id))
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.where(eq(shopReports.shopId, shopId))
		.orderBy(desc(reports.createdAt));
	return { visits, cases };
}

/** Links a resident's report to the shop it is about (the report intake calls this). */
export async function linkReportToShop(db: Db, reportId: string, shopId: string) {
	await db.insert(shopReports).values({ reportId, shopId }).onConflictDoNothing();
}

export const shopIdSchema = v.pipe(v.string(), v.uuid());
