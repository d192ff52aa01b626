import { fail } from '@sveltejs/kit';
import { problemTexts } from '$lib/i18n/problems';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { requireShopStaff } from '$lib/server/shops/form';
import { importShops, listShops } from '$lib/server/shops/shops';
import { decodeCsv, looksLikeXlsx, parseCsv, parseXlsx } from '$lib/server/shops/tabular';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

export const load: PageServerLoad = async (event) => {
	await requireShopStaff(event);
	const db = await getDb();
	const community = event.url.searchParams.get('community') ?? '';
	const q = event.url.searchParams.get('q') ?? '';
	return {
		filter: { community, q },
		communities: await listCommunities(db),
		shops: await listShops(db, { community, q })
	};
};

export const actions: Actions = {
	import: async (event) => {
		await requireShopStaff(event);
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0 || file.size > MAX_IMPORT_BYTES)
			return fail(400, { importError: m.shops_import_unreadable() });
		const bytes = new Uint8Array(await file.arrayBuffer());
		let rows;
		try {
			rows = looksLikeXlsx(bytes) ? await parseXlsx(bytes) : parseCsv(decodeCsv(bytes));
		} catch {
			return fail(400, { importError: m.shops_import_unreadable() });
		}
		const report = await importShops(await getDb(), rows);
		return {
			imported: report.imported,
			errors: report.errors.map((e) => ({ line: e.line, fields: problemTexts(e.fields) }))
		};
	}
};
