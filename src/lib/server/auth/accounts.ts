import { eq } from 'drizzle-orm';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import { communities, departments, users } from '../db/schema';
import { hashPassword, verifyPassword } from './password';
import { hit, peek, reset, type RateLimitRule } from './rate-limit';
import { invalidateUserSessions, type SessionUser } from './session';

export const accountLoginLimit: RateLimitRule = { limit: 10, windowSeconds: 15 * 60 };
export const clientLoginLimit: RateLimitRule = { limit: 50, windowSeconds: 15 * 60 };

export type LoginResult =
	| { ok: true; user: SessionUser }
	| { ok: false; reason: 'invalid_credentials' }
	| { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

// Verified against when the phone is unknown, so timing does not reveal which phones exist.
let dummyHash: Promise<string> | undefined;

/** Checks a phone and password, counting failures per account and per client in the database. */
export async function login(
	db: Db,
	input: { phone: string; password: string; clientAddress: string }
): Promise<LoginResult> {
	const accountKey = `login:account:${input.phone}`;
	const clientKey = `login:client:${input.clientAddress}`;
	for (const [key, rule] of [
		[accountKey, accountLoginLimit],
		[clientKey, clientLoginLimit]
	] as const) {
		const state = await peek(db, key, rule);
		if (!state.allowed)
			return { ok: false, reason: 'rate_limited', retryAfterSeconds: state.retryAfterSeconds };
	}
	const [row] = await db.select().from(users).where(eq(users.phone, input.phone));
	dummyHash ??= hashPassword('not-a-real-password');
	const valid = row
		? await verifyPassword(row.passwordHash, input.password)
		: (await verifyPassword(await dummyHash, input.password)) && false;
	if (!row || !valid || row.disabled) {
		const account = await hit(db, accountKey, accountLoginLimit);
		const client = await hit(db, clientKey, clientLoginLimit);
		// The failure that reaches a limit already answers 429.
		const reached = [
			[account, accountLoginLimit],
			[client, clientLoginLimit]
		].find(([state, rule]) => (state as typeof account).count >= (rule as RateLimitRule).limit);
		if (reached) {
			return {
				ok: false,
				reason: 'rate_limited',
				retryAfterSeconds: (reached[0] as typeof account).retryAfterSeconds
			};
		}
		return { ok: false, reason: 'invalid_credentials' };
	}
	await reset(db, accountKey);
	return { ok: true, user: toSessionUser(row) };
}

export function toSessionUser(row: typeof users.$inferSelect): SessionUser {
	return {
		id: row.id,
		name: row.name,
		phone: row.phone,
		role: row.role,
		communityId: row.communityId,
		departmentId: row.departmentId
	};
}

export class AccountError extends Error {
	constructor(
		readonly code: 'phone_taken' | 'unknown_community' | 'unknown_department' | 'not_found',
		readonly field?: string
	) {
		super(code);
	}
}

export interface NewUser {
	phone: string;
	password: string;
	name: string;
	role: Role;
	community?: string;
	department?: string;
}

async function communityIdByCode(db: Db, code: string | undefined): Promise<string | null> {
	if (!code) return null;
	const [row] = await db
		.select({ id: communities.id })
		.from(communities)
		.where(eq(communities.code, code));
	if (!row) throw new AccountError('unknown_community', 'community');
	return row.id;
}

async function departmentIdByCode(db: Db, code: string | undefined): Promise<string | null> {
	if (!code) return null;
	const [row] = await db
		.select({ id: departments.id })
		.from(departments)
		.where(eq(departments.code, code));
	if (!row) throw new AccountError('unknown_department', 'department');
	return row.id;
}

/** Creates an account: self sign-up (resident, volunteer) or by an admin (staff). */
export async function createUser(db: Db, input: NewUser): Promise<SessionUser> {
	const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.phone, input.phone));
	if (taken) throw new AccountError('phone_taken', 'phone');
	const communityId = await communityIdByCode(db, input.community);
	const departmentId = await departmentIdByCode(db, input.department);
	const [row] = await db
		.insert(users)
		.values({
			phone: input.phone,
			name: input.name,
			passwordHash: await hashPassword(input.password),
			role: input.role,
			communityId,
			departmentId
		})
		.onConflictDoNothing({ target: users.phone })
		.returning();
	if (!row) throw new AccountError('phone_taken', 'phone');
	return toSessionUser(row);
}

export interface UserChanges {
	name?: string;
	role?: Role;
	community?: string;
	department?: string;
	disabled?: boolean;
	password?: string;
}

/** Edits an account. A new password or disabling ends every session of that user. */
export async function updateUser(db: Db, userId: string, changes: UserChanges): Promise<void> {
	const [current] = await db.select().from(users).where(eq(users.id, userId));
	if (!current) throw new AccountError('not_found');
	const set: Partial<typeof users.$inferInsert> = {};
	if (changes.name !== undefined) set.name = changes.name;
	if (changes.role !== undefined) set.role = changes.role;
	// An empty code clears the community or department.
	if (changes.community !== undefined)
		set.communityId = await communityIdByCode(db, changes.community || undefined);
	if (changes.department !== undefined)
		set.departmentId = await departmentIdByCode(db, changes.department || undefined);
	if (changes.disabled !== undefined) set.disabled = changes.disabled;
	if (changes.password) set.passwordHash = await hashPassword(changes.password);
	if (Object.keys(set).length) await db.update(users).set(set).where(eq(users.id, userId));
	if (changes.password || (changes.disabled && !current.disabled))
		await invalidateUserSessions(db, userId);
}

/** A user changes their own password, proving the current one. */
export async function changeOwnPassword(
	db: Db,
	userId: string,
	currentPassword: string,
	newPassword: string
): Promise<boolean> {
	const [row] = await db.select().from(users).where(eq(users.id, userId));
	if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) return false;
	await updateUser(db, userId, { password: newPassword });
	return true;
}
