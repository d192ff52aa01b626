import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { mediaTypeOf } from '$lib/server/http/media-type';
import { createRequest } from '$lib/server/open311/create';
import { findRequests, parseRequestQuery } from '$lib/server/open311/requests';
import { open311, Open311Error, respond } from '$lib/server/open311/respond';

export const GET = open311(async (event, format) => {
	const query = parseRequestQuery(event.url.searchParams);
	const requests = await findRequests(await getDb(), query, {
		origin: event.url.origin,
		locale: getLocale()
	});
	return respond(format, 'service_requests', requests);
});

/** A new service request (application/x-www-form-urlencoded, as the spec says; multipart too). */
export const POST = open311(async (event, format) => {
	const type = mediaTypeOf(event.request);
	if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data')
		throw new Open311Error(400, m.open311_error_form());
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		throw new Open311Error(400, m.open311_error_form());
	}
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value : null;
	};
	const result = await createRequest(
		await getDb(),
		{
			get: text,
			getAll: (name) => form.getAll(name).filter((v): v is string => typeof v === 'string'),
			names: () => [...new Set(form.keys())]
		},
		{
			apiKey: text('api_key') ?? event.url.searchParams.get('api_key'),
			idempotencyKey: event.request.headers.get('idempotency-key')
		}
	);
	return respond(format, 'service_requests', [result], 201);
});
