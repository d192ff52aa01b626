import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { describeUser } from '$lib/server/api/users';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';

export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'account.self');
	return json(await describeUser(await getDb(), user));
});
