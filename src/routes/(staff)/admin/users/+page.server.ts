import { staffUserSchema, userEditSchema } from '$lib/domain/validation';
import { errorMessage } from '$lib/i18n/errors';
import { m } from '$lib/paraglide/messages.js';
import { listUsers } from '$lib/server/admin';
import { adminSave } from '$lib/server/admin-form';
import { AccountError, createUser, updateUser } from '$lib/server/auth/accounts';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listCommunities, listDepartments } from '$lib/server/jurisdiction';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requirePage(event, 'admin.manage');
	const db = await getDb();
	const search = event.url.searchParams.get('q')?.trim() ?? '';
	return {
		search,
		users: await listUsers(db, search),
		communities: await listCommunities(db),
		departments: await listDepartments(db)
	};
};

/** Account problems as field messages for the form. */
function accountProblems(error: unknown): Record<string, string> {
	if (!(error instanceof AccountError)) throw error;
	if (error.code === 'phone_taken') return { phone: errorMessage('phone_taken') };
	return { [error.field ?? 'name']: m.field_choice() };
}

export const actions: Actions = {
	create: (event) =>
		adminSave(event, staffUserSchema, async (db, _id, input) => {
			try {
				await createUser(db, input);
			} catch (error) {
				return accountProblems(error);
			}
		}),
	update: (event) =>
		adminSave(event, userEditSchema, async (db, id, input) => {
			if (!id) return { name: m.field_required() };
			try {
				await updateUser(db, id, {
					...input,
					community: input.community ?? '',
					department: input.department ?? '',
					password: input.password || undefined
				});
			} catch (error) {
				return accountProblems(error);
			}
		})
};
