import { json } from '@sveltejs/kit';
import { parseInput } from '$lib/domain/validation';
import { getLocale } from '$lib/paraglide/runtime.js';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import {
	removalSchema,
	removeSubscription,
	saveSubscription,
	subscriptionSchema
} from '$lib/server/push/push';

/** POST: keep this browser's push subscription for the logged-in user (PushSubscription JSON). */
export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'account.self');
	const parsed = parseInput(subscriptionSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	await saveSubscription(await getDb(), user.id, parsed.value, getLocale());
	return json({ endpoint: parsed.value.endpoint }, { status: 201 });
});

/** DELETE {endpoint}: stop pushing to this browser. */
export const DELETE = endpoint(async (event) => {
	const user = requireApi(event, 'account.self');
	const parsed = parseInput(removalSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	if (!(await removeSubscription(await getDb(), user.id, parsed.value.endpoint)))
		throw new ApiError(404, 'not_found');
	return json({ endpoint: parsed.value.endpoint });
});
