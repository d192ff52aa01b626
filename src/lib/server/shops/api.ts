import type { RequestEvent } from '@sveltejs/kit';
import { requireDepartmentApi } from '../auth/department';
import { getDb } from '../db';
import type { campaignDetail } from './campaigns';
import { SHOPS_DEPARTMENT } from './constants';

export async function requireCampaignApi(event: RequestEvent) {
	return requireDepartmentApi(event, await getDb(), 'campaigns.manage', SHOPS_DEPARTMENT);
}

/** A campaign's detail as the API and the offline inspection list see it. */
export function campaignJson(detail: NonNullable<Awaited<ReturnType<typeof campaignDetail>>>) {
	return {
		id: detail.id,
		name: detail.name,
		startsOn: detail.startsOn,
		endsOn: detail.endsOn,
		progress: detail.progress,
		shops: detail.shops.map((s) => ({
			id: s.id,
			name: s.name,
			address: s.address,
			community: s.community,
			dutyNotes: s.dutyNotes,
			lastInspectedAt: s.lastInspectedAt?.toISOString() ?? null,
			lastResults: s.lastResults,
			fixed: s.fixed,
			cases: s.cases
		}))
	};
}
