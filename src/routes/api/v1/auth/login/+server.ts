import { json } from '@sveltejs/kit';
import { loginSchema, parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { login } from '$lib/server/auth/accounts';
import { startSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';

export const POST = endpoint(async (event) => {
	const parsed = parseInput(loginSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const db = await getDb();
	const result = await login(db, { ...parsed.value, clientAddress: event.getClientAddress() });
	if (!result.ok) {
		if (result.reason === 'rate_limited') {
			throw new ApiError(429, 'rate_limited', undefined, {
				'Retry-After': String(result.retryAfterSeconds)
			});
		}
		throw new ApiError(401, 'invalid_credentials');
	}
	await startSession(db, event, result.user.id);
	const { id, name, role } = result.user;
	return json({ user: { id, name, role } });
});
