import { error, fail, redirect } from '@sveltejs/kit';
import { inspectionSchema } from '$lib/domain/shops';
import { formObject, parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { requireDepartmentPage } from '$lib/server/auth/department';
import { getDb } from '$lib/server/db';
import { PhotoError } from '$lib/server/reports/photos';
import { campaignDetail, CampaignProblem } from '$lib/server/shops/campaigns';
import { SHOPS_DEPARTMENT } from '$lib/server/shops/constants';
import { uuidPattern } from '$lib/server/shops/form';
import { recordInspectionWithPhoto } from '$lib/server/shops/photo';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/*
 * The plain inspection form: one shop, pass or fail per duty, a note and a photo, as a multipart
 * form that works without JavaScript. The offline list (/inspect) sends the same thing by the API.
 */
async function campaignFor(event: RequestEvent | Parameters<PageServerLoad>[0]) {
	const db = await getDb();
	const user = await requireDepartmentPage(event, db, 'campaigns.manage', SHOPS_DEPARTMENT);
	const detail = uuidPattern.test(event.params.id)
		? await campaignDetail(db, event.params.id)
		: null;
	if (!detail) error(404, 'not_found');
	return { db, user, detail };
}

export const load: PageServerLoad = async (event) => {
	const { detail } = await campaignFor(event);
	const shop = detail.shops.find((s) => s.id === event.url.searchParams.get('shop'));
	if (!shop) error(404, 'not_found');
	return {
		campaign: { id: detail.id, name: detail.name },
		shop: {
			id: shop.id,
			name: shop.name,
			address: shop.address,
			community: shop.community,
			dutyNotes: shop.dutyNotes
		},
		// Made when the form is shown: a resent form is the same inspection, recorded once.
		clientId: crypto.randomUUID()
	};
};

export const actions: Actions = {
	record: async (event) => {
		const { db, user, detail } = await campaignFor(event);
		const form = await event.request.formData();
		const values = formObject(form);
		const parsed = parseInput(inspectionSchema, {
			...values,
			inspectedAt: new Date().toISOString()
		});
		if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
		const file = form.get('photo');
		const photo =
			file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
		let recorded;
		try {
			recorded = await recordInspectionWithPhoto(db, detail.id, parsed.value, photo, user);
		} catch (e) {
			if (e instanceof PhotoError)
				return fail(e.status, { values, fields: problemTexts({ photo: e.code }) });
			if (e instanceof CampaignProblem)
				return fail(e.status, {
					values,
					fields: problemTexts(e.fields ?? { form: e.code })
				});
			throw e;
		}
		const params = new URLSearchParams({ recorded: parsed.value.shopId });
		if (recorded.case) params.set('case', recorded.case.trackingCode);
		redirect(303, `/staff/campaigns/${detail.id}?${params}`);
	}
};
