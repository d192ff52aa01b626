import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { open311, respond } from '$lib/server/open311/respond';
import { serviceDefinition } from '$lib/server/open311/services';

export const GET = open311(async (event, format) =>
	respond(
		format,
		'service_definition',
		await serviceDefinition(await getDb(), event.params.code!, getLocale())
	)
);
