import { pushStateOf } from '$lib/push-state';
import { eq } from 'drizzle-orm';
import { inDepartment } from '$lib/server/auth/department';
import { can, requirePage, staffScope } from '$lib/server/auth/permissions';
import { PUBLISHER_DEPARTMENT } from '$lib/server/notices/notices';
import { SHOPS_DEPARTMENT } from '$lib/server/shops/constants';
import { getDb } from '$lib/server/db';
import { alertedStaffRoles, notificationsToShow } from '$lib/server/notify';
import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { communities, departments } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

/** The latest few: escalations, revisits due and absences, each a link to act on. */
const NOTIFICATIONS_SHOWN = 5;

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const scope = staffScope(user);
	const db = await getDb();
	const locale = getLocale();
	let scopeName: string | null = null;
	if (scope.kind === 'community') {
		const [row] = await db
			.select({ name: communities.name, nameEn: communities.nameEn })
			.from(communities)
			.where(eq(communities.id, scope.communityId));
		scopeName = localName(row, locale);
	} else if (scope.kind === 'department') {
		const [row] = await db
			.select({ name: departments.name, nameEn: departments.nameEn })
			.from(departments)
			.where(eq(departments.id, scope.departmentId));
		scopeName = localName(row, locale);
	}
	return {
		staff: { name: user.name, role: user.role },
		scope: { kind: scope.kind, name: scopeName },
		notifications: await notificationsToShow(db, user.id, {
			locale,
			limit: NOTIFICATIONS_SHOWN,
			shown: !event.isDataRequest
		}),
		pushOffered: alertedStaffRoles.includes(user.role),
		pushState: pushStateOf(event.cookies),
		links: {
			notices: await inDepartment(db, user, PUBLISHER_DEPARTMENT),
			shops: await inDepartment(db, user, SHOPS_DEPARTMENT),
			activities: can(user, 'activities.manage')
		}
	};
};
