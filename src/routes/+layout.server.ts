import type { LayoutServerLoad } from './$types';
import { can } from '$lib/server/auth/permissions';

export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		user: user ? { name: user.name, role: user.role } : null,
		canUseWorkbench: can(user, 'staff.workbench'),
		canAdmin: can(user, 'admin.manage')
	};
};
