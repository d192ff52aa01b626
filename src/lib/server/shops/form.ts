import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { shopSchema } from '$lib/domain/shops';
import { formObject, parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { requireDepartmentPage } from '../auth/department';
import { getDb } from '../db';
import { saveShop, ShopProblem } from './shops';

import { SHOPS_DEPARTMENT } from './constants';

export { SHOPS_DEPARTMENT };

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function requireShopStaff(event: RequestEvent) {
	return requireDepartmentPage(event, await getDb(), 'shops.manage', SHOPS_DEPARTMENT);
}

/** The save action of the new and edit pages; the typed values come back on a problem. */
export async function saveShopAction(event: RequestEvent, id: string | null) {
	await requireShopStaff(event);
	if (id && !uuidPattern.test(id)) error(404, 'not_found');
	const values = formObject(await event.request.formData());
	const parsed = parseInput(shopSchema, values);
	if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
	let saved: string;
	try {
		saved = await saveShop(await getDb(), id, parsed.value);
	} catch (e) {
		if (e instanceof ShopProblem) return fail(409, { values, fields: problemTexts(e.fields) });
		throw e;
	}
	redirect(303, `/staff/shops/${saved}?saved`);
}
