import { fail, redirect } from '@sveltejs/kit';
import { campaignSchema } from '$lib/domain/shops';
import { toLocalDate } from '$lib/domain/local-time';
import { parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { requireDepartmentPage } from '$lib/server/auth/department';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { CampaignProblem, createCampaign, listCampaigns } from '$lib/server/shops/campaigns';
import { SHOPS_DEPARTMENT } from '$lib/server/shops/constants';
import { listShops } from '$lib/server/shops/shops';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function requireCampaignStaff(event: RequestEvent) {
	return requireDepartmentPage(event, await getDb(), 'campaigns.manage', SHOPS_DEPARTMENT);
}

export const load: PageServerLoad = async (event) => {
	await requireDepartmentPage(event, await getDb(), 'campaigns.manage', SHOPS_DEPARTMENT);
	const db = await getDb();
	const today = toLocalDate(new Date());
	return {
		campaigns: await listCampaigns(db),
		communities: await listCommunities(db),
		shops: (await listShops(db)).map((s) => ({
			id: s.id,
			name: s.name,
			community: s.community,
			communityEn: s.communityEn
		})),
		defaults: { startsOn: today, endsOn: today }
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = await requireCampaignStaff(event);
		const form = await event.request.formData();
		const values = {
			name: String(form.get('name') ?? ''),
			startsOn: String(form.get('startsOn') ?? ''),
			endsOn: String(form.get('endsOn') ?? ''),
			by: String(form.get('by') ?? ''),
			communities: form.getAll('communities').map(String),
			shops: form.getAll('shops').map(String)
		};
		const parsed = parseInput(campaignSchema, values);
		if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
		let id: string;
		try {
			id = await createCampaign(await getDb(), parsed.value, user);
		} catch (error) {
			if (error instanceof CampaignProblem)
				return fail(error.status, { values, fields: problemTexts(error.fields) });
			throw error;
		}
		redirect(303, `/staff/campaigns/${id}?created`);
	}
};
