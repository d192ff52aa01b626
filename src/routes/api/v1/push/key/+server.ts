import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { vapidKeys } from '$lib/server/push/push';

/** The VAPID public key a browser subscribes with (`applicationServerKey`); 404 when push is off. */
export const GET = endpoint(async () => {
	const keys = await vapidKeys(await getDb());
	if (!keys) throw new ApiError(404, 'not_found');
	return json({ publicKey: keys.publicKey });
});
