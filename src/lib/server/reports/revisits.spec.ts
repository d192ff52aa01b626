import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { ApiError } from '../api/errors';
import type { Database } from '../db';
import { openTestDatabase } from '../db/testing';
import {
	categories,
	notifications,
	reportEvents,
	reportFollowers,
	reportRevisits,
	reports
} from '../db/schema';
import { storeAfterPhoto } from './after-photo';
import { createCase, demoActors } from './fixtures';
import { listNotifications } from '../notify';
import { publicReport } from './public';
import { getCase, listQueue } from './queue';
import { announceDueRevisits, checkRevisit } from './revisits';
import { applyTransition, type Actor } from './workflow';

/*
 * The revisit (回头看) with a clock the test sets: every call takes `now`, so "14 days later" is
 * just a later date. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */

process.env.UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'jx-revisit-'));

let database: Database;
const actors: Record<string, Actor> = {};
const DAY = 86_400_000;
const closedAt = new Date('2026-11-02T10:00:00+08:00');
const later = (days: number) => new Date(+closedAt + days * DAY);

async function refused(promise: Promise<unknown>, status: number, code: string) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ApiError);
	expect((error as ApiError).status).toBe(status);
	expect((error as ApiError).code).toBe(code);
}

/** A handled case in 和平社区, closed by the grid worker at `closedAt`. */
async function closedCase(category = 'street-cleaning') {
	const report = await createCase(database.db, {
		stage: 'handled',
		department: 'city-management',
		category
	});
	return applyTransition(database.db, actors.grid_worker, report.id, { action: 'close' }, closedAt);
}

async function revisitsOf(reportId: string) {
	return database.db.select().from(reportRevisits).where(eq(reportRevisits.reportId, reportId));
}

beforeAll(async () => {
	database = await openTestDatabase();
	Object.assign(actors, await demoActors(database.db));
});
afterAll(() => database?.close());

describe('scheduling', () => {
	it('schedules the revisit at closure, the category’s number of days later (default 14)', async () => {
		const report = await closedCase();
		const [revisit] = await revisitsOf(report.id);
		expect(revisit.status).toBe('scheduled');
		expect(+revisit.dueAt).toBe(+later(14));

		await database.db
			.update(categories)
			.set({ revisitDays: 3 })
			.where(eq(categories.code, 'small-ads'));
		const ads = await closedCase('small-ads');
		expect(+(await revisitsOf(ads.id))[0].dueAt).toBe(+later(3));
	});

	it('cancels a waiting revisit when the resident reopens the case, and schedules anew on closing again', async () => {
		const report = await closedCase();
		await applyTransition(
			database.db,
			actors.resident,
			report.id,
			{ action: 'reopen', reason: '又脏了' },
			later(1)
		);
		expect((await revisitsOf(report.id)).map((r) => r.status)).toEqual(['cancelled']);
		await applyTransition(database.db, actors.handler, report.id, { action: 'start' }, later(2));
		const photo = await storeAfterPhoto(
			new Uint8Array(
				await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
					.jpeg()
					.toBuffer()
			)
		);
		await applyTransition(
			database.db,
			actors.handler,
			report.id,
			{ action: 'handle', note: '再次清理', photo },
			later(2)
		);
		await applyTransition(
			database.db,
			actors.grid_worker,
			report.id,
			{ action: 'close' },
			later(3)
		);
		const rows = await revisitsOf(report.id);
		expect(rows.map((r) => r.status).sort()).toEqual(['cancelled', 'scheduled']);
		expect(+rows.find((r) => r.status === 'scheduled')!.dueAt).toBe(+later(17));
	});
});

