import { departmentEditSchema } from '$lib/domain/validation';
import { saveDepartment } from '$lib/server/admin';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listDepartments } from '$lib/server/jurisdiction';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	return { departments: await listDepartments(await getDb()) };
};

export const actions: Actions = {
	save: (event) => adminSave(event, departmentEditSchema, saveDepartment)
};
