import * as v from 'valibot';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { markRead } from '$lib/server/notify';

const readSchema = v.object({
	ids: v.pipe(v.array(v.pipe(v.string(), v.uuid('choice')), 'choice'), v.maxLength(50, 'too_long'))
});

/** POST {ids}: the caller has seen these notifications of theirs (others' are left alone). */
export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'account.self');
	const parsed = parseInput(readSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	await markRead(await getDb(), user.id, parsed.value.ids);
	return new Response(null, { status: 204 });
});
