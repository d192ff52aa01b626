import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { getDb } from '$lib/server/db';
import { listPosts } from '$lib/server/duty/shifts';
import { mapConfig } from '$lib/server/reports/map-config';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const db = await getDb();
	const posts = await listPosts(db, { activeOnly: true });
	// The coordinators' work numbers are public contact points, shown on the post.
	return {
		map: await mapConfig(db),
		posts: posts.map((p) => ({
			id: p.id,
			name: localName(p, getLocale()),
			zone: p.zone,
			lat: p.lat,
			lng: p.lng,
			coordinatorName: p.coordinatorName,
			coordinatorPhone: p.coordinatorPhone
		}))
	};
};
