import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { activitySchema } from '$lib/domain/activities';
import { localDate, localTime } from '$lib/domain/duty';
import { formObject, parseInput } from '$lib/domain/validation';
import { errorMessage } from '$lib/i18n/errors';
import { problemText, problemTexts } from '$lib/i18n/problems';
import {
	activityDetail,
	cancelActivity,
	recordParticipation,
	removeParticipation,
	updateActivity
} from '$lib/server/activities/activities';
import { inScope, requirePage, staffScope } from '$lib/server/auth/permissions';
import { listPropertyCompanies } from '$lib/server/compounds';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { DutyError } from '$lib/server/duty/errors';
import { listPosts } from '$lib/server/duty/shifts';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

/** The activity, if it exists and sits within the staff member's scope (by its post's community). */
async function activityFor(event: RequestEvent) {
	const user = requirePage(event, 'activities.manage');
	const db = await getDb();
	const id = event.params.id ?? '';
	const activity = isUuid(id) ? await activityDetail(db, id) : null;
	if (!activity) error(404, 'not_found');
	if (!inScope(staffScope(user), { communityId: activity.communityId })) error(403, 'forbidden');
	return { db, user, activity };
}

export const load: PageServerLoad = async (event) => {
	const { db, user, activity } = await activityFor(event);
	const scope = staffScope(user);
	const [companies, posts] = await Promise.all([
		listPropertyCompanies(db),
		listPosts(db, { activeOnly: true })
	]);
	return {
		activity,
		companies: companies.map((c) => ({ id: c.id, name: c.name })),
		posts: posts
			.filter((p) => inScope(scope, { communityId: p.communityId }))
			.map((p) => ({ id: p.id, name: p.name })),
		// The change form starts from the activity as it is.
		current: {
			kind: activity.kind,
			title: activity.title,
			description: activity.description,
			place: activity.place,
			post: activity.postId,
			day: localDate(activity.startsAt),
			startTime: localTime(activity.startsAt),
			endTime: localTime(activity.endsAt),
			capacity: String(activity.capacity),
			responsiblePerson: activity.responsiblePerson
		},
		created: event.url.searchParams.has('created'),
		recorded: event.url.searchParams.has('recorded'),
		cancelled: event.url.searchParams.has('cancelled'),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	participate: async (event) => {
		const { db, user, activity } = await activityFor(event);
		const values = formObject(await event.request.formData());
		if (values.note && values.note.length > 200)
			return fail(400, { values, fields: problemTexts({ note: 'too_long' }) });
		const ok =
			isUuid(values.company) &&
			(await recordParticipation(
				db,
				{ activityId: activity.id, propertyCompanyId: values.company, note: values.note ?? '' },
				user
			));
		if (!ok) return fail(400, { values, fields: problemTexts({ company: 'choice' }) });
		redirect(303, `/staff/activities/${activity.id}?recorded`);
	},
	unparticipate: async (event) => {
		const { db, activity } = await activityFor(event);
		const values = formObject(await event.request.formData());
		if (isUuid(values.participation))
			await removeParticipation(db, activity.id, values.participation);
		redirect(303, `/staff/activities/${activity.id}`);
	},
	update: async (event) => {
		const { db, user, activity } = await activityFor(event);
		const values = formObject(await event.request.formData());
		const parsed = parseInput(activitySchema, values);
		if (!parsed.ok) return fail(400, { edit: { values, fields: problemTexts(parsed.fields) } });
		try {
			await updateActivity(db, activity.id, parsed.value, staffScope(user));
		} catch (error) {
			if (!(error instanceof DutyError)) throw error;
			return fail(error.status, {
				edit: {
					values,
					fields: error.fields ? problemTexts(error.fields) : { form: errorMessage(error.code) }
				}
			});
		}
		redirect(303, `/staff/activities/${activity.id}?saved`);
	},
	cancel: async (event) => {
		const { db, activity } = await activityFor(event);
		const values = formObject(await event.request.formData());
		try {
			await cancelActivity(db, activity.id, values.reason ?? '');
		} catch (error) {
			if (!(error instanceof DutyError)) throw error;
			return fail(error.status, {
				cancel: {
					reason: values.reason ?? '',
					problem: error.fields?.reason ? problemText(error.fields.reason) : null,
					refused: error.fields ? null : m.activities_cancel_started()
				}
			});
		}
		redirect(303, `/staff/activities/${activity.id}?cancelled`);
	}
};
