import { propertyCompanySchema } from '$lib/domain/compounds';
import { problemTexts } from '$lib/i18n/problems';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import { listPropertyCompanies, savePropertyCompany } from '$lib/server/compounds';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	return { companies: await listPropertyCompanies(await getDb()) };
};

export const actions: Actions = {
	save: (event) =>
		adminSave(event, propertyCompanySchema, async (db, id, input) => {
			const problems = await savePropertyCompany(db, id, input);
			return problems && problemTexts(problems);
		})
};
