import { fail, redirect } from '@sveltejs/kit';
import { leaderFormSchema } from '$lib/domain/duty-validation';
import { formObject, parseInput } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import { designateLeader, leaderChoices, removeLeader } from '$lib/server/duty/visits';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	return {
		...(await leaderChoices(await getDb())),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	add: async (event) => {
		requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(leaderFormSchema, values);
		if (!parsed.ok) return fail(400, { values, fields: parsed.fields, error: '' });
		try {
			await designateLeader(await getDb(), {
				userId: parsed.value.user,
				title: parsed.value.title
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/admin/duty/leaders?saved');
	},
	remove: async (event) => {
		requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		if (!isUuid(values.user)) return fail(400, { values, error: '' });
		await removeLeader(await getDb(), values.user);
		redirect(303, '/admin/duty/leaders?saved');
	}
};
