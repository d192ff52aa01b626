export const roles = [
	'resident',
	'volunteer',
	'grid_worker',
	'handler',
	'community_staff',
	'dispatcher',
	'supervisor',
	'admin'
] as const;
export type Role = (typeof roles)[number];

export const selfSignupRoles = ['resident', 'volunteer'] as const satisfies readonly Role[];
export const staffRoles = [
	'grid_worker',
	'handler',
	'community_staff',
	'dispatcher',
	'supervisor',
	'admin'
] as const satisfies readonly Role[];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function isStaffRole(role: Role): boolean {
	return (staffRoles as readonly Role[]).includes(role);
}
