import { addDays, localDate, weekStart } from '$lib/domain/duty';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import { WEEKLY_VISITS_REQUIRED, weeklyVisits } from '$lib/server/duty/visits';
import type { PageServerLoad } from './$types';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.visits_review');
	const asked = event.url.searchParams.get('week') ?? '';
	const monday = weekStart(
		datePattern.test(asked) && !Number.isNaN(Date.parse(asked)) ? asked : localDate(new Date())
	);
	return {
		monday,
		sunday: addDays(monday, 6),
		required: WEEKLY_VISITS_REQUIRED,
		leaders: await weeklyVisits(await getDb(), monday),
		links: dutyStaffLinks(user)
	};
};
