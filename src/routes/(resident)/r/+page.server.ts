import { redirect } from '@sveltejs/kit';
import { isTrackingCode } from '$lib/domain/reporting';
import { getDb } from '$lib/server/db';
import { readDevice } from '$lib/server/reports/http';
import { myReports } from '$lib/server/reports/reporter';
import type { PageServerLoad } from './$types';

/** "My reports" on this device or account, and a tracking-code lookup. */
export const load: PageServerLoad = async ({ url, locals, cookies }) => {
	const code = url.searchParams.get('code')?.trim().toUpperCase();
	if (code && isTrackingCode(code)) redirect(303, `/r/${code}`);
	const reports = await myReports(await getDb(), {
		userId: locals.user?.id ?? null,
		deviceId: readDevice(cookies)
	});
	return {
		notFound: !!code,
		reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
	};
};
