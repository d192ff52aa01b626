import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import { bookings, shifts } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { bookShift } from './booking';
import { idempotent } from './idempotency';
import { makePostWithShifts, makeVolunteers } from './testing';

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database.close());

const now = atLocal('2026-12-07', '09:00');

describe(`idempotency keys (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('replays the first answer, refuses another payload, and books once under concurrent retries', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, now);
		const [v] = await makeVolunteers(db, 1);
		const book = (shiftId: string, key: string) =>
			idempotent(db, { key, userId: v, scope: `book:${shiftId}`, payload: {} }, async (tx) => ({
				status: 201,
				body: await bookShift(tx, { shiftId, volunteerId: v, now })
			}));
		const answers = await Promise.all([1, 2, 3].map(() => book(shifts[0].id, 'key-aaaaaaaa')));
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		expect(answers[0].status).toBe(201);
		await expect(book(shifts[1].id, 'key-aaaaaaaa')).rejects.toMatchObject({
			code: 'idempotency_key_mismatch',
			status: 422
		});
		// A refusal is stored and replayed too.
		const refused = await book(shifts[0].id, 'key-bbbbbbbb');
		expect(refused).toEqual({ status: 409, body: { error: { code: 'already_booked' } } });
		expect(await book(shifts[0].id, 'key-bbbbbbbb')).toEqual(refused);
	});

	it('stores an overlap refused inside its transaction, and the refused booking takes no place', async () => {
		const { db } = database;
		const morning = await makePostWithShifts(db, now);
		const overlapping = await makePostWithShifts(db, now, { startTime: '09:00', endTime: '12:00' });
		const [v] = await makeVolunteers(db, 1);
		const book = (shiftId: string, key: string) =>
			idempotent(db, { key, userId: v, scope: `book:${shiftId}`, payload: {} }, async (tx) => ({
				status: 201,
				body: await bookShift(tx, { shiftId, volunteerId: v, now })
			}));
		expect((await book(morning.shifts[0].id, 'key-cccccccc')).status).toBe(201);
		// The exclusion constraint fails the booking's insert after its place was claimed.
		const refused = await book(overlapping.shifts[0].id, 'key-dddddddd');
		expect(refused).toEqual({ status: 409, body: { error: { code: 'overlap' } } });
		expect(await book(overlapping.shifts[0].id, 'key-dddddddd')).toEqual(refused);
		const [shift] = await db.select().from(shifts).where(eq(shifts.id, overlapping.shifts[0].id));
		expect(shift.booked).toBe(0);
		const held = await db.select().from(bookings).where(eq(bookings.volunteerId, v));
		expect(held.map((booking) => booking.shiftId)).toEqual([morning.shifts[0].id]);
	});
});
