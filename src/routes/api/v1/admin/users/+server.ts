import { json } from '@sveltejs/kit';
import { parseInput, staffUserSchema } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { describeUser, toApiError } from '$lib/server/api/users';
import { createUser } from '$lib/server/auth/accounts';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';

export const POST = endpoint(async (event) => {
	requireApi(event, 'admin.manage');
	const parsed = parseInput(staffUserSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const db = await getDb();
	try {
		const user = await createUser(db, parsed.value);
		return json({ user: await describeUser(db, user) }, { status: 201 });
	} catch (error) {
		throw toApiError(error);
	}
});
