import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { ensureDevice, toApiError } from '$lib/server/reports/http';
import { meToo } from '$lib/server/reports/reporter';

/** "我也遇到": counts this person or device once and creates no report. */
export const POST = endpoint(async (event) => {
	try {
		const result = await meToo(await getDb(), (event.params.trackingCode ?? '').toUpperCase(), {
			userId: event.locals.user?.id ?? null,
			deviceId: ensureDevice(event)
		});
		return json(result);
	} catch (error) {
		throw toApiError(error);
	}
});
