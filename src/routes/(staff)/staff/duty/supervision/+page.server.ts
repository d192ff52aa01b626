import { fail, redirect } from '@sveltejs/kit';
import { localDate } from '$lib/domain/duty';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import { submitSpotCheck } from '$lib/server/duty/spot-check-input';
import { dayRoster } from '$lib/server/duty/supervision';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import { errorMessage } from '$lib/i18n/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.supervise');
	const today = localDate(new Date());
	return {
		today,
		roster: await dayRoster(await getDb(), today),
		saved: event.url.searchParams.has('saved'),
		links: dutyStaffLinks(user),
		// A fresh key per page view: a form sent twice saves one check.
		formKey: crypto.randomUUID()
	};
};

export const actions: Actions = {
	/** The no-JS path; with JS the page posts to /api/v1/staff/spot-checks through the outbox. */
	check: async (event) => {
		const user = requirePage(event, 'duty.supervise');
		const form = await event.request.formData();
		const values = formObject(form);
		if (!isUuid(values.key)) return fail(400, { values, error: errorMessage('invalid_input') });
		const photo = form.get('photo');
		try {
			const stored = await submitSpotCheck(await getDb(), {
				key: values.key,
				checkedBy: user.id,
				fields: values,
				photo:
					photo instanceof File && photo.size > 0
						? new Uint8Array(await photo.arrayBuffer())
						: undefined
			});
			const refused = (stored.body as { error?: { code: string } }).error;
			if (refused)
				return fail(stored.status, {
					values,
					error: errorMessage(refused.code),
					code: refused.code
				});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, '/staff/duty/supervision?saved');
	}
};
