import { redirect } from '@sveltejs/kit';
import { isTrackingCode } from '$lib/domain/reporting';
import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { caseKinds, listNotifications, markRead } from '$lib/server/notify';
import { readDevice } from '$lib/server/reports/http';
import { myReports } from '$lib/server/reports/reporter';
import type { PageServerLoad } from './$types';

/**
 * "My reports" on this device or account, and a tracking-code lookup. With an account, the news
 * of the cases it reported or follows; what is shown is marked read, so it is new only once.
 */
export const load: PageServerLoad = async ({ url, locals, cookies }) => {
	const code = url.searchParams.get('code')?.trim().toUpperCase();
	if (code && isTrackingCode(code)) redirect(303, `/r/${code}`);
	const db = await getDb();
	const userId = locals.user?.id ?? null;
	const reports = await myReports(db, { userId, deviceId: readDevice(cookies) });
	const updates = userId
		? await listNotifications(db, userId, getLocale(), UPDATES_SHOWN, caseKinds)
		: [];
	if (userId)
		await markRead(
			db,
			userId,
			updates.filter((n) => !n.readAt).map((n) => n.id)
		);
	return {
		notFound: !!code,
		loggedIn: !!userId,
		reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
		updates: updates.map(({ id, title, body, link, createdAt, readAt }) => ({
			id,
			title,
			body,
			link,
			at: createdAt.toISOString(),
			unread: !readAt
		}))
	};
};

const UPDATES_SHOWN = 5;
