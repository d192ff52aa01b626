import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { revokeApiKey } from '$lib/server/open311/api-keys';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes a key; it stops working at once. */
export const DELETE = endpoint(async (event) => {
	requireApi(event, 'admin.manage');
	const id = event.params.id!;
	const revoked = UUID.test(id) ? await revokeApiKey(await getDb(), id) : null;
	if (!revoked) throw new ApiError(404, 'not_found');
	return json({ id, revokedAt: revoked.revokedAt.toISOString() });
});
