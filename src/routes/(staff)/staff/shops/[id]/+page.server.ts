import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { requireShopStaff, saveShopAction, uuidPattern } from '$lib/server/shops/form';
import { getShop, shopHistory } from '$lib/server/shops/shops';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await requireShopStaff(event);
	const db = await getDb();
	const shop = uuidPattern.test(event.params.id) ? await getShop(db, event.params.id) : null;
	if (!shop) error(404, 'not_found');
	return {
		shop,
		saved: event.url.searchParams.has('saved'),
		communities: await listCommunities(db),
		history: await shopHistory(db, shop.id)
	};
};

export const actions: Actions = {
	save: (event) => saveShopAction(event, event.params.id)
};
