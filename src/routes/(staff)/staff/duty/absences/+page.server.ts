import { addDays, localDate } from '$lib/domain/duty';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { repeatedAbsences } from '$lib/server/duty/supervision';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { PageServerLoad } from './$types';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.supervise');
	const params = event.url.searchParams;
	const today = localDate(new Date());
	const to = datePattern.test(params.get('to') ?? '') ? params.get('to')! : today;
	const from = datePattern.test(params.get('from') ?? '') ? params.get('from')! : addDays(to, -30);
	const min = Math.min(50, Math.max(1, Number(params.get('min')) || 2));
	return {
		from,
		to,
		min,
		people: await repeatedAbsences(await getDb(), from, to, min),
		links: dutyStaffLinks(user)
	};
};
