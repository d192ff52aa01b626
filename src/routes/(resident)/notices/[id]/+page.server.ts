import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getPublishedNotice } from '$lib/server/notices/notices';
import type { PageServerLoad } from './$types';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ params }) => {
	const notice = uuid.test(params.id) ? await getPublishedNotice(await getDb(), params.id) : null;
	if (!notice) error(404, 'not_found');
	return { notice };
};
