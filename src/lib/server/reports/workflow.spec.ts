import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import type { Database } from '../db';
import { caseKinds, listNotifications, markRead, notificationsToShow } from '../notify';
import { openTestDatabase } from '../db/testing';
import {
	departments,
	notifications,
	reportEvents,
	reportFollowers,
	reportPhotos,
	reports,
	users
} from '../db/schema';
import { hashPassword } from '../auth/password';
import { storeAfterPhoto } from './after-photo';
import { LocalPhotoStore } from './photos';
import { createCase, demoActors } from './fixtures';
import { applyTransition, routingAccuracy, type Actor, type TransitionInput } from './workflow';

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'jx-after-'));

let database: Database;
const actors: Record<string, Actor> = {};

async function jpeg(withGps = false): Promise<Uint8Array> {
	let image = sharp({
		create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } }
	}).jpeg();
	if (withGps)
		image = image.withExif({
			IFD0: { Make: 'PhoneMaker', Model: 'SecretPhone' },
			IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 51/1 0/1' }
		});
	return new Uint8Array(await image.toBuffer());
}

/** Expects an ApiError with this status and code. */
async function refused(promise: Promise<unknown>, status: number, code: string) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ApiError);
	expect((error as ApiError).status).toBe(status);
	expect((error as ApiError).code).toBe(code);
	return error as ApiError;
}

const move = (who: string, id: string, input: TransitionInput, now?: Date) =>
	applyTransition(database.db, actors[who], id, input, now);

beforeAll(async () => {
	database = await openTestDatabase();
	Object.assign(actors, await demoActors(database.db));
});
afterAll(() => database?.close());

describe('a case through the closed loop', () => {
	it('goes from report to closure, with a return on the way, and leaves an audit trail', async () => {
		const db = database.db;
		const report = await createCase(db, { category: 'street-cleaning' });
		const t0 = new Date('2026-11-23T09:00:00+08:00');
		const accepted = await move('community_staff', report.id, { action: 'accept', version: 1 }, t0);
		expect(accepted.stage).toBe('accepted');
		expect(accepted.version).toBe(2);
		const [cityManagement] = await db
			.select()
			.from(departments)
			.where(eq(departments.code, 'city-management'));
		expect(accepted.departmentId).toBe(cityManagement.id); // proposed from the category
		// The accept clock: 4 working hours from Monday 23 Nov 09:00.
		expect(accepted.dueAt?.toISOString()).toBe(new Date('2026-11-23T15:00:00+08:00').toISOString());

		// A department does not see a case that is only proposed to it.
		await refused(move('handler', report.id, { action: 'start' }), 403, 'forbidden');

		const t1 = new Date('2026-11-23T10:00:00+08:00');
		const dispatched = await move(
			'dispatcher',
			report.id,
			{ action: 'dispatch', department: 'city-management', note: '请尽快处理' },
			t1
		);
		expect(dispatched.stage).toBe('dispatched');
		// Street cleaning: 72 working hours to handle, from Monday 10:00.
		expect(dispatched.dueAt?.toISOString()).toBe(
			new Date('2026-12-07T12:00:00+08:00').toISOString()
		);

		const returned = await move('handler', report.id, {
			action: 'return',
			reason: '属于物业管理范围',
			department: 'property'
		});
		expect(returned.stage).toBe('returned');
		const [property] = await db.select().from(departments).where(eq(departments.code, 'property'));
		expect(returned.departmentId).toBe(property.id);
		// Back in triage, the handler of the squad no longer sees it.
		await refused(move('handler', report.id, { action: 'start' }), 403, 'forbidden');

		await move('dispatcher', report.id, { action: 'dispatch', department: 'city-management' });
		await move('handler', report.id, { action: 'start', publicNote: '已安排人员前往' });
		await refused(
			move('handler', report.id, { action: 'handle', note: '已清理' }),
			400,
			'invalid_input'
		);
		const photo = await storeAfterPhoto(await jpeg());
		const handled = await move('handler', report.id, {
			action: 'handle',
			note: '已清理完毕',
			photo
		});
		expect(handled.stage).toBe('handled');
		// The grid worker checks on site and closes.
		const closed = await move('grid_worker', report.id, { action: 'close', note: '现场核查无误' });
		expect(closed.stage).toBe('closed');
		expect(closed.dueAt).toBeNull();
		expect(closed.version).toBe(8);

		const events = await db
			.select()
			.from(reportEvents)
			.where(eq(reportEvents.reportId, report.id))
			.orderBy(asc(reportEvents.at));
		expect(events.map((e) => [e.action, e.fromStage, e.toStage])).toEqual([
			['accept', 'submitted', 'accepted'],
			['dispatch', 'accepted', 'dispatched'],
			['return', 'dispatched', 'returned'],
			['dispatch', 'returned', 'dispatched'],
			['start', 'dispatched', 'in_progress'],
			['handle', 'in_progress', 'handled'],
			['close', 'handled', 'closed']
		]);
		expect(events[1]).toMatchObject({ actorUserId: actors.dispatcher.id, note: '请尽快处理' });
		expect(events[2]).toMatchObject({
			actorUserId: actors.handler.id,
			departmentId: cityManagement.id,
			data: { reason: '属于物业管理范围', suggestedDepartmentId: property.id }
		});
		expect(events[4].publicNote).toBe('已安排人员前往');
		expect(events[6]).toMatchObject({ actorUserId: actors.grid_worker.id, note: '现场核查无误' });

		const photos = await db.select().from(reportPhotos).where(eq(reportPhotos.reportId, report.id));
		expect(photos).toHaveLength(1);
		expect(photos[0].kind).toBe('after');

		// The reporter hears of every public move (the return is internal).
		const told = await db
			.select()
			.from(notifications)
			.where(eq(notifications.userId, actors.resident.id));
		const forThis = told.filter((n) => n.link === `/r/${report.trackingCode}`);
		expect(forThis).toHaveLength(6);
		// In English, the stage and the title are English; a note staff wrote stays as written.
		const inEnglish = (await listNotifications(db, actors.resident.id, 'en', 50)).filter(
			(n) => n.link === `/r/${report.trackingCode}`
		);
		expect(inEnglish.map((n) => n.title)).toContain(
			`Your report ${report.trackingCode} has an update`
		);
		expect(inEnglish.map((n) => n.body)).toEqual(
			expect.arrayContaining(['Now: Accepted', '已安排人员前往'])
		);
		// The reports page lists only case news, and marks read only its reader's.
		const news = await listNotifications(db, actors.resident.id, 'zh-CN', 50, caseKinds);
		expect(news.every((n) => caseKinds.includes(n.kind as (typeof caseKinds)[number]))).toBe(true);
		const ids = news.filter((n) => !n.readAt).map((n) => n.id);
		expect(ids.length).toBeGreaterThan(0);
		await markRead(db, actors.dispatcher.id, ids);
		const unread = async () =>
			(await listNotifications(db, actors.resident.id, 'zh-CN', 50, caseKinds)).filter(
				(n) => !n.readAt
			).length;
		expect(await unread()).toBe(ids.length);
		// A page shows them new once, then read.
		const { items: shown } = await notificationsToShow(db, actors.resident.id, {
			locale: 'en',
			limit: 50,
			kinds: caseKinds,
			shown: true
		});
		expect(shown.filter((n) => n.unread).map((n) => n.id)).toEqual(ids);
		expect(shown[0].title).toMatch(/^Your report/);
		expect(await unread()).toBe(0);
		const { items: again } = await notificationsToShow(db, actors.resident.id, {
			locale: 'en',
			limit: 50,
			kinds: caseKinds,
			shown: true
		});
		expect(again.filter((n) => n.unread)).toEqual([]);

		const routing = await routingAccuracy(db, new Date(0), new Date(Date.now() + 60_000));
		expect(routing.returned).toBeGreaterThanOrEqual(1);
		expect(routing.accuracy).toBeLessThan(1);
	});
});

