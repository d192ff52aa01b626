import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { getCase } from '$lib/server/reports/queue';

export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	return json(await getCase(await getDb(), user, event.params.id!));
});
