import { fail, redirect } from '@sveltejs/kit';
import { formObject, parseInput, passwordSchema } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { changeOwnPassword } from '$lib/server/auth/accounts';
import { requirePage } from '$lib/server/auth/permissions';
import { deleteSessionCookie } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { m } from '$lib/paraglide/messages.js';
import * as v from 'valibot';
import type { Actions, PageServerLoad } from './$types';

const changePasswordSchema = v.object({
	current: v.pipe(v.string('required'), v.minLength(1, 'required')),
	next: passwordSchema
});

export const load: PageServerLoad = (event) => {
	const user = requirePage(event, 'account.self');
	return { account: { name: user.name, phone: user.phone, role: user.role } };
};

export const actions: Actions = {
	password: async (event) => {
		const user = requirePage(event, 'account.self');
		const parsed = parseInput(changePasswordSchema, formObject(await event.request.formData()));
		if (!parsed.ok) return fail(400, { fields: fieldProblems(parsed.fields) });
		const changed = await changeOwnPassword(
			await getDb(),
			user.id,
			parsed.value.current,
			parsed.value.next
		);
		if (!changed) return fail(400, { fields: { current: m.account_wrong_password() } });
		// Every session ended with the change, this one too.
		deleteSessionCookie(event.cookies);
		redirect(303, '/login?changed=1');
	}
};