describe('refusals', () => {
	it('answers a stale version with 409 and leaves the case as it was', async () => {
		const report = await createCase(database.db);
		await move('community_staff', report.id, { action: 'accept', version: 1 });
		await refused(
			move('dispatcher', report.id, { action: 'decline', reason: '重复', version: 1 }),
			409,
			'stale_version'
		);
		const [row] = await database.db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.stage).toBe('accepted');
		expect(row.version).toBe(2);
	});

	it('answers a move the stage forbids with 409, and a role that lacks it with 403', async () => {
		const report = await createCase(database.db);
		await refused(move('handler', report.id, { action: 'close' }), 403, 'forbidden');
		await refused(move('dispatcher', report.id, { action: 'close' }), 409, 'transition_forbidden');
		await refused(move('supervisor', report.id, { action: 'accept' }), 403, 'forbidden');
		await refused(
			move('community_staff', report.id, { action: 'dispatch', department: 'property' }),
			403,
			'forbidden'
		);
		await refused(move('dispatcher', report.id, { action: 'fly' }), 400, 'invalid_input');
	});

	it('keeps community staff to their own community', async () => {
		const elsewhere = await createCase(database.db, { community: 'maolin' });
		await refused(move('community_staff', elsewhere.id, { action: 'accept' }), 403, 'forbidden');
		await refused(move('grid_worker', elsewhere.id, { action: 'close' }), 403, 'forbidden');
		expect((await move('dispatcher', elsewhere.id, { action: 'accept' })).stage).toBe('accepted');
	});

	it('asks for what a move needs', async () => {
		const report = await createCase(database.db);
		const error = await refused(
			move('dispatcher', report.id, { action: 'decline' }),
			400,
			'invalid_input'
		);
		expect(error.fields).toEqual({ reason: 'required' });
		await move('dispatcher', report.id, { action: 'accept' });
		const unknown = await refused(
			move('dispatcher', report.id, { action: 'dispatch', department: 'no-such-department' }),
			400,
			'invalid_input'
		);
		expect(unknown.fields).toEqual({ department: 'choice' });
		await refused(
			move('dispatcher', 'f0000000-0000-4000-8000-000000000000', { action: 'accept' }),
			404,
			'not_found'
		);
	});

	it('lets exactly one of two simultaneous moves win', async () => {
		const report = await createCase(database.db);
		const results = await Promise.allSettled([
			move('community_staff', report.id, { action: 'accept', version: 1 }),
			move('dispatcher', report.id, { action: 'decline', reason: '不属实', version: 1 })
		]);
		const won = results.filter((r) => r.status === 'fulfilled');
		const lost = results.filter((r) => r.status === 'rejected');
		expect(won).toHaveLength(1);
		expect(lost).toHaveLength(1);
		expect(((lost[0] as PromiseRejectedResult).reason as ApiError).status).toBe(409);
		const events = await database.db
			.select()
			.from(reportEvents)
			.where(eq(reportEvents.reportId, report.id));
		expect(events).toHaveLength(1);
	});
});

