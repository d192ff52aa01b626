import { fail } from '@sveltejs/kit';
import { compoundSchema, hydrantCheckSchema } from '$lib/domain/compounds';
import { toLocalDate } from '$lib/domain/local-time';
import { formObject, parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import {
	listCompoundsForAdmin,
	listPropertyCompanies,
	recordHydrantCheck,
	saveCompound
} from '$lib/server/compounds';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const db = await getDb();
	return {
		compounds: await listCompoundsForAdmin(db),
		communities: await listCommunities(db),
		companies: await listPropertyCompanies(db),
		today: toLocalDate(new Date())
	};
};

export const actions: Actions = {
	save: (event) =>
		adminSave(event, compoundSchema, async (db, id, input) => {
			const problems = await saveCompound(db, id, input);
			return problems && problemTexts(problems);
		}),
	hydrant: async (event) => {
		const user = requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(hydrantCheckSchema, values);
		if (!parsed.ok)
			return fail(400, {
				checkId: values.compoundId ?? '',
				checkFields: problemTexts(parsed.fields)
			});
		if (!(await recordHydrantCheck(await getDb(), parsed.value, user.id)))
			return fail(404, { checkId: values.compoundId ?? '', checkFields: {} });
		return { saved: 'hydrant' };
	}
};
