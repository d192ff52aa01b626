import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { open311, respond } from '$lib/server/open311/respond';
import { listServices } from '$lib/server/open311/services';

export const GET = open311(async (_event, format) =>
	respond(format, 'services', await listServices(await getDb(), getLocale()))
);
