import { requirePage, staffScope } from '$lib/server/auth/permissions';
import { listDryCompounds } from '$lib/server/compounds';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	return { dry: await listDryCompounds(await getDb(), staffScope(user)) };
};
