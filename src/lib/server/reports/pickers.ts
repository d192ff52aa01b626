import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { categories, communities, departments, grids } from '../db/schema';

/** Options for the queue filters and the dispatch pickers. */
export async function staffPickers(db: Db) {
	const [categoryRows, communityRows, gridRows, departmentRows] = await Promise.all([
		db
			.select({ code: categories.code, name: categories.name, nameEn: categories.nameEn })
			.from(categories)
			.where(eq(categories.active, true))
			.orderBy(asc(categories.sortOrder), asc(categories.code)),
		db
			.select({ code: communities.code, name: communities.name, nameEn: communities.nameEn })
			.from(communities)
			.where(eq(communities.active, true))
			.orderBy(asc(communities.code)),
		db
			.select({ code: grids.code, name: grids.name, nameEn: grids.nameEn })
			.from(grids)
			.orderBy(asc(grids.code)),
		db
			.select({ code: departments.code, name: departments.name, nameEn: departments.nameEn })
			.from(departments)
			.where(eq(departments.active, true))
			.orderBy(asc(departments.kind), asc(departments.code))
	]);
	return {
		categories: categoryRows,
		communities: communityRows,
		grids: gridRows,
		departments: departmentRows
	};
}
