import { fail } from '@sveltejs/kit';
import { deadlineSettingsSchema } from '$lib/domain/staff-input';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listDeadlineSettings, saveDeadlineSettings } from '$lib/server/reports/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	return { settings: await listDeadlineSettings(await getDb()) };
};

export const actions: Actions = {
	save: async (event) => {
		requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(deadlineSettingsSchema, values);
		const problems = parsed.ok
			? await saveDeadlineSettings(await getDb(), parsed.value)
			: parsed.fields;
		if (problems) return fail(400, { values, fields: fieldProblems(problems) });
		return { saved: values.category || 'default' };
	}
};
