import { pushStateOf } from '$lib/push-state';
import { redirect } from '@sveltejs/kit';
import { isTrackingCode } from '$lib/domain/reporting';
import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { caseKinds, notificationsToShow } from '$lib/server/notify';
import { readDevice } from '$lib/server/reports/http';
import { myReports } from '$lib/server/reports/reporter';
import type { PageServerLoad } from './$types';

/**
 * "My reports" on this device or account, and a tracking-code lookup. With an account, the news
 * of the cases it reported or follows; what is shown is marked read, so it is new only once.
 */
export const load: PageServerLoad = async ({ url, locals, cookies, isDataRequest }) => {
	const code = url.searchParams.get('code')?.trim().toUpperCase();
	if (code && isTrackingCode(code)) redirect(303, `/r/${code}`);
	const db = await getDb();
	const userId = locals.user?.id ?? null;
	const reports = await myReports(db, { userId, deviceId: readDevice(cookies) });
	return {
		pushState: pushStateOf(cookies),
		notFound: !!code,
		loggedIn: !!userId,
		reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
		updates: userId
			? await notificationsToShow(db, userId, {
					locale: getLocale(),
					limit: UPDATES_SHOWN,
					kinds: caseKinds,
					shown: !isDataRequest
				})
			: { items: [], more: false }
	};
};

const UPDATES_SHOWN = 5;
