import { fail, redirect } from '@sveltejs/kit';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import { adjustRecord, recordsForReview } from '$lib/server/duty/records';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.coordinate');
	return {
		records: await recordsForReview(await getDb()),
		saved: event.url.searchParams.has('saved'),
		links: dutyStaffLinks(user)
	};
};

export const actions: Actions = {
	adjust: async (event) => {
		const user = requirePage(event, 'duty.coordinate');
		const values = formObject(await event.request.formData());
		const minutes = Number(values.minutes);
		const reason = (values.reason ?? '').trim().slice(0, 500);
		const fields: Record<string, boolean> = {};
		if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60) fields.minutes = true;
		if (!reason) fields.reason = true;
		if (!isUuid(values.record) || Object.keys(fields).length)
			return fail(400, { values, fields, error: '' });
		try {
			await adjustRecord(await getDb(), {
				recordId: values.record,
				actorUserId: user.id,
				minutes,
				reason
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/staff/duty/records?saved');
	}
};
