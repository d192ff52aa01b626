import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { findRequests, parseRequestQuery } from '$lib/server/open311/requests';
import { open311, respond } from '$lib/server/open311/respond';

export const GET = open311(async (event, format) => {
	const query = parseRequestQuery(event.url.searchParams);
	const requests = await findRequests(await getDb(), query, {
		origin: event.url.origin,
		locale: getLocale()
	});
	return respond(format, 'service_requests', requests);
});
