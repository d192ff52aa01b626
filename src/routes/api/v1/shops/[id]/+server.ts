import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { uuidPattern } from '$lib/server/shops/form';
import { getPublicShop } from '$lib/server/shops/shops';

/** The shop a duty card's QR code names, for the report form: no owner details. */
export const GET = endpoint(async ({ params }) => {
	const id = params.id ?? '';
	const shop = uuidPattern.test(id) ? await getPublicShop(await getDb(), id) : null;
	if (!shop) throw new ApiError(404, 'not_found');
	return json(shop);
});
