import { json } from '@sveltejs/kit';
import { dutyEndpoint } from '$lib/server/duty/api';
import { parseShiftQuery, shiftJson } from '$lib/server/duty/queries';
import { listShifts } from '$lib/server/duty/shifts';
import { getDb } from '$lib/server/db';

export const GET = dutyEndpoint(async ({ url }) => {
	const db = await getDb();
	const query = await parseShiftQuery(db, url.searchParams);
	return json((await listShifts(db, query)).map(shiftJson));
});
