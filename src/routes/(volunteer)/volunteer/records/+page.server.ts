import { fail, redirect } from '@sveltejs/kit';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { DutyError } from '$lib/server/duty/errors';
import { dutyFail } from '$lib/server/duty/forms';
import { listRecords, requestCorrection, totalMinutes } from '$lib/server/duty/records';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.book');
	const db = await getDb();
	const [records, minutes] = await Promise.all([
		listRecords(db, user.id),
		totalMinutes(db, user.id)
	]);
	return { records, minutes, sent: event.url.searchParams.has('sent') };
};

export const actions: Actions = {
	correct: async (event) => {
		const user = requirePage(event, 'duty.book');
		const values = formObject(await event.request.formData());
		const reason = (values.reason ?? '').trim().slice(0, 500);
		if (!reason) return fail(400, { values, recordId: values.record, missing: true });
		if (!isUuid(values.record)) return dutyFail(new DutyError('not_found', 404));
		try {
			await requestCorrection(await getDb(), {
				recordId: values.record,
				volunteerId: user.id,
				reason
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/volunteer/records?sent');
	}
};
