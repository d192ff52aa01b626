import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { fail, redirect } from '@sveltejs/kit';
import { activitySchema } from '$lib/domain/activities';
import { addDays, localDate } from '$lib/domain/duty';
import { formObject, parseInput } from '$lib/domain/validation';
import { errorMessage } from '$lib/i18n/errors';
import { problemTexts } from '$lib/i18n/problems';
import { createActivity, listActivitiesForStaff } from '$lib/server/activities/activities';
import { inScope, requirePage, staffScope } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { DutyError } from '$lib/server/duty/errors';
import { listPosts } from '$lib/server/duty/shifts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'activities.manage');
	const scope = staffScope(user);
	const db = await getDb();
	const posts = (await listPosts(db, { activeOnly: true })).filter((p) =>
		inScope(scope, { communityId: p.communityId })
	);
	return {
		activities: await listActivitiesForStaff(db, scope),
		posts: posts.map((p) => ({ id: p.id, name: localName(p, getLocale()) })),
		defaultDay: addDays(localDate(new Date()), 7)
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = requirePage(event, 'activities.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(activitySchema, values);
		if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
		let id: string;
		try {
			id = await createActivity(await getDb(), parsed.value, user, staffScope(user));
		} catch (error) {
			if (error instanceof DutyError)
				return fail(error.status, {
					values,
					fields: error.fields ? problemTexts(error.fields) : { form: errorMessage(error.code) }
				});
			throw error;
		}
		redirect(303, `/staff/activities/${id}?created`);
	}
};
