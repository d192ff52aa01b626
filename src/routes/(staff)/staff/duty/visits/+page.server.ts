import { fail, redirect } from '@sveltejs/kit';
import { visitFormSchema } from '$lib/domain/duty-validation';
import { addDays, localDate, weekStart } from '$lib/domain/duty';
import { formObject, parseInput } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import {
	WEEKLY_VISITS_REQUIRED,
	deleteVisit,
	isLeader,
	logVisit,
	myVisits
} from '$lib/server/duty/visits';
import { listCommunities } from '$lib/server/jurisdiction';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.visit');
	const db = await getDb();
	const today = localDate(new Date());
	const leader = await isLeader(db, user.id);
	const visits = leader ? await myVisits(db, user.id, addDays(weekStart(today), -28)) : [];
	const monday = weekStart(today);
	return {
		today,
		leader,
		required: WEEKLY_VISITS_REQUIRED,
		thisWeek: visits.filter((v) => v.visitedOn >= monday).length,
		visits,
		communities: leader ? await listCommunities(db) : [],
		saved: event.url.searchParams.has('saved'),
		links: dutyStaffLinks(user)
	};
};

export const actions: Actions = {
	log: async (event) => {
		const user = requirePage(event, 'duty.visit');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(visitFormSchema, values);
		if (!parsed.ok) return fail(400, { values, fields: parsed.fields, error: '' });
		try {
			await logVisit(await getDb(), {
				leaderUserId: user.id,
				communityId: parsed.value.community,
				visitedOn: parsed.value.visitedOn,
				notes: parsed.value.notes
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/staff/duty/visits?saved');
	},
	remove: async (event) => {
		const user = requirePage(event, 'duty.visit');
		const values = formObject(await event.request.formData());
		if (!isUuid(values.id)) return fail(400, { values, error: '' });
		try {
			await deleteVisit(await getDb(), { id: values.id, leaderUserId: user.id });
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/staff/duty/visits');
	}
};
