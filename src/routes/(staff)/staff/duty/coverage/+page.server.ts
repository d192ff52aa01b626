import { localDate } from '$lib/domain/duty';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import { coverage } from '$lib/server/duty/supervision';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.coordinate');
	return {
		slots: await coverage(await getDb(), localDate(new Date()), 7),
		links: dutyStaffLinks(user)
	};
};
