import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { maskPhone, REOPEN_WINDOW_DAYS, type Rating } from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import { acceptsFeedback, feedbackStages } from '$lib/domain/workflow';
import type { Db } from '../db';
import {
	categories,
	reportEvents,
	reportFollowers,
	reportMeToos,
	reportReporters,
	reports
} from '../db/schema';
import { can } from '../auth/permissions';
import type { SessionUser } from '../auth/session';
import { deviceHash, decryptPhone, verifyReporterToken } from './secrets';
import { ApiError } from '../api/errors';
import { ReportError } from './intake';
import { applyTransition, rateCase, type VerifiedReporter } from './workflow';

/*
 * What the reporter (and "me too" residents) may do after submitting: follow, rate, reopen. This
 * module proves who the reporter is and keeps the 7-day window; the case moves themselves go
 * through the state machine (workflow.ts).
 */

export interface Viewer {
	userId: string | null;
	deviceId: string | null;
	/** The secret link's token, when the page was opened through it. */
	token?: string | null;
}

/** Whether the viewer is this case's reporter: by account, by device cookie, or by secret link. */
export async function isReporter(db: Db, reportId: string, viewer: Viewer): Promise<boolean> {
	if (viewer.token && verifyReporterToken(reportId, viewer.token)) return true;
	const [row] = await db
		.select({ userId: reports.reporterUserId, deviceHash: reportReporters.deviceHash })
		.from(reports)
		.leftJoin(reportReporters, eq(reportReporters.reportId, reports.id))
		.where(eq(reports.id, reportId));
	if (!row) return false;
	if (viewer.userId && row.userId === viewer.userId) return true;
	return !!viewer.deviceId && row.deviceHash === deviceHash(viewer.deviceId);
}

/** "My reports": those sent from this device or this account, newest first. */
export async function myReports(db: Db, viewer: Viewer, limit = 50) {
	const conditions = [];
	if (viewer.deviceId) conditions.push(eq(reportReporters.deviceHash, deviceHash(viewer.deviceId)));
	if (viewer.userId) conditions.push(eq(reports.reporterUserId, viewer.userId));
	if (conditions.length === 0) return [];
	return db
		.select({
			trackingCode: reports.trackingCode,
			stage: reports.stage,
			createdAt: reports.createdAt,
			categoryName: categories.name,
			categoryNameEn: categories.nameEn
		})
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(reportReporters, eq(reportReporters.reportId, reports.id))
		.where(or(...conditions))
		.orderBy(desc(reports.createdAt))
		.limit(limit);
}

/**
 * "我也遇到": counts the viewer once per case and makes a logged-in viewer a follower. Creates no
 * report. Returns whether this press counted, and the count after it.
 */
export async function meToo(db: Db, trackingCode: string, viewer: Viewer) {
	const supporter = viewer.userId
		? `user:${viewer.userId}`
		: viewer.deviceId
			? `device:${deviceHash(viewer.deviceId)}`
			: null;
	if (!supporter) throw new ReportError(400, 'device_required');
	return db.transaction(async (tx) => {
		const [report] = await tx
			.select({ id: reports.id, stage: reports.stage, meTooCount: reports.meTooCount })
			.from(reports)
			.where(eq(reports.trackingCode, trackingCode));
		if (!report) throw new ReportError(404, 'not_found');
		if (['closed', 'declined', 'duplicate'].includes(report.stage))
			throw new ReportError(409, 'report_closed');
		const inserted = await tx
			.insert(reportMeToos)
			.values({ reportId: report.id, supporter })
			.onConflictDoNothing()
			.returning({ reportId: reportMeToos.reportId });
		if (inserted.length === 0) return { counted: false, count: report.meTooCount };
		const [updated] = await tx
			.update(reports)
			.set({ meTooCount: sql`${reports.meTooCount} + 1` })
			.where(eq(reports.id, report.id))
			.returning({ count: reports.meTooCount });
		await tx.insert(reportEvents).values({
			reportId: report.id,
			actorUserId: viewer.userId,
			action: 'me_too'
		});
		if (viewer.userId)
			await tx
				.insert(reportFollowers)
				.values({ reportId: report.id, userId: viewer.userId, reason: 'me_too' })
				.onConflictDoNothing();
		return { counted: true, count: updated.count };
	});
}

