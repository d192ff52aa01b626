import { describe, expect, it } from 'vitest';
import { roles, type Role } from '$lib/domain/roles';
import { authorize, can, inScope, staffScope } from './permissions';
import type { SessionUser } from './session';

const user = (role: Role, extra: Partial<SessionUser> = {}): SessionUser => ({
	id: 'u',
	name: 'n',
	phone: 'p',
	role,
	communityId: null,
	departmentId: null,
	...extra
});

describe('permissions', () => {
	it('lets only staff roles into the workbench', () => {
		const allowed = roles.filter((r) => can(user(r), 'staff.workbench'));
		expect(allowed).toEqual([
			'grid_worker',
			'handler',
			'community_staff',
			'dispatcher',
			'supervisor',
			'admin'
		]);
	});
	it('keeps administration to admins', () => {
		expect(roles.filter((r) => can(user(r), 'admin.manage'))).toEqual(['admin']);
	});
	it('tells a missing session from a missing permission', () => {
		expect(authorize(null, 'staff.workbench')).toBe('unauthenticated');
		expect(authorize(user('resident'), 'staff.workbench')).toBe('forbidden');
		expect(authorize(user('dispatcher'), 'staff.workbench')).toBe('allowed');
	});
});

describe('staff scopes', () => {
	it('limits community staff to their community and handlers to their department', () => {
		const staff = staffScope(user('community_staff', { communityId: 'c1' }));
		expect(inScope(staff, { communityId: 'c1' })).toBe(true);
		expect(inScope(staff, { communityId: 'c2' })).toBe(false);
		const handler = staffScope(user('handler', { departmentId: 'd1' }));
		expect(inScope(handler, { communityId: 'c1', departmentId: 'd1' })).toBe(true);
		expect(inScope(handler, { communityId: 'c1', departmentId: 'd2' })).toBe(false);
	});
	it('gives dispatchers everything and unassigned staff nothing', () => {
		expect(inScope(staffScope(user('dispatcher')), { communityId: 'x' })).toBe(true);
		expect(inScope(staffScope(user('community_staff')), { communityId: 'x' })).toBe(false);
		expect(inScope(staffScope(user('resident')), { communityId: 'x' })).toBe(false);
	});
});
