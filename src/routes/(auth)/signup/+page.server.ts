import { fail, redirect } from '@sveltejs/kit';
import { formObject, parseInput, signupSchema } from '$lib/domain/validation';
import { errorMessage } from '$lib/i18n/errors';
import { fieldProblems } from '$lib/i18n/labels';
import { AccountError, createUser } from '$lib/server/auth/accounts';
import { startSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/account');
	return { communities: await listCommunities(await getDb()) };
};

export const actions: Actions = {
	default: async (event) => {
		const values = formObject(await event.request.formData());
		const { password: _password, ...kept } = values;
		const parsed = parseInput(signupSchema, values);
		if (!parsed.ok) return fail(400, { values: kept, fields: fieldProblems(parsed.fields) });
		const db = await getDb();
		try {
			const user = await createUser(db, parsed.value);
			await startSession(db, event, user.id);
		} catch (error) {
			if (error instanceof AccountError) {
				const message =
					error.code === 'phone_taken' ? errorMessage('phone_taken') : m.field_choice();
				return fail(error.code === 'phone_taken' ? 409 : 400, {
					values: kept,
					fields: { [error.field ?? 'phone']: message }
				});
			}
			throw error;
		}
		redirect(303, parsed.value.role === 'volunteer' ? '/volunteer' : '/');
	}
};
