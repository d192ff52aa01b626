import { json } from '@sveltejs/kit';
import { endpoint } from '$lib/server/api/errors';
import { getDb } from '$lib/server/db';
import { listPublicCategories } from '$lib/server/jurisdiction';
import { getLocale } from '$lib/paraglide/runtime.js';

export const GET = endpoint(async () => {
	const rows = await listPublicCategories(await getDb());
	const en = getLocale() === 'en';
	return json(
		rows.map((r) => ({
			code: r.code,
			name: en && r.nameEn ? r.nameEn : r.name,
			group: r.group,
			urgent: r.urgent,
			department: r.department
		})),
		{ headers: { 'Cache-Control': 'public, max-age=60', Vary: 'Accept-Language, Cookie' } }
	);
});
