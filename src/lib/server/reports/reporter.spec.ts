import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db';
import {
	notifications,
	reportEvents,
	reportFollowers,
	reportReporters,
	reports,
	users
} from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { ApiError } from '../api/errors';
import { createCase } from './fixtures';
import { ReportError } from './intake';
import { feedbackState, rateReport, reopenReport, type Viewer } from './reporter';
import { deviceHash, newDeviceId, reporterToken } from './secrets';
import { rateCase } from './workflow';

/*
 * The reporter's rating and reopen go through the case state machine (workflow.ts): the reopen
 * move, its new deadline, its audit entry and the followers' notifications, within 7 days.
 */

let database: Database;
beforeAll(async () => {
	database = await openTestDatabase();
});
afterAll(() => database?.close());

const DAY = 86_400_000;

/** A case of an anonymous reporter (by device), handled at `handledAt`. */
async function handledCase(handledAt: Date, stage: 'handled' | 'closed' = 'handled') {
	const { db } = database;
	const deviceId = newDeviceId();
	const report = await createCase(db, {
		category: 'small-ads',
		stage,
		department: 'property',
		reporterPhone: null
	});
	await db
		.insert(reportReporters)
		.values({ reportId: report.id, deviceHash: deviceHash(deviceId) });
	await db.insert(reportEvents).values({
		reportId: report.id,
		action: 'handle',
		fromStage: 'in_progress',
		toStage: 'handled',
		at: handledAt,
		publicNote: '已清理'
	});
	const viewer: Viewer = { userId: null, deviceId };
	return { report, viewer };
}

async function reportError(promise: Promise<unknown>): Promise<ReportError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ReportError);
	return error as ReportError;
}

describe('reopen by the reporter', () => {
	it('moves the case to rework through the state machine, with a new deadline and an audit entry', async () => {
		const { db } = database;
		const handledAt = new Date(Date.now() - 2 * DAY);
		const { report, viewer } = await handledCase(handledAt);
		const [before] = await db.select().from(reports).where(eq(reports.id, report.id));

		const now = new Date();
		await reopenReport(db, report.id, viewer, '  小广告又贴回来了  ', now);

		const [after] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(after.stage).toBe('rework');
		expect(after.version).toBe(before.version + 1);
		// The rework clock starts now: the state machine set a handling deadline.
		expect(after.dueAt).not.toBeNull();
		expect(after.dueAt!.getTime()).toBeGreaterThan(now.getTime());
		const [event] = await db
			.select()
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.action, 'reopen')));
		expect(event).toMatchObject({
			fromStage: 'handled',
			toStage: 'rework',
			actorUserId: null,
			note: '小广告又贴回来了',
			publicNote: null
		});
		const [counts] = await db
			.select()
			.from(reportReporters)
			.where(eq(reportReporters.reportId, report.id));
		expect(counts.reopenCount).toBe(1);
		// Reopened, it is no longer handled: rating and reopen wait for the next fix.
		expect((await feedbackState(db, report.id)).open).toBe(false);
	});

	it('works through the secret link from another device, and tells the followers', async () => {
		const { db } = database;
		const { report } = await handledCase(new Date(Date.now() - DAY), 'closed');
		const [follower] = await db.select().from(users).where(eq(users.phone, '13800000001'));
		await db
			.insert(reportFollowers)
			.values({ reportId: report.id, userId: follower.id, reason: 'me_too' });

		const stranger = { userId: null, deviceId: newDeviceId() };
		expect((await reportError(reopenReport(db, report.id, stranger, '没修好'))).status).toBe(403);

		const byLink = { ...stranger, token: reporterToken(report.id) };
		await reopenReport(db, report.id, byLink, '没修好');
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.stage).toBe('rework');
		const told = await db
			.select({ link: notifications.link })
			.from(notifications)
			.where(eq(notifications.userId, follower.id));
		expect(told.map((n) => n.link)).toContain(`/r/${report.trackingCode}`);
	});

	it('keeps the 7-day window and refuses a blank reason', async () => {
		const { db } = database;
		const handledAt = new Date(Date.now() - DAY);
		const { report, viewer } = await handledCase(handledAt);
		const eightDaysLater = new Date(handledAt.getTime() + 8 * DAY);
		expect(
			(await reportError(reopenReport(db, report.id, viewer, '还在', eightDaysLater))).code
		).toBe('feedback_closed');
		expect((await reportError(reopenReport(db, report.id, viewer, '   '))).status).toBe(400);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.stage).toBe('handled');
	});

	it('moves the case once when the reporter presses reopen twice at the same moment', async () => {
		const { db } = database;
		const { report, viewer } = await handledCase(new Date(Date.now() - DAY));
		const results = await Promise.allSettled([
			reopenReport(db, report.id, viewer, '第一次'),
			reopenReport(db, report.id, viewer, '第二次')
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const [refusal] = results.filter((r) => r.status === 'rejected');
		expect(((refusal as PromiseRejectedResult).reason as ReportError).status).toBe(409);
		const reopens = await db
			.select()
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.action, 'reopen')));
		expect(reopens).toHaveLength(1);
		const [counts] = await db
			.select()
			.from(reportReporters)
			.where(eq(reportReporters.reportId, report.id));
		expect(counts.reopenCount).toBe(1);
	});
});

describe('rating by the reporter', () => {
	it('records the latest rating with an audit entry, only for the reporter and within 7 days', async () => {
		const { db } = database;
		const handledAt = new Date(Date.now() - DAY);
		const { report, viewer } = await handledCase(handledAt);
		const stranger = { userId: null, deviceId: newDeviceId() };
		expect((await reportError(rateReport(db, report.id, stranger, 'satisfied'))).status).toBe(403);
		expect(
			(
				await reportError(
					rateReport(
						db,
						report.id,
						viewer,
						'satisfied',
						'',
						new Date(handledAt.getTime() + 8 * DAY)
					)
				)
			).code
		).toBe('feedback_closed');

		await rateReport(db, report.id, viewer, 'basically_satisfied', '还行');
		await rateReport(db, report.id, viewer, 'dissatisfied');
		expect((await feedbackState(db, report.id)).rating).toBe('dissatisfied');
		const rates = await db
			.select({ data: reportEvents.data, toStage: reportEvents.toStage })
			.from(reportEvents)
			.where(and(eq(reportEvents.reportId, report.id), eq(reportEvents.action, 'rate')))
			.orderBy(asc(reportEvents.at));
		expect(rates).toEqual([
			{ data: { rating: 'basically_satisfied', comment: '还行' }, toStage: null },
			{ data: { rating: 'dissatisfied' }, toStage: null }
		]);
		const [row] = await db.select().from(reports).where(eq(reports.id, report.id));
		expect(row.stage).toBe('handled');
	});

	it('is refused by the state machine on a case that is not handled or closed', async () => {
		const { db } = database;
		const report = await createCase(db, { category: 'small-ads', stage: 'dispatched' });
		const error = await rateCase(
			db,
			{ role: 'resident', id: null, verifiedReporter: true },
			report.id,
			'satisfied'
		).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(409);
		const [state] = await db
			.select()
			.from(reportReporters)
			.where(eq(reportReporters.reportId, report.id));
		expect(state?.rating ?? null).toBeNull();
	});
});