describe('merging duplicates', () => {
	it('makes every reporter of the merged case follow the kept case, and tells them', async () => {
		const db = database.db;
		const [other] = await db
			.insert(users)
			.values({
				phone: '13900000077',
				name: '另一位居民',
				role: 'resident',
				passwordHash: await hashPassword('another-secret')
			})
			.returning();
		const kept = await createCase(db);
		const merged = await createCase(db, { reporterPhone: '13900000077' });
		await db
			.insert(reportFollowers)
			.values({ reportId: merged.id, userId: actors.grid_worker.id, reason: 'me_too' });
		const result = await move('community_staff', merged.id, {
			action: 'merge',
			duplicateOf: kept.trackingCode
		});
		expect(result.stage).toBe('duplicate');
		expect(result.duplicateOfId).toBe(kept.id);
		const followers = await db
			.select({ userId: reportFollowers.userId })
			.from(reportFollowers)
			.where(eq(reportFollowers.reportId, kept.id));
		expect(followers.map((f) => f.userId).sort()).toEqual([other.id, actors.grid_worker.id].sort());
		const told = await db
			.select()
			.from(notifications)
			.where(and(eq(notifications.userId, other.id), eq(notifications.kind, 'case_merged')));
		expect(told).toHaveLength(1);
		expect(told[0].link).toBe(`/r/${kept.trackingCode}`);
		expect(told[0].title).toContain(merged.trackingCode);
		const [keptNow] = await db.select().from(reports).where(eq(reports.id, kept.id));
		expect(keptNow.meTooCount).toBe(1);
	});

	it('refuses to merge a case into itself or into an unknown case', async () => {
		const report = await createCase(database.db);
		await refused(
			move('dispatcher', report.id, { action: 'merge', duplicateOf: report.trackingCode }),
			400,
			'invalid_input'
		);
		await refused(
			move('dispatcher', report.id, { action: 'merge', duplicateOf: 'NOPE' }),
			400,
			'invalid_input'
		);
	});
});

describe('the resident reopen', () => {
	it('turns a closed case into rework, for its reporter only', async () => {
		const report = await createCase(database.db, { stage: 'closed' });
		const stranger = { ...actors.resident, id: actors.grid_worker.id };
		await refused(
			applyTransition(database.db, stranger, report.id, { action: 'reopen', reason: 'x' }),
			403,
			'forbidden'
		);
		const reopened = await move('resident', report.id, { action: 'reopen', reason: '又堆上了' });
		expect(reopened.stage).toBe('rework');
		expect(reopened.dueAt).not.toBeNull();
	});
});

describe('the after photo', () => {
	// The same pipeline and store interface as residents' photos, on a store of its own here.
	const store = new LocalPhotoStore(mkdtempSync(join(tmpdir(), 'jx-after-store-')));

	it('re-encodes the image, drops its metadata and keeps it in the photo store', async () => {
		const input = await jpeg(true);
		expect((await sharp(input).metadata()).exif).toBeDefined();
		const stored = await storeAfterPhoto(input, store, new Date('2026-11-27T10:00:00Z'));
		expect(stored.storageKey).toMatch(/^photos\/2026\/11\/[0-9a-f-]{36}\.jpg$/);
		const output = await store.get(stored.storageKey);
		expect(output).not.toBeNull();
		const meta = await sharp(output!).metadata();
		expect(meta.format).toBe('jpeg');
		expect(meta.exif).toBeUndefined();
		expect([stored.width, stored.height]).toEqual([64, 48]);
		expect(stored.bytes).toBe(output!.byteLength);
	});

	it('refuses bytes that are not an image, whatever they claim, and stores nothing', async () => {
		await refused(
			storeAfterPhoto(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), store),
			415,
			'photo_type'
		);
		// JPEG magic bytes followed by garbage: sharp cannot decode it.
		await refused(
			storeAfterPhoto(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]), store),
			400,
			'photo_unreadable'
		);
		await refused(storeAfterPhoto(new Uint8Array(11 * 1024 * 1024), store), 413, 'photo_too_large');
	});
});
