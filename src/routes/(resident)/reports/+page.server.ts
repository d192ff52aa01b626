import { isStage } from '$lib/domain/stages';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { mapConfig } from '$lib/server/reports/map-config';
import {
	listPublicReports,
	publicMapPoints,
	reportFormCategories
} from '$lib/server/reports/public';
import type { PageServerLoad } from './$types';

/**
 * Recent public reports, with filters by category, stage and community. `view=map` adds the
 * latest ones' rounded places for the map, which the page loads only with JavaScript; the list
 * stays below it.
 */
export const load: PageServerLoad = async ({ url }) => {
	const db = await getDb();
	const stage = url.searchParams.get('stage') ?? '';
	const filter = {
		category: url.searchParams.get('category') || undefined,
		stage: isStage(stage) ? stage : undefined,
		community: url.searchParams.get('community') || undefined,
		page: Math.max(1, Number(url.searchParams.get('page')) || 1)
	};
	const map = await mapConfig(db);
	const view = map.tileUrl && url.searchParams.get('view') === 'map' ? 'map' : 'list';
	const [list, categories, communities, points] = await Promise.all([
		listPublicReports(db, filter),
		reportFormCategories(db),
		listCommunities(db),
		view === 'map' ? publicMapPoints(db, filter) : []
	]);
	return { ...list, filter, categories, communities, view, map: map.tileUrl ? map : null, points };
};
