import { fail, redirect } from '@sveltejs/kit';
import { formObject, loginSchema, parseInput } from '$lib/domain/validation';
import { errorMessage } from '$lib/i18n/errors';
import { fieldProblems } from '$lib/i18n/labels';
import { login } from '$lib/server/auth/accounts';
import { startSession } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { m } from '$lib/paraglide/messages.js';
import type { Actions, PageServerLoad } from './$types';

function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async (event) => {
		const values = formObject(await event.request.formData());
		const parsed = parseInput(loginSchema, values);
		const phone = values.phone ?? '';
		if (!parsed.ok) return fail(400, { phone, fields: fieldProblems(parsed.fields) });
		const db = await getDb();
		const result = await login(db, { ...parsed.value, clientAddress: event.getClientAddress() });
		if (!result.ok) {
			if (result.reason === 'rate_limited') {
				event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
				const minutes = Math.ceil(result.retryAfterSeconds / 60);
				return fail(429, {
					phone,
					message: `${errorMessage('rate_limited')} ${m.error_retry_after({ minutes })}`
				});
			}
			return fail(401, { phone, message: errorMessage('invalid_credentials') });
		}
		await startSession(db, event, result.user.id);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
