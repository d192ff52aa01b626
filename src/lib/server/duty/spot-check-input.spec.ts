import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal } from '$lib/domain/duty';
import type { Database } from '../db';
import { spotChecks, standInRequests, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { photoStore } from '../reports/photos';
import { bookShift } from './booking';
import { DutyError } from './errors';
import { spotCheckPhoto, submitSpotCheck } from './spot-check-input';
import { makePostWithShifts, makeVolunteers } from './testing';

// This file's own photo folder, so the files it leaves can be counted.
const uploads = mkdtempSync(join(tmpdir(), 'jx-spot-'));
process.env.UPLOAD_DIR = uploads;

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(async () => {
	await database.close();
	rmSync(uploads, { recursive: true, force: true });
});

const bookedAt = atLocal('2026-12-07', '09:00');

function storedFiles(): string[] {
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
			e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]
		);
	return walk(uploads);
}

/** A 40×20 JPEG whose EXIF says "rotate 90°", with a GPS-bearing comment-free EXIF block. */
function phonePhoto() {
	return sharp({ create: { width: 40, height: 20, channels: 3, background: '#c00' } })
		.jpeg()
		.withMetadata({ orientation: 6, exif: { IFD0: { Make: 'PhoneMaker', Model: 'X1' } } })
		.toBuffer();
}

async function refusal(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		if (error instanceof DutyError) return { code: error.code, status: error.status };
		throw error;
	}
	return 'accepted';
}

describe(`spot checks from the phone (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
	it('stores the photo through the pipeline, takes the device time, and saves a replay once', async () => {
		const { db } = database;
		const { shifts } = await makePostWithShifts(db, bookedAt);
		const [volunteer] = await makeVolunteers(db, 1);
		const booking = await bookShift(db, {
			shiftId: shifts[0].id,
			volunteerId: volunteer,
			now: bookedAt
		});
		const [supervisor] = await db.select().from(users).where(eq(users.phone, '13800000007'));
		// Tapped offline 20 minutes into the shift; synced an hour later.
		const tappedAt = new Date(shifts[0].startsAt.getTime() + 20 * 60_000);
		const now = new Date(tappedAt.getTime() + 3600_000);
		const photo = new Uint8Array(await phonePhoto());
		const key = crypto.randomUUID();
		const fields = {
			booking: booking.id,
			result: 'absent',
			note: '未见到人',
			checkedAt: tappedAt.toISOString()
		};
		const first = await submitSpotCheck(db, {
			key,
			checkedBy: supervisor.id,
			fields,
			photo,
			now
		});
		expect(first.status).toBe(201);
		const id = (first.body as { id: string }).id;
		const [row] = await db.select().from(spotChecks).where(eq(spotChecks.id, id));
		expect(row).toMatchObject({ result: 'absent', note: '未见到人', bookingId: booking.id });
		expect(row.checkedAt.toISOString()).toBe(tappedAt.toISOString());
		// Kept as a fresh JPEG, turned upright, with no EXIF left.
		const stored = await spotCheckPhoto(db, id);
		const meta = await sharp(stored!).metadata();
		expect(meta).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
		expect(meta.exif).toBeUndefined();
		expect(meta.orientation).toBeUndefined();
		expect(await photoStore().get(row.photoKey!)).not.toBeNull();
		expect(storedFiles()).toHaveLength(1);
		// The absence synced late still opens a stand-in place (the shift has not ended).
		expect(
			await db.select().from(standInRequests).where(eq(standInRequests.absentBookingId, booking.id))
		).toHaveLength(1);

		// The outbox sends it again (the answer was lost): same answer, nothing new, no stray photo.
		const again = await submitSpotCheck(db, {
			key,
			checkedBy: supervisor.id,
			fields,
			photo,
			now: new Date(now.getTime() + 60_000)
		});
		expect(again).toEqual(first);
		expect(
			await db.select().from(spotChecks).where(eq(spotChecks.bookingId, booking.id))
		).toHaveLength(1);
		expect(storedFiles()).toHaveLength(1);
		// The same key with another payload is misuse.
		expect(
			await refusal(
				submitSpotCheck(db, {
					key,
					checkedBy: supervisor.id,
					fields: { ...fields, result: 'present' },
					now
				})
			)
		).toEqual({ code: 'idempotency_key_mismatch', status: 422 });

		// Not an image, a device time from last month, no subject: refused, nothing kept.
		expect(
			await refusal(
				submitSpotCheck(db, {
					key: crypto.randomUUID(),
					checkedBy: supervisor.id,
					fields,
					photo: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
					now
				})
			)
		).toEqual({ code: 'photo_type', status: 415 });
		expect(
			await refusal(
				submitSpotCheck(db, {
					key: crypto.randomUUID(),
					checkedBy: supervisor.id,
					fields: { ...fields, checkedAt: new Date(now.getTime() - 8 * 86400_000).toISOString() },
					photo,
					now
				})
			)
		).toEqual({ code: 'device_time', status: 400 });
		expect(
			await refusal(
				submitSpotCheck(db, {
					key: crypto.randomUUID(),
					checkedBy: supervisor.id,
					fields: { result: 'late' },
					now
				})
			)
		).toEqual({ code: 'invalid_input', status: 400 });
		expect(storedFiles()).toHaveLength(1);
		expect(
			await db.select().from(spotChecks).where(eq(spotChecks.bookingId, booking.id))
		).toHaveLength(1);
	});
});