describe('the revisit job', () => {
	it('announces a due revisit once, however often and from however many servers it runs', async () => {
		const report = await closedCase();
		const [revisit] = await revisitsOf(report.id);
		// Not due yet: nothing happens.
		expect(await announceDueRevisits(database.db, later(13))).not.toContain(revisit.id);
		// Two servers run the job at the same moment, then again later.
		const [a, b] = await Promise.all([
			announceDueRevisits(database.db, later(14)),
			announceDueRevisits(database.db, later(14))
		]);
		const again = await announceDueRevisits(database.db, later(15));
		expect([...a, ...b, ...again].filter((id) => id === revisit.id)).toHaveLength(1);
		const events = await database.db
			.select()
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.action, 'revisit_due')));
		expect(events).toHaveLength(1);
		// The community's grid worker and staff and the dispatchers are told, each once.
		const told = await database.db
			.select({ userId: notifications.userId })
			.from(notifications)
			.where(
				and(
					eq(notifications.kind, 'revisit_due'),
					eq(notifications.link, `/staff/reports/${report.id}`)
				)
			);
		const userIds = told.map((t) => t.userId);
		expect(new Set(userIds).size).toBe(userIds.length);
		expect(userIds).toEqual(
			expect.arrayContaining([
				actors.grid_worker.id,
				actors.community_staff.id,
				actors.dispatcher.id
			])
		);
		expect(userIds).not.toContain(actors.handler.id);
	});

	it('shows the case in the queue of staff in scope when the revisit is due, not before', async () => {
		const report = await closedCase();
		const filter = v.parse(queueFilterSchema, { revisit: 'due' });
		const before = await listQueue(database.db, actors.grid_worker, filter, later(13));
		expect(before.items.map((i) => i.id)).not.toContain(report.id);
		const due = await listQueue(database.db, actors.grid_worker, filter, later(14));
		const item = due.items.find((i) => i.id === report.id);
		expect(item?.revisitDue).toBe(true);
		// Outside the community's scope, it does not show.
		const maolin = await createCase(database.db, {
			community: 'maolin',
			stage: 'handled',
			department: 'city-management'
		});
		await applyTransition(database.db, actors.dispatcher, maolin.id, { action: 'close' }, closedAt);
		const mine = await listQueue(database.db, actors.grid_worker, filter, later(14));
		expect(mine.items.map((i) => i.id)).not.toContain(maolin.id);
		const all = await listQueue(database.db, actors.dispatcher, filter, later(14));
		expect(all.items.map((i) => i.id)).toContain(maolin.id);
	});
});

