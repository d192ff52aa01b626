import { json } from '@sveltejs/kit';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { campaignJson, requireCampaignApi } from '$lib/server/shops/api';
import { campaignDetail } from '$lib/server/shops/campaigns';
import { uuidPattern } from '$lib/server/shops/form';

export const GET = endpoint(async (event) => {
	await requireCampaignApi(event);
	const id = event.params.id ?? '';
	const detail = uuidPattern.test(id) ? await campaignDetail(await getDb(), id) : null;
	if (!detail) throw new ApiError(404, 'not_found');
	return json(campaignJson(detail), { headers: { 'Cache-Control': 'private, no-store' } });
});