/** When the case last became handled or closed, if it is in one of those stages now. */
async function handledAt(db: Db, reportId: string, stage: Stage): Promise<Date | null> {
	if (!acceptsFeedback(stage)) return null;
	const [row] = await db
		.select({ at: reportEvents.at })
		.from(reportEvents)
		.where(
			and(eq(reportEvents.reportId, reportId), inArray(reportEvents.toStage, [...feedbackStages]))
		)
		.orderBy(desc(reportEvents.at))
		.limit(1);
	return row?.at ?? null;
}

export interface FeedbackState {
	/** Rating and reopen are open: the case is handled or closed, less than 7 days ago. */
	open: boolean;
	until: Date | null;
	rating: Rating | null;
}

export async function feedbackState(
	db: Db,
	reportId: string,
	now = new Date()
): Promise<FeedbackState> {
	const [row] = await db
		.select({ stage: reports.stage, rating: reportReporters.rating })
		.from(reports)
		.leftJoin(reportReporters, eq(reportReporters.reportId, reports.id))
		.where(eq(reports.id, reportId));
	if (!row) return { open: false, until: null, rating: null };
	const at = await handledAt(db, reportId, row.stage);
	const until = at ? new Date(at.getTime() + REOPEN_WINDOW_DAYS * 86_400_000) : null;
	return { open: !!until && now < until, until, rating: (row.rating as Rating | null) ?? null };
}

async function requireFeedback(db: Db, reportId: string, viewer: Viewer, now: Date) {
	if (!(await isReporter(db, reportId, viewer))) throw new ReportError(403, 'forbidden');
	const state = await feedbackState(db, reportId, now);
	if (!state.open) throw new ReportError(409, 'feedback_closed');
	return state;
}

const asReporter = (viewer: Viewer): VerifiedReporter => ({
	role: 'resident',
	id: viewer.userId,
	verifiedReporter: true
});

function asReportError(error: unknown): unknown {
	return error instanceof ApiError
		? new ReportError(error.status, error.code, error.fields)
		: error;
}

/** The reporter's rating (满意 / 基本满意 / 不满意) of a handled case, within 7 days. The latest counts. */
export async function rateReport(
	db: Db,
	reportId: string,
	viewer: Viewer,
	rating: Rating,
	comment = '',
	now = new Date()
) {
	await db.transaction(async (tx) => {
		await requireFeedback(tx, reportId, viewer, now);
		await rateCase(tx, asReporter(viewer), reportId, rating, comment, now).catch((error) => {
			throw asReportError(error);
		});
	});
}

/**
 * The reporter says it is not really fixed, within 7 days: the state machine's `reopen` move takes
 * the case back as rework (a new deadline, an audit entry, the followers told).
 */
export async function reopenReport(
	db: Db,
	reportId: string,
	viewer: Viewer,
	reason: string,
	now = new Date()
) {
	await db.transaction(async (tx) => {
		await requireFeedback(tx, reportId, viewer, now);
		const trimmed = reason.trim().slice(0, 500);
		if (!trimmed) throw new ReportError(400, 'invalid_input', { reason: 'required' });
		await applyTransition(
			tx,
			asReporter(viewer),
			reportId,
			{ action: 'reopen', reason: trimmed },
			now
		).catch((error) => {
			throw asReportError(error);
		});
		await tx
			.insert(reportReporters)
			.values({ reportId, reopenCount: 1 })
			.onConflictDoUpdate({
				target: reportReporters.reportId,
				set: { reopenCount: sql`${reportReporters.reopenCount} + 1` }
			});
	});
}

/** The case's feedback phone as this staff member may see it: masked unless they hold `reports.contact`. */
export async function reporterPhoneForStaff(
	db: Db,
	reportId: string,
	user: Pick<SessionUser, 'role'>
): Promise<string | null> {
	const [row] = await db
		.select({ encrypted: reports.reporterPhoneEncrypted })
		.from(reports)
		.where(eq(reports.id, reportId));
	if (!row?.encrypted) return null;
	const phone = decryptPhone(row.encrypted);
	if (!phone) return null;
	return can(user, 'reports.contact') ? phone : maskPhone(phone);
}
