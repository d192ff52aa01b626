import { json } from '@sveltejs/kit';
import { parseInput, signupSchema } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { createUser } from '$lib/server/auth/accounts';
import { toApiError } from '$lib/server/api/users';
import { startSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';

export const POST = endpoint(async (event) => {
	const parsed = parseInput(signupSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const db = await getDb();
	try {
		const user = await createUser(db, parsed.value);
		await startSession(db, event, user.id);
		return json({ user: { id: user.id, name: user.name, role: user.role } }, { status: 201 });
	} catch (error) {
		throw toApiError(error);
	}
});
