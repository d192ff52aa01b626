import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { requireShopStaff, saveShopAction } from '$lib/server/shops/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requireShopStaff(event);
	return { communities: await listCommunities(await getDb()) };
};

export const actions: Actions = {
	save: (event) => saveShopAction(event, null)
};
