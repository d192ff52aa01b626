import { json } from '@sveltejs/kit';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { apiKeyNameSchema, createApiKey, listApiKeys } from '$lib/server/open311/api-keys';

/** The Open311 API keys, newest first; never the keys themselves. */
export const GET = endpoint(async (event) => {
	requireApi(event, 'admin.manage');
	const keys = await listApiKeys(await getDb());
	return json(
		keys.map((k) => ({
			id: k.id,
			name: k.name,
			prefix: k.prefix,
			createdAt: k.createdAt.toISOString(),
			lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
			revokedAt: k.revokedAt?.toISOString() ?? null
		}))
	);
});

/** Issues a key: the answer is the only time it is shown. */
export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'admin.manage');
	const parsed = parseInput(apiKeyNameSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const made = await createApiKey(await getDb(), { name: parsed.value.name, createdBy: user.id });
	return json(
		{ id: made.id, key: made.key },
		{ status: 201, headers: { 'Cache-Control': 'no-store' } }
	);
});
