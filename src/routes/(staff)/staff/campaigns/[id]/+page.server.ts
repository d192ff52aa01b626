import { error } from '@sveltejs/kit';
import { requireDepartmentPage } from '$lib/server/auth/department';
import { getDb } from '$lib/server/db';
import { campaignDetail } from '$lib/server/shops/campaigns';
import { SHOPS_DEPARTMENT } from '$lib/server/shops/constants';
import { uuidPattern } from '$lib/server/shops/form';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const db = await getDb();
	await requireDepartmentPage(event, db, 'campaigns.manage', SHOPS_DEPARTMENT);
	const detail = uuidPattern.test(event.params.id)
		? await campaignDetail(db, event.params.id)
		: null;
	if (!detail) error(404, 'not_found');
	return {
		campaign: detail,
		created: event.url.searchParams.has('created'),
		recorded: event.url.searchParams.has('recorded'),
		caseCode: event.url.searchParams.get('case')
	};
};
