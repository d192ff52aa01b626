import { categoryEditSchema } from '$lib/domain/validation';
import { listCategoriesForAdmin, saveCategory } from '$lib/server/admin';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listDepartments } from '$lib/server/jurisdiction';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const db = await getDb();
	return { categories: await listCategoriesForAdmin(db), departments: await listDepartments(db) };
};

export const actions: Actions = {
	save: (event) => adminSave(event, categoryEditSchema, saveCategory)
};
