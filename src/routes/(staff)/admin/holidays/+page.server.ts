import { fail } from '@sveltejs/kit';
import { calendarDaySchema } from '$lib/domain/staff-input';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listCalendarDays, removeCalendarDay, saveCalendarDay } from '$lib/server/reports/settings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	return { days: await listCalendarDays(await getDb()) };
};

export const actions: Actions = {
	save: async (event) => {
		requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(calendarDaySchema, values);
		if (!parsed.ok) return fail(400, { values, fields: fieldProblems(parsed.fields) });
		await saveCalendarDay(await getDb(), parsed.value);
		return { saved: parsed.value.day };
	},
	remove: async (event) => {
		requirePage(event, 'admin.manage');
		const day = String((await event.request.formData()).get('day') ?? '');
		if (/^\d{4}-\d{2}-\d{2}$/.test(day)) await removeCalendarDay(await getDb(), day);
		return { saved: day };
	}
};
