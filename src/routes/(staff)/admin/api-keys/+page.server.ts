import { fail } from '@sveltejs/kit';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import {
	apiKeyNameSchema,
	createApiKey,
	listApiKeys,
	revokeApiKey
} from '$lib/server/open311/api-keys';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const keys = await listApiKeys(await getDb());
	return {
		keys: keys.map((k) => ({
			id: k.id,
			name: k.name,
			prefix: k.prefix,
			createdAt: k.createdAt.toISOString(),
			createdByName: k.createdByName,
			lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
			revokedAt: k.revokedAt?.toISOString() ?? null
		}))
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = requirePage(event, 'admin.manage');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(apiKeyNameSchema, values);
		if (!parsed.ok) return fail(400, { values, fields: fieldProblems(parsed.fields) });
		const made = await createApiKey(await getDb(), {
			name: parsed.value.name,
			createdBy: user.id
		});
		// The key travels in this one answer and is never shown again.
		event.setHeaders({ 'Cache-Control': 'no-store' });
		return { created: { id: made.id, name: parsed.value.name, key: made.key } };
	},
	revoke: async (event) => {
		requirePage(event, 'admin.manage');
		const id = formObject(await event.request.formData()).id ?? '';
		const revoked = UUID.test(id) ? await revokeApiKey(await getDb(), id) : null;
		if (!revoked) return fail(404, { revokeProblem: m.open311_admin_key_not_found() });
		return { revoked: id };
	}
};
