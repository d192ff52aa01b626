import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { nearbyOpenReports } from '$lib/server/reports/public';

/** Open reports of one category near a point: the resident may say "me too" instead of reporting. */
export const GET = endpoint(async ({ url }) => {
	const category = url.searchParams.get('category') ?? '';
	const lat = Number(url.searchParams.get('lat'));
	const lng = Number(url.searchParams.get('lng'));
	if (
		!category ||
		!Number.isFinite(lat) ||
		!Number.isFinite(lng) ||
		Math.abs(lat) > 90 ||
		Math.abs(lng) > 180
	)
		throw new ApiError(400, 'invalid_input');
	return json(await nearbyOpenReports(await getDb(), category, { lat, lng }));
});
