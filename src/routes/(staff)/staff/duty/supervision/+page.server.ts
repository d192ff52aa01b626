import { fail, redirect } from '@sveltejs/kit';
import { localDate } from '$lib/domain/duty';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { spotCheckResults, type SpotCheckResult } from '$lib/server/db/schema';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import { dayRoster, recordSpotCheck } from '$lib/server/duty/supervision';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.supervise');
	const today = localDate(new Date());
	return {
		today,
		roster: await dayRoster(await getDb(), today),
		saved: event.url.searchParams.has('saved'),
		links: dutyStaffLinks(user)
	};
};

export const actions: Actions = {
	check: async (event) => {
		const user = requirePage(event, 'duty.supervise');
		const values = formObject(await event.request.formData());
		const result = values.result as SpotCheckResult;
		if (!spotCheckResults.includes(result)) return fail(400, { values, error: '' });
		const bookingId = isUuid(values.booking) ? values.booking : undefined;
		const assignmentId = isUuid(values.assignment) ? values.assignment : undefined;
		if (!bookingId && !assignmentId) return fail(400, { values, error: '' });
		try {
			await recordSpotCheck(await getDb(), {
				bookingId,
				assignmentId,
				result,
				note: (values.note ?? '').trim().slice(0, 500),
				checkedBy: user.id
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/staff/duty/supervision?saved');
	}
};
