import { postFormSchema, templateFormSchema } from '$lib/domain/duty-validation';
import { adminSave } from '$lib/server/admin-form';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import {
	createTemplate,
	listPosts,
	listTemplates,
	savePost,
	updateTemplate
} from '$lib/server/duty/shifts';
import { listCommunities } from '$lib/server/jurisdiction';
import { isUuid } from '$lib/server/duty/api';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const db = await getDb();
	const [posts, templates, communities] = await Promise.all([
		listPosts(db),
		listTemplates(db),
		listCommunities(db)
	]);
	return { posts, templates, communities };
};

export const actions: Actions = {
	template: (event) =>
		adminSave(event, templateFormSchema, async (db, id, value) => {
			if (id && !isUuid(id)) return { post: m.field_choice() };
			if (id) await updateTemplate(db, id, value);
			else await createTemplate(db, value);
		}),
	post: (event) => adminSave(event, postFormSchema, savePost)
};
