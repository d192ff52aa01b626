import { AccountError } from '../auth/accounts';
import { ApiError } from './errors';
import type { Db } from '../db';
import { communities, departments } from '../db/schema';
import type { SessionUser } from '../auth/session';
import { eq } from 'drizzle-orm';

/** The `/me` shape: community and department as codes. */
export async function describeUser(db: Db, user: SessionUser) {
	const [community] = user.communityId
		? await db
				.select({ code: communities.code })
				.from(communities)
				.where(eq(communities.id, user.communityId))
		: [];
	const [department] = user.departmentId
		? await db
				.select({ code: departments.code })
				.from(departments)
				.where(eq(departments.id, user.departmentId))
		: [];
	return {
		id: user.id,
		name: user.name,
		role: user.role,
		...(community ? { community: community.code } : {}),
		...(department ? { department: department.code } : {})
	};
}

/** Maps an account failure onto the API's error: 409 for a taken phone, else 400 on the field. */
export function toApiError(error: unknown): unknown {
	if (!(error instanceof AccountError)) return error;
	if (error.code === 'phone_taken')
		return new ApiError(409, 'phone_taken', { phone: 'phone_taken' });
	return new ApiError(400, 'invalid_input', { [error.field ?? '_']: 'choice' });
}
