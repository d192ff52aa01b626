import { error, type RequestEvent } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { ApiError } from '../api/errors';
import type { Db } from '../db';
import { departments } from '../db/schema';
import { requireApi, requirePage, type Permission } from './permissions';
import type { SessionUser } from './session';

/** Admins, and staff of the given department, pass; everyone else does not. */
export async function inDepartment(
	db: Db,
	user: Pick<SessionUser, 'role' | 'departmentId'>,
	departmentCode: string
): Promise<boolean> {
	if (user.role === 'admin') return true;
	if (!user.departmentId) return false;
	const [row] = await db
		.select({ code: departments.code })
		.from(departments)
		.where(eq(departments.id, user.departmentId));
	return row?.code === departmentCode;
}

/**
 * A permission held by role (the grants table) and narrowed to one department's staff: the
 * page answers 403 to staff of other departments.
 */
export async function requireDepartmentPage(
	event: RequestEvent,
	db: Db,
	permission: Permission,
	departmentCode: string
): Promise<SessionUser> {
	const user = requirePage(event, permission);
	if (!(await inDepartment(db, user, departmentCode))) error(403, 'forbidden');
	return user;
}

export async function requireDepartmentApi(
	event: RequestEvent,
	db: Db,
	permission: Permission,
	departmentCode: string
): Promise<SessionUser> {
	const user = requireApi(event, permission);
	if (!(await inDepartment(db, user, departmentCode))) throw new ApiError(403, 'forbidden');
	return user;
}
