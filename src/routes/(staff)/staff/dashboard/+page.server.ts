import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import {
	breakdowns,
	communityOutlines,
	departmentScorecards,
	hotspots,
	keyFigures,
	periodOf,
	propertyScorecards
} from '$lib/server/reports/stats';
import { hotspotMap } from '$lib/domain/hotspot-map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const q = event.url.searchParams;
	const period = periodOf(q.get('period'), q.get('from'), q.get('to'));
	const db = await getDb();
	const [figures, counts, departments, companies, spots, outlines] = await Promise.all([
		keyFigures(db, user, period),
		breakdowns(db, user, period),
		departmentScorecards(db, user, period),
		propertyScorecards(db, user, period),
		hotspots(db, user, period),
		communityOutlines(db)
	]);
	const day = (d: Date) => new Date(+d + 8 * 3600_000).toISOString().slice(0, 10);
	return {
		period: { kind: period.kind, from: day(period.from), to: day(new Date(+period.to - 1)) },
		figures,
		counts,
		departments,
		companies,
		spots,
		map: hotspotMap(spots, outlines)
	};
};
