import { fail } from '@sveltejs/kit';
import { templateSchema } from '$lib/domain/staff-input';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { staffPickers } from '$lib/server/reports/pickers';
import { isUuid } from '$lib/server/reports/queue';
import { addTemplate, listTemplates, removeTemplate } from '$lib/server/reports/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const db = await getDb();
	const [templates, pickers] = await Promise.all([listTemplates(db), staffPickers(db)]);
	return { templates, categories: pickers.categories };
};

export const actions: Actions = {
	add: async (event) => {
		requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(templateSchema, values);
		if (!parsed.ok) return fail(400, { values, fields: fieldProblems(parsed.fields) });
		const problems = await addTemplate(await getDb(), parsed.value);
		if (problems) return fail(400, { values, fields: fieldProblems(problems) });
		return { saved: 'new' };
	},
	remove: async (event) => {
		requirePage(event, 'admin.manage');
		const id = String((await event.request.formData()).get('id') ?? '');
		if (isUuid(id)) await removeTemplate(await getDb(), id);
		return { saved: id };
	}
};
