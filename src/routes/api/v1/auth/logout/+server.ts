import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';

export const POST = endpoint(async (event) => {
	requireApi(event, 'account.self');
	await invalidateSession(await getDb(), event.locals.session!.id);
	deleteSessionCookie(event.cookies);
	return json({ ok: true });
});
