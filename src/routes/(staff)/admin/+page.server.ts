import { requirePage } from '$lib/server/auth/permissions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requirePage(event, 'admin.manage');
};
