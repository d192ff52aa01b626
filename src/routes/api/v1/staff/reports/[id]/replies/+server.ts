import { json } from '@sveltejs/kit';
import { replySchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { getCase, isUuid } from '$lib/server/reports/queue';
import { addReply } from '$lib/server/reports/workflow';

/** An internal note, or a reply the resident sees (`publicNote`), as the case page adds them. */
export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const id = event.params.id!;
	if (!isUuid(id)) throw new ApiError(404, 'not_found');
	const parsed = parseInput(replySchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const db = await getDb();
	await addReply(db, user, id, parsed.value);
	return json(await getCase(db, user, id), { status: 201 });
});
