import { isStage } from '$lib/domain/stages';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { listPublicReports, reportFormCategories } from '$lib/server/reports/public';
import type { PageServerLoad } from './$types';

/** Recent public reports, with filters by category, stage and community. */
export const load: PageServerLoad = async ({ url }) => {
	const db = await getDb();
	const stage = url.searchParams.get('stage') ?? '';
	const filter = {
		category: url.searchParams.get('category') || undefined,
		stage: isStage(stage) ? stage : undefined,
		community: url.searchParams.get('community') || undefined,
		page: Math.max(1, Number(url.searchParams.get('page')) || 1)
	};
	const [list, categories, communities] = await Promise.all([
		listPublicReports(db, filter),
		reportFormCategories(db),
		listCommunities(db)
	]);
	return { ...list, filter, categories, communities };
};
