import { eq } from 'drizzle-orm';
import { inDepartment } from '$lib/server/auth/department';
import { can, requirePage, staffScope } from '$lib/server/auth/permissions';
import { PUBLISHER_DEPARTMENT } from '$lib/server/notices/notices';
import { SHOPS_DEPARTMENT } from '$lib/server/shops/constants';
import { getDb } from '$lib/server/db';
import { communities, departments } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const scope = staffScope(user);
	const db = await getDb();
	let scopeName: string | null = null;
	if (scope.kind === 'community') {
		[{ name: scopeName }] = await db
			.select({ name: communities.name })
			.from(communities)
			.where(eq(communities.id, scope.communityId));
	} else if (scope.kind === 'department') {
		[{ name: scopeName }] = await db
			.select({ name: departments.name })
			.from(departments)
			.where(eq(departments.id, scope.departmentId));
	}
	return {
		staff: { name: user.name, role: user.role },
		scope: { kind: scope.kind, name: scopeName },
		links: {
			notices: await inDepartment(db, user, PUBLISHER_DEPARTMENT),
			shops: await inDepartment(db, user, SHOPS_DEPARTMENT),
			activities: can(user, 'activities.manage')
		}
	};
};
