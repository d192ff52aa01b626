import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, users } from '../db/schema';
import type { Role } from '$lib/domain/roles';

// Sessions as in the Lucia guide: the client holds a random token, the database only its hash.
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
const RENEW_WITHIN_MS = 15 * DAY_MS;
export const SESSION_COOKIE = 'session';

export interface SessionUser {
	id: string;
	name: string;
	phone: string;
	role: Role;
	communityId: string | null;
	departmentId: string | null;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
}

/** 160 random bits, base32. */
export function generateSessionToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(20));
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: Db, token: string, userId: string): Promise<Session> {
	const session: Session = {
		id: sessionIdFromToken(token),
		userId,
		expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS)
	};
	await db.insert(sessions).values(session);
	return session;
}

/** Looks the token up, drops it if expired, and slides the expiry when half the lifetime is gone. */
export async function validateSessionToken(
	db: Db,
	token: string
): Promise<{ session: Session; user: SessionUser } | null> {
	const sessionId = sessionIdFromToken(token);
	const [row] = await db
		.select({
			session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
			user: {
				id: users.id,
				name: users.name,
				phone: users.phone,
				role: users.role,
				communityId: users.communityId,
				departmentId: users.departmentId,
				disabled: users.disabled
			}
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id))
		.where(eq(sessions.id, sessionId));
	if (!row) return null;
	const { session } = row;
	const { disabled, ...user } = row.user;
	if (disabled || Date.now() >= session.expiresAt.getTime()) {
		await db.delete(sessions).where(eq(sessions.id, sessionId));
		return null;
	}
	if (Date.now() >= session.expiresAt.getTime() - RENEW_WITHIN_MS) {
		session.expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
		await db
			.update(sessions)
			.set({ expiresAt: session.expiresAt })
			.where(eq(sessions.id, sessionId));
	}
	return { session, user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user: on a password change or when the account is disabled. */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.userId, userId));
}

export function setSessionCookie(
	event: { cookies: Cookies; url: URL },
	token: string,
	expiresAt: Date
): void {
	event.cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		path: '/',
		secure: event.url.protocol === 'https:',
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** Starts a fresh session for a user who just proved who they are, and sets its cookie. */
export async function startSession(
	db: Db,
	event: { cookies: Cookies; url: URL },
	userId: string
): Promise<Session> {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(event, token, session.expiresAt);
	return session;
}
