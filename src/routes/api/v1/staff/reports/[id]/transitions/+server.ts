import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { getCase, isUuid } from '$lib/server/reports/queue';
import { discardPhoto, readTransition } from '$lib/server/reports/transition-input';
import { applyTransition } from '$lib/server/reports/workflow';

export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const id = event.params.id!;
	if (!isUuid(id)) throw new ApiError(404, 'not_found');
	const db = await getDb();
	const input = await readTransition(event.request);
	try {
		await applyTransition(db, user, id, input);
	} catch (error) {
		await discardPhoto(input);
		throw error;
	}
	return json(await getCase(db, user, id));
});
