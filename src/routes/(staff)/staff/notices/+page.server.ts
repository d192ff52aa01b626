import { listNoticesForStaff } from '$lib/server/notices/notices';
import { requirePublisher } from '$lib/server/notices/form';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requirePublisher(event);
	return {
		notices: await listNoticesForStaff(await getDb()),
		saved: event.url.searchParams.get('saved'),
		deleted: event.url.searchParams.has('deleted')
	};
};
