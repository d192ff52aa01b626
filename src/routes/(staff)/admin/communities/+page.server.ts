import { fail } from '@sveltejs/kit';
import { parsePolygon } from '$lib/domain/geo';
import { communityEditSchema, gridEditSchema, parseInput } from '$lib/domain/validation';
import { listCommunitiesForAdmin, saveCommunity, saveGrid } from '$lib/server/admin';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const rows = await listCommunitiesForAdmin(await getDb());
	return {
		communities: rows.map((c) => ({ ...c, boundary: c.boundary ? JSON.stringify(c.boundary) : '' }))
	};
};

export const actions: Actions = {
	save: (event) =>
		adminSave(event, communityEditSchema, async (db, id, input) => {
			const boundary = input.boundary ? parsePolygon(input.boundary) : null;
			if (input.boundary && !boundary) return { boundary: m.admin_boundary_invalid() };
			await saveCommunity(db, id, { ...input, boundary });
		}),
	grid: async (event) => {
		requirePage(event, 'admin.manage');
		const form = await event.request.formData();
		const parsed = parseInput(gridEditSchema, {
			gridId: form.get('gridId'),
			responsibleName: form.get('responsibleName'),
			nameEn: form.get('nameEn') ?? ''
		});
		if (!parsed.ok) return fail(400, { gridError: m.form_has_errors() });
		const { gridId, ...grid } = parsed.value;
		await saveGrid(await getDb(), gridId, grid);
		return { saved: 'grid' };
	}
};
