import { getLocale } from '$lib/paraglide/runtime.js';
import { localDate } from '$lib/domain/duty';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { assignmentsFor } from '$lib/server/duty/rota';
import { notificationsToShow } from '$lib/server/notify';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const today = localDate(new Date());
	const db = await getDb();
	return {
		today,
		assignments: await assignmentsFor(db, user.id, today),
		notifications: await notificationsToShow(db, user.id, {
			locale: getLocale(),
			limit: 10,
			shown: !event.isDataRequest
		}),
		links: dutyStaffLinks(user)
	};
};