describe('the check', () => {
	it('confirms: the revisit is done, the resident sees it, and nothing else opens', async () => {
		const report = await closedCase();
		await refused(
			checkRevisit(database.db, actors.grid_worker, report.id, { outcome: 'confirm' }, later(13)),
			409,
			'revisit_not_due'
		);
		await refused(
			checkRevisit(database.db, actors.handler, report.id, { outcome: 'confirm' }, later(14)),
			403,
			'forbidden'
		);
		const result = await checkRevisit(
			database.db,
			actors.grid_worker,
			report.id,
			{ outcome: 'confirm', note: '现场干净' },
			later(14)
		);
		expect(result).toEqual({ outcome: 'confirm', newReport: null });
		const [revisit] = await revisitsOf(report.id);
		expect(revisit).toMatchObject({
			status: 'confirmed',
			checkedByUserId: actors.grid_worker.id,
			note: '现场干净'
		});
		// Checked once only.
		await refused(
			checkRevisit(
				database.db,
				actors.community_staff,
				report.id,
				{ outcome: 'confirm' },
				later(15)
			),
			409,
			'revisit_not_scheduled'
		);
		const [{ stage }] = await database.db
			.select({ stage: reports.stage })
			.from(reports)
			.where(eq(reports.id, report.id));
		expect(stage).toBe('closed');
		const tracking = await publicReport(database.db, report.trackingCode);
		expect(tracking!.timeline.at(-1)!.note).toContain('回头看');
		// The case page in English reads the system's note in English.
		const inEnglish = await publicReport(database.db, report.trackingCode, 'en');
		expect(inEnglish!.timeline.at(-1)!.note).toBe(
			'Revisit: checked on site, the problem has not come back.'
		);
	});

	it('reopens as a new linked case, at triage, followed by the old case’s people, linked both ways', async () => {
		const report = await closedCase();
		await refused(
			checkRevisit(database.db, actors.grid_worker, report.id, { outcome: 'reopen' }, later(14)),
			400,
			'invalid_input'
		);
		const { newReport } = await checkRevisit(
			database.db,
			actors.grid_worker,
			report.id,
			{ outcome: 'reopen', note: '垃圾又堆起来了' },
			later(14)
		);
		expect(newReport).not.toBeNull();
		const [created] = await database.db.select().from(reports).where(eq(reports.id, newReport!.id));
		expect(created).toMatchObject({
			stage: 'submitted',
			categoryId: report.categoryId,
			communityId: report.communityId,
			gridId: report.gridId,
			lat: report.lat,
			lng: report.lng,
			description: '垃圾又堆起来了'
		});
		expect(created.dueAt).not.toBeNull();
		// The old case stays closed: its record is kept as it was.
		const old = await getCase(database.db, actors.community_staff, report.id, later(14));
		expect(old.stage).toBe('closed');
		expect(old.revisits).toEqual([
			expect.objectContaining({
				status: 'reopened',
				newCase: { id: created.id, trackingCode: created.trackingCode }
			})
		]);
		expect(old.revisitToCheck).toBeNull();
		const fresh = await getCase(database.db, actors.community_staff, created.id, later(14));
		expect(fresh.reopenedFrom).toEqual({ id: report.id, trackingCode: report.trackingCode });
		expect(fresh.timeline[0]).toMatchObject({
			action: 'submit',
			data: { reopenedFrom: report.trackingCode }
		});
		// The reporter follows the new case, and is told where to look.
		const followers = await database.db
			.select({ userId: reportFollowers.userId })
			.from(reportFollowers)
			.where(eq(reportFollowers.reportId, created.id));
		expect(followers.map((f) => f.userId)).toContain(actors.resident.id);
		const [told] = await database.db
			.select()
			.from(notifications)
			.where(
				and(
					eq(notifications.userId, actors.resident.id),
					eq(notifications.link, `/r/${created.trackingCode}`)
				)
			);
		expect(told.body).toContain(created.trackingCode);
		const [toldInEnglish] = (
			await listNotifications(database.db, actors.resident.id, 'en', 50)
		).filter((n) => n.link === `/r/${created.trackingCode}`);
		expect(toldInEnglish.body).toBe(
			`Revisit: the problem is back and was reopened as the new case ${created.trackingCode}.`
		);
		const oldCase = await publicReport(database.db, report.trackingCode, 'en');
		expect(oldCase!.timeline.at(-1)!.note).toBe(toldInEnglish.body);
		// Triage takes the new case like any other.
		const accepted = await applyTransition(
			database.db,
			actors.community_staff,
			created.id,
			{ action: 'accept' },
			later(14)
		);
		expect(accepted.stage).toBe('accepted');
	});

	it('lets only one of two simultaneous checks through', async () => {
		const report = await closedCase();
		const results = await Promise.allSettled([
			checkRevisit(
				database.db,
				actors.grid_worker,
				report.id,
				{ outcome: 'reopen', note: '复发' },
				later(14)
			),
			checkRevisit(
				database.db,
				actors.community_staff,
				report.id,
				{ outcome: 'reopen', note: '复发' },
				later(14)
			)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect((rejected.reason as ApiError).code).toBe('revisit_not_scheduled');
		const [revisit] = await revisitsOf(report.id);
		const opened = await database.db
			.select({ id: reportEvents.id })
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.action, 'revisit_reopen')));
		expect(opened).toHaveLength(1);
		expect(revisit.newReportId).not.toBeNull();
	});
});
