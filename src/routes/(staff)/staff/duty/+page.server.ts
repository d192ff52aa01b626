import { localDate } from '$lib/domain/duty';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { assignmentsFor } from '$lib/server/duty/rota';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const today = localDate(new Date());
	return {
		today,
		assignments: await assignmentsFor(await getDb(), user.id, today),
		links: dutyStaffLinks(user)
	};
};
