import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { requireCampaignApi } from '$lib/server/shops/api';
import { listCampaigns } from '$lib/server/shops/campaigns';

export const GET = endpoint(async (event) => {
	await requireCampaignApi(event);
	const rows = await listCampaigns(await getDb());
	return json(
		rows.map((c) => ({
			id: c.id,
			name: c.name,
			startsOn: c.startsOn,
			endsOn: c.endsOn,
			progress: c.progress
		})),
		{ headers: { 'Cache-Control': 'private, no-store' } }
	);
});
