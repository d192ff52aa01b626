import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { staffRoles, type Role } from '$lib/domain/roles';
import { ApiError } from '../api/errors';
import type { SessionUser } from './session';

/**
 * The one table of who may do what. Every load, action and endpoint asks `authorize` (through
 * `requirePage` or `requireApi`) with one of these permissions.
 */
const grants = {
	'account.self': ['resident', 'volunteer', ...staffRoles],
	'staff.workbench': staffRoles,
	'reports.triage': ['community_staff', 'dispatcher', 'admin'],
	'reports.handle': ['handler', 'dispatcher', 'admin'],
	'reports.verify': ['grid_worker', 'community_staff', 'dispatcher', 'admin'],
	/** The reporter's feedback phone unmasked (others see 138****1234). */
	'reports.contact': ['dispatcher', 'admin'],
	'duty.book': ['volunteer'],
	'duty.rota': ['dispatcher', 'admin'],
	'duty.supervise': ['supervisor', 'dispatcher', 'admin'],
	'duty.coordinate': ['community_staff', 'dispatcher', 'supervisor', 'admin'],
	/** Leaders log their own community visits; the domain checks they are on the leaders list. */
	'duty.visit': staffRoles,
	'duty.visits_review': ['supervisor', 'dispatcher', 'admin'],
	'admin.manage': ['admin'],
	/** One-off volunteer activities and property companies' participation, within the scope. */
	'activities.manage': ['community_staff', 'dispatcher', 'admin'],
	// Narrowed to one department's staff (and admins) by auth/department.ts:
	'notices.publish': staffRoles, // 基层党建办 (party-building)
	'shops.manage': staffRoles, // 城管中队 (city-management)
	'campaigns.manage': staffRoles // 城管中队 (city-management)
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof grants;
export const allPermissions = Object.keys(grants) as Permission[];

export function can(user: Pick<SessionUser, 'role'> | null, permission: Permission): boolean {
	return !!user && (grants[permission] as readonly Role[]).includes(user.role);
}

export type Decision = 'allowed' | 'unauthenticated' | 'forbidden';

export function authorize(user: SessionUser | null, permission: Permission): Decision {
	if (!user) return 'unauthenticated';
	return can(user, permission) ? 'allowed' : 'forbidden';
}

/** For pages and form actions: redirects to login, or 403. */
export function requirePage(event: RequestEvent, permission: Permission): SessionUser {
	const user = event.locals.user;
	const decision = authorize(user, permission);
	if (decision === 'unauthenticated') {
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	if (decision === 'forbidden') error(403, 'forbidden');
	return user!;
}

/** For JSON endpoints: 401 or 403 in the API's error format. */
export function requireApi(event: RequestEvent, permission: Permission): SessionUser {
	const user = event.locals.user;
	const decision = authorize(user, permission);
	if (decision === 'unauthenticated') throw new ApiError(401, 'unauthenticated');
	if (decision === 'forbidden') throw new ApiError(403, 'forbidden');
	return user!;
}

/** Which cases and people a staff member sees. */
export type StaffScope =
	| { kind: 'all' }
	| { kind: 'community'; communityId: string }
	| { kind: 'department'; departmentId: string }
	| { kind: 'none' };

export function staffScope(user: SessionUser): StaffScope {
	switch (user.role) {
		case 'dispatcher':
		case 'supervisor':
		case 'admin':
			return { kind: 'all' };
		case 'community_staff':
		case 'grid_worker':
			return user.communityId
				? { kind: 'community', communityId: user.communityId }
				: { kind: 'none' };
		case 'handler':
			return user.departmentId
				? { kind: 'department', departmentId: user.departmentId }
				: { kind: 'none' };
		default:
			return { kind: 'none' };
	}
}

/** Whether an object that sits in a community and/or with a department is within the user's scope. */
export function inScope(
	scope: StaffScope,
	object: { communityId?: string | null; departmentId?: string | null }
): boolean {
	switch (scope.kind) {
		case 'all':
			return true;
		case 'community':
			return object.communityId === scope.communityId;
		case 'department':
			return object.departmentId === scope.departmentId;
		case 'none':
			return false;
	}
}
