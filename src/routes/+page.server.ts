import { getDb } from '$lib/server/db';
import { shareWithVisitors } from '$lib/server/http/shared-cache';
import { listPublishedNotices } from '$lib/server/notices/notices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	shareWithVisitors(event);
	return { notices: await listPublishedNotices(await getDb(), { limit: 6 }) };
};
