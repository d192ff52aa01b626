import { and, asc, eq, ilike, ne, or, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Polygon } from '$lib/domain/geo';
import type { Db } from './db';
import { categories, communities, departments, grids, subdistricts, users } from './db/schema';
import type { CategoryGroup } from '$lib/domain/categories';
import type { DepartmentKind } from './db/schema';
import { clearReferenceCache } from './reference-cache';

/** Admin edits of the jurisdiction data. Every writer checks that a code stays unique. */
export class CodeTakenError extends Error {
	constructor() {
		super('code_taken');
	}
}

async function assertCodeFree(
	db: Db,
	table: PgTable & { id: PgColumn; code: PgColumn },
	code: string,
	id: string | null
) {
	const where: SQL | undefined = id
		? and(eq(table.code, code), ne(table.id, id))
		: eq(table.code, code);
	const rows = await db.select({ id: table.id }).from(table).where(where);
	if (rows.length) throw new CodeTakenError();
}

async function departmentId(db: Db, code: string | undefined): Promise<string | null> {
	if (!code) return null;
	const [row] = await db
		.select({ id: departments.id })
		.from(departments)
		.where(eq(departments.code, code));
	return row?.id ?? null;
}

export function listCategoriesForAdmin(db: Db) {
	return db
		.select({
			id: categories.id,
			code: categories.code,
			name: categories.name,
			nameEn: categories.nameEn,
			group: categories.group,
			department: departments.code,
			deadlineHours: categories.deadlineHours,
			urgentDeadlineHours: categories.urgentDeadlineHours,
			duplicateRadiusM: categories.duplicateRadiusM,
			urgent: categories.urgent,
			indoor: categories.indoor,
			active: categories.active
		})
		.from(categories)
		.leftJoin(departments, eq(categories.departmentId, departments.id))
		.orderBy(asc(categories.sortOrder), asc(categories.code));
}

export interface CategoryInput {
	code: string;
	name: string;
	nameEn: string;
	group: CategoryGroup;
	department?: string;
	deadlineHours: number;
	urgentDeadlineHours: number;
	duplicateRadiusM: number;
	urgent: boolean;
	indoor: boolean;
	active: boolean;
}

export async function saveCategory(db: Db, id: string | null, input: CategoryInput): Promise<void> {
	await assertCodeFree(db, categories, input.code, id);
	const { department, ...rest } = input;
	const values = {
		...rest,
		nameEn: rest.nameEn || null,
		departmentId: await departmentId(db, department)
	};
	if (id) await db.update(categories).set(values).where(eq(categories.id, id));
	else await db.insert(categories).values({ ...values, sortOrder: 1000 });
	clearReferenceCache();
}

export interface DepartmentInput {
	code: string;
	name: string;
	nameEn: string;
	kind: DepartmentKind;
	active: boolean;
}

export async function saveDepartment(
	db: Db,
	id: string | null,
	input: DepartmentInput
): Promise<void> {
	await assertCodeFree(db, departments, input.code, id);
	const values = { ...input, nameEn: input.nameEn || null };
	if (id) await db.update(departments).set(values).where(eq(departments.id, id));
	else await db.insert(departments).values(values);
	clearReferenceCache();
}

export async function listCommunitiesForAdmin(db: Db) {
	const rows = await db.select().from(communities).orderBy(asc(communities.code));
	const gridRows = await db.select().from(grids).orderBy(asc(grids.code));
	return rows.map((c) => ({ ...c, grids: gridRows.filter((g) => g.communityId === c.id) }));
}

export interface CommunityInput {
	code: string;
	name: string;
	nameEn: string;
	boundary: Polygon | null;
	active: boolean;
}

export async function saveCommunity(
	db: Db,
	id: string | null,
	input: CommunityInput
): Promise<void> {
	await assertCodeFree(db, communities, input.code, id);
	const values = { ...input, nameEn: input.nameEn || null };
	if (id) {
		await db.update(communities).set(values).where(eq(communities.id, id));
	} else {
		const [subdistrict] = await db.select({ id: subdistricts.id }).from(subdistricts).limit(1);
		if (!subdistrict) throw new Error('No subdistrict exists to hold the community');
		await db.insert(communities).values({ ...values, subdistrictId: subdistrict.id });
	}
	clearReferenceCache();
}

/** A grid's English name and the cadre who answers for it (the boundary comes with the data). */
export async function saveGrid(
	db: Db,
	gridId: string,
	input: { responsibleName: string; nameEn: string }
): Promise<void> {
	await db
		.update(grids)
		.set({ responsibleName: input.responsibleName, nameEn: input.nameEn || null })
		.where(eq(grids.id, gridId));
	clearReferenceCache();
}

/** Users for the admin list, optionally filtered by name or phone. */
export function listUsers(db: Db, search: string, limit = 100) {
	const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	return db
		.select({
			id: users.id,
			name: users.name,
			phone: users.phone,
			role: users.role,
			disabled: users.disabled,
			community: communities.code,
			department: departments.code
		})
		.from(users)
		.leftJoin(communities, eq(users.communityId, communities.id))
		.leftJoin(departments, eq(users.departmentId, departments.id))
		.where(search ? or(ilike(users.name, pattern), ilike(users.phone, pattern)) : undefined)
		.orderBy(asc(users.role), asc(users.phone))
		.limit(limit);
}
