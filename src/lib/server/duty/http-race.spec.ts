import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db';
import { bookings } from '../db/schema';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../auth/session';
import { seedDemo } from '../seed/demo';
import { makePostWithShifts, makeVolunteers } from './testing';

/*
 * The acceptance race over HTTP: 100 volunteers book one 5-place shift at the same moment,
 * spread over two app servers (the built app, `node build`) on one PostgreSQL database. Runs
 * when DATABASE_URL is set and the app has been built; otherwise it is skipped.
 */
const serverUrl = process.env.DATABASE_URL;
const buildEntry = resolve('build/index.js');
const enabled = !!serverUrl && existsSync(buildEntry);
const PORTS = [4191, 4192];
const VOLUNTEERS = 100;

let database: Database;
let dropDatabase: () => Promise<void>;
const servers: ChildProcess[] = [];

async function waitFor(url: string) {
	for (let i = 0; i < 120; i++) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`${url} did not start`);
}

describe.skipIf(!enabled)('booking race over HTTP on two app servers (PostgreSQL)', () => {
	beforeAll(async () => {
		const name = `jx_race_${Date.now().toString(36)}`;
		const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(serverUrl!);
		url.pathname = `/${name}`;
		database = await openDatabase({ databaseUrl: url.toString() });
		await seedDemo(database.db);
		dropDatabase = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
		for (const port of PORTS) {
			const child = spawn(process.execPath, [buildEntry], {
				env: {
					...process.env,
					PORT: String(port),
					ORIGIN: `http://localhost:${port}`,
					DATABASE_URL: url.toString(),
					SEED_DEMO: '0',
					APP_SECRET: 'race-test-secret',
					DATABASE_POOL_SIZE: '10'
				},
				stdio: 'ignore'
			});
			servers.push(child);
		}
		await Promise.all(PORTS.map((p) => waitFor(`http://localhost:${p}/api/v1/categories`)));
	}, 120_000);

	afterAll(async () => {
		for (const child of servers) child.kill('SIGTERM');
		await database?.close();
		await dropDatabase?.();
	});

	it('books exactly 5 of 100 simultaneous requests, on two servers and on one, four times over', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, new Date());
		const people = await makeVolunteers(db, VOLUNTEERS);
		const cookies = await Promise.all(
			people.map(async (id) => {
				const token = generateSessionToken();
				await createSession(db, token, id);
				return `${SESSION_COOKIE}=${token}`;
			})
		);
		// Three rounds spread over both servers, then one against a single server.
		for (const [round, shift] of shifts.slice(0, 4).entries()) {
			const ports = round < 3 ? PORTS : PORTS.slice(0, 1);
			const responses = await Promise.all(
				cookies.map(async (cookie, i) => {
					const origin = `http://localhost:${ports[i % ports.length]}`;
					const response = await fetch(`${origin}/api/v1/shifts/${shift.id}/bookings`, {
						method: 'POST',
						headers: {
							Cookie: cookie,
							Origin: origin,
							'Idempotency-Key': crypto.randomUUID()
						}
					});
					return { status: response.status, body: await response.json() };
				})
			);
			const booked = responses.filter((r) => r.status === 201 && r.body.status === 'booked');
			const waitlisted = responses.filter(
				(r) => r.status === 201 && r.body.status === 'waitlisted'
			);
			const refused = responses.filter((r) => r.status === 409);
			expect(booked).toHaveLength(5);
			expect(waitlisted.length + refused.length).toBe(VOLUNTEERS - 5);
			const [{ count }] = await db
				.select({ count: sql<number>`count(*)::int` })
				.from(bookings)
				.where(and(eq(bookings.shiftId, shift.id), eq(bookings.status, 'booked')));
			expect(count).toBe(5);
		}
	}, 120_000);
});
