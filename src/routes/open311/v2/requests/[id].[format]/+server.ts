import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { findRequest } from '$lib/server/open311/requests';
import { open311, respond } from '$lib/server/open311/respond';

export const GET = open311(async (event, format) => {
	const request = await findRequest(await getDb(), event.params.id!, {
		origin: event.url.origin,
		locale: getLocale(),
		extensions: event.url.searchParams.get('extensions')?.trim().toLowerCase() === 'true'
	});
	return respond(format, 'service_requests', [request]);
});
