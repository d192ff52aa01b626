import { asc, eq } from 'drizzle-orm';
import type { Db } from './db';
import { categories, communities, departments } from './db/schema';
import { cachedReference } from './reference-cache';

/** Active communities for pickers, in a stable order. */
export function listCommunities(db: Db) {
	return cachedReference(db, 'communities', () =>
		db
			.select({
				id: communities.id,
				code: communities.code,
				name: communities.name,
				nameEn: communities.nameEn
			})
			.from(communities)
			.where(eq(communities.active, true))
			.orderBy(asc(communities.code))
	);
}

export function listDepartments(db: Db) {
	return db
		.select({
			id: departments.id,
			code: departments.code,
			name: departments.name,
			nameEn: departments.nameEn,
			kind: departments.kind,
			active: departments.active
		})
		.from(departments)
		.orderBy(asc(departments.kind), asc(departments.code));
}

/** The public category list (`GET /api/v1/categories`). */
export function listPublicCategories(db: Db) {
	return cachedReference(db, 'public-categories', () =>
		db
			.select({
				code: categories.code,
				name: categories.name,
				nameEn: categories.nameEn,
				group: categories.group,
				urgent: categories.urgent,
				department: departments.code
			})
			.from(categories)
			.leftJoin(departments, eq(categories.departmentId, departments.id))
			.where(eq(categories.active, true))
			.orderBy(asc(categories.sortOrder), asc(categories.code))
	);
}
