import * as v from 'valibot';
import { pageNumberSchema } from '$lib/domain/validation';
import { getLocale } from '$lib/paraglide/runtime.js';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { notificationsToShow } from '$lib/server/notify';
import type { PageServerLoad } from './$types';

const PER_PAGE = 20;

/** Every notification of the person, newest first, a page at a time. */
export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'account.self');
	const parsed = v.safeParse(pageNumberSchema, event.url.searchParams.get('page') ?? undefined);
	const page = parsed.success ? parsed.output : 1;
	const { items, more } = await notificationsToShow(await getDb(), user.id, {
		locale: getLocale(),
		limit: PER_PAGE,
		offset: (page - 1) * PER_PAGE,
		shown: !event.isDataRequest
	});
	return { notifications: items, page, more };
};
