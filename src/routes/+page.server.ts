import { getDb } from '$lib/server/db';
import { listPublishedNotices } from '$lib/server/notices/notices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	return { notices: await listPublishedNotices(await getDb(), { limit: 6 }) };
};
