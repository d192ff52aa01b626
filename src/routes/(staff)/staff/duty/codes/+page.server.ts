import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { inScope, requirePage, staffScope } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listPosts } from '$lib/server/duty/shifts';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.coordinate');
	const scope = staffScope(user);
	const posts = (await listPosts(await getDb(), { activeOnly: true })).filter((p) =>
		inScope(scope, { communityId: p.communityId })
	);
	return {
		posts: posts.map((p) => ({ id: p.id, name: localName(p, getLocale()) })),
		links: dutyStaffLinks(user)
	};
};
