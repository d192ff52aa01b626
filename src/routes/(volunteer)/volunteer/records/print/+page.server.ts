import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { getProfile } from '$lib/server/duty/profiles';
import { listRecords, totalMinutes } from '$lib/server/duty/records';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.book');
	const db = await getDb();
	const [records, minutes, profile] = await Promise.all([
		listRecords(db, user.id),
		totalMinutes(db, user.id),
		getProfile(db, user.id)
	]);
	return { records, minutes, name: profile?.realName ?? user.name };
};
