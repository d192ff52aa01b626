import { getLocale } from '$lib/paraglide/runtime.js';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { open311, respond } from '$lib/server/open311/respond';
import { discovery } from '$lib/server/open311/services';

export const GET = open311(async (event, format) => {
	const body = await discovery(await getDb(), {
		origin: event.url.origin,
		locale: getLocale(),
		test: config.seedDemo
	});
	return respond(format, 'discovery', body);
});
