import { and, asc, count, desc, eq, ne, sql } from 'drizzle-orm';
import { CodeTakenError } from './admin';
import type { StaffScope } from './auth/permissions';
import { clearReferenceCache } from './reference-cache';
import type { Db } from './db';
import { communities, compounds, hydrantChecks, propertyCompanies } from './db/schema';

/** Admin edits of compounds (小区) and property companies (物业公司), and the 无水小区 list. */

export async function listPropertyCompanies(db: Db) {
	return db
		.select({
			id: propertyCompanies.id,
			name: propertyCompanies.name,
			contactName: propertyCompanies.contactName,
			compounds: count(compounds.id)
		})
		.from(propertyCompanies)
		.leftJoin(compounds, eq(compounds.propertyCompanyId, propertyCompanies.id))
		.groupBy(propertyCompanies.id)
		.orderBy(asc(propertyCompanies.name));
}

export async function savePropertyCompany(
	db: Db,
	id: string | null,
	input: { name: string; contactName: string }
): Promise<void | Record<string, string>> {
	const [clash] = await db
		.select({ id: propertyCompanies.id })
		.from(propertyCompanies)
		.where(
			id
				? and(eq(propertyCompanies.name, input.name), ne(propertyCompanies.id, id))
				: eq(propertyCompanies.name, input.name)
		);
	if (clash) return { name: 'compounds_name_taken' };
	const values = { name: input.name, contactName: input.contactName || null };
	if (id) await db.update(propertyCompanies).set(values).where(eq(propertyCompanies.id, id));
	else await db.insert(propertyCompanies).values(values);
}

/** The latest hydrant check of each compound. */
function latestChecks(db: Db) {
	return db
		.selectDistinctOn([hydrantChecks.compoundId], {
			compoundId: hydrantChecks.compoundId,
			checkedOn: hydrantChecks.checkedOn,
			hasWater: hydrantChecks.hasWater,
			note: hydrantChecks.note
		})
		.from(hydrantChecks)
		.orderBy(hydrantChecks.compoundId, desc(hydrantChecks.checkedOn), desc(hydrantChecks.createdAt))
		.as('latest');
}

export async function listCompoundsForAdmin(db: Db) {
	const latest = latestChecks(db);
	return db
		.select({
			id: compounds.id,
			code: compounds.code,
			name: compounds.name,
			community: communities.code,
			communityName: communities.name,
			communityNameEn: communities.nameEn,
			propertyCompany: compounds.propertyCompanyId,
			checkedOn: latest.checkedOn,
			hasWater: latest.hasWater
		})
		.from(compounds)
		.innerJoin(communities, eq(compounds.communityId, communities.id))
		.leftJoin(latest, eq(latest.compoundId, compounds.id))
		.orderBy(asc(communities.code), asc(compounds.code));
}

export async function saveCompound(
	db: Db,
	id: string | null,
	input: { code: string; name: string; community: string; propertyCompany: string }
): Promise<void | Record<string, string>> {
	const [clash] = await db
		.select({ id: compounds.id })
		.from(compounds)
		.where(
			id
				? and(eq(compounds.code, input.code), ne(compounds.id, id))
				: eq(compounds.code, input.code)
		);
	if (clash) throw new CodeTakenError();
	const [community] = await db
		.select({ id: communities.id })
		.from(communities)
		.where(eq(communities.code, input.community));
	if (!community) return { community: 'choice' };
	let propertyCompanyId: string | null = null;
	if (input.propertyCompany) {
		const [company] = await db
			.select({ id: propertyCompanies.id })
			.from(propertyCompanies)
			.where(eq(propertyCompanies.id, input.propertyCompany));
		if (!company) return { propertyCompany: 'choice' };
		propertyCompanyId = company.id;
	}
	const values = {
		code: input.code,
		name: input.name,
		communityId: community.id,
		propertyCompanyId
	};
	if (id) await db.update(compounds).set(values).where(eq(compounds.id, id));
	else await db.insert(compounds).values(values);
	// Reports are placed by cached compounds (reports/location.ts).
	clearReferenceCache();
}

export async function recordHydrantCheck(
	db: Db,
	input: { compoundId: string; checkedOn: string; noWater: boolean; note: string },
	userId: string
): Promise<boolean> {
	const [compound] = await db
		.select({ id: compounds.id })
		.from(compounds)
		.where(eq(compounds.id, input.compoundId));
	if (!compound) return false;
	await db.insert(hydrantChecks).values({
		compoundId: compound.id,
		checkedOn: input.checkedOn,
		hasWater: !input.noWater,
		note: input.note || null,
		recordedByUserId: userId
	});
	return true;
}

/** Compounds whose latest hydrant check found no water (无水小区), within the staff scope. */
export async function listDryCompounds(db: Db, scope: StaffScope) {
	if (scope.kind === 'none') return [];
	const latest = latestChecks(db);
	return db
		.select({
			id: compounds.id,
			name: compounds.name,
			community: communities.name,
			communityEn: communities.nameEn,
			propertyCompany: propertyCompanies.name,
			checkedOn: latest.checkedOn,
			note: latest.note
		})
		.from(latest)
		.innerJoin(compounds, eq(latest.compoundId, compounds.id))
		.innerJoin(communities, eq(compounds.communityId, communities.id))
		.leftJoin(propertyCompanies, eq(compounds.propertyCompanyId, propertyCompanies.id))
		.where(
			and(
				eq(latest.hasWater, false),
				scope.kind === 'community' ? eq(compounds.communityId, scope.communityId) : sql`true`
			)
		)
		.orderBy(desc(latest.checkedOn), asc(compounds.name));
}
