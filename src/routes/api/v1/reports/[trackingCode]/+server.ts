import { json } from '@sveltejs/kit';
import { isTrackingCode } from '$lib/domain/reporting';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { publicReport } from '$lib/server/reports/public';

/** The public view of one report: no reporter identity, the location rounded. */
export const GET = endpoint(async ({ params }) => {
	const code = (params.trackingCode ?? '').toUpperCase();
	const report = isTrackingCode(code) ? await publicReport(await getDb(), code) : null;
	if (!report) throw new ApiError(404, 'not_found');
	const { id: _id, ...view } = report;
	return json(view, { headers: { 'Cache-Control': 'no-cache' } });
});
