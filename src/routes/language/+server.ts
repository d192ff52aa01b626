import { redirect } from '@sveltejs/kit';
import { isLocale, cookieName, cookieMaxAge } from '$lib/paraglide/runtime.js';
import type { RequestHandler } from './$types';

/** The language switch: a plain form post, so it works without JavaScript. */
export const POST: RequestHandler = async ({ request, cookies }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	const next = String(form.get('next') ?? '/');
	if (isLocale(locale)) {
		cookies.set(cookieName, locale, {
			path: '/',
			maxAge: cookieMaxAge,
			httpOnly: false,
			sameSite: 'lax',
			secure: false
		});
	}
	// Only same-site paths, never an open redirect.
	redirect(303, next.startsWith('/') && !next.startsWith('//') ? next : '/');
};
