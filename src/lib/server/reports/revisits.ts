import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { revisitNote, type RevisitFinding } from '$lib/i18n/revisit-notes';
import { ApiError } from '../api/errors';
import { can } from '../auth/permissions';
import type { Db } from '../db';
import {
	categories,
	reportEvents,
	reportFollowers,
	reportRevisits,
	reports,
	users
} from '../db/schema';
import { notify, type Notice } from '../notify';
import { pushAfterCommit, summedPerPerson } from '../push/push';
import { dueAtFor } from './deadlines';
import { newTrackingCode } from './secrets';
import { caseInScope, followerIds, notifyFollowers, type Actor } from './workflow';

/*
 * The revisit (回头看): N days after a case closes (per category), someone checks on site that the
 * fix held. The revisit is a row written with the closing move, so it survives restarts; the
 * revisit job announces due revisits once, whichever server runs it; the check confirms, or reopens
 * the problem as a new case linked to the old one both ways.
 */

const DAY = 86_400_000;

export const revisitOutcomes = ['confirm', 'reopen'] as const;
export type RevisitOutcome = (typeof revisitOutcomes)[number];

/** Schedules the revisit of a case that has just closed (inside the closing transaction). */
export async function scheduleRevisit(
	tx: Db,
	report: { id: string; categoryId: string },
	closedAt: Date
): Promise<void> {
	const [category] = await tx
		.select({ days: categories.revisitDays })
		.from(categories)
		.where(eq(categories.id, report.categoryId));
	const days = category?.days ?? 14;
	await tx
		.insert(reportRevisits)
		.values({ reportId: report.id, dueAt: new Date(+closedAt + days * DAY), createdAt: closedAt })
		.onConflictDoNothing();
}

/** A closed case reopened by its resident needs no revisit any more: the fix is being redone. */
export async function cancelRevisits(tx: Db, reportId: string, at: Date): Promise<void> {
	await tx
		.update(reportRevisits)
		.set({ status: 'cancelled', checkedAt: at })
		.where(and(eq(reportRevisits.reportId, reportId), eq(reportRevisits.status, 'scheduled')));
}

/** SQL: the case has a revisit waiting that is due at `now` (for the queue). */
export function revisitDueAt(now: Date) {
	return sql`exists (select 1 from ${reportRevisits} where ${reportRevisits.reportId} = ${reports.id} and ${reportRevisits.status} = 'scheduled' and ${reportRevisits.dueAt} <= ${now.toISOString()})`;
}

/**
 * The revisit job: claims every due revisit not yet announced with one conditional update (a
 * second server running at the same moment claims none of the same rows), then puts it in the
 * case's timeline and tells the checkers of the case's community and the dispatchers, in the app
 * and, once committed, by push.
 */
export async function announceDueRevisits(db: Db, now: Date = new Date()): Promise<string[]> {
	const told: Notice[] = [];
	// Claim and announce in one transaction: a crash in between leaves the revisit unclaimed.
	const announced = await db.transaction(async (tx) => {
		told.length = 0;
		const claimed = await tx
			.update(reportRevisits)
			.set({ dueNotifiedAt: now })
			.where(
				and(
					eq(reportRevisits.status, 'scheduled'),
					isNull(reportRevisits.dueNotifiedAt),
					lte(reportRevisits.dueAt, now)
				)
			)
			.returning({ id: reportRevisits.id, reportId: reportRevisits.reportId });
		for (const revisit of claimed) {
			const [report] = await tx
				.select({
					id: reports.id,
					trackingCode: reports.trackingCode,
					communityId: reports.communityId,
					stage: reports.stage
				})
				.from(reports)
				.where(eq(reports.id, revisit.reportId));
			if (!report) continue;
			await tx.insert(reportEvents).values({
				reportId: report.id,
				at: now,
				action: 'revisit_due',
				data: { revisitId: revisit.id }
			});
			const checkers = await tx
				.select({ id: users.id })
				.from(users)
				.where(
					and(
						eq(users.disabled, false),
						report.communityId
							? or(
									and(
										inArray(users.role, ['grid_worker', 'community_staff']),
										eq(users.communityId, report.communityId)
									),
									eq(users.role, 'dispatcher')
								)
							: eq(users.role, 'dispatcher')
					)
				);
			told.push(
				...(await notify(
					tx,
					checkers.map((u) => ({
						userId: u.id,
						kind: 'revisit_due' as const,
						params: { code: report.trackingCode },
						link: `/staff/reports/${report.id}`,
						createdAt: now,
						// Several due at once are one notification on the phone; the workbench lists them all.
						tag: 'revisit-due'
					}))
				))
			);
		}
		return claimed.map((r) => r.id);
	});
	void pushAfterCommit(
		db,
		summedPerPerson(told, (count) => ({
			content: { kind: 'revisits_due', params: { count } },
			link: '/staff/queue?revisit=due'
		}))
	);
	return announced;
}

export interface RevisitCheck {
	outcome: string;
	/** What the check found; required to reopen (it becomes the new case's description). */
	note?: string;
}

/**
 * The revisit's check. `confirm`: the fix held. `reopen`: the problem is back, so a new case opens
 * for triage at the same place, followed by the old case's people, and both cases link to each
 * other. 400 bad input, 403 outside scope or role, 404 no such case, 409 nothing due to check.
 */
export async function checkRevisit(
	db: Db,
	actor: Actor,
	reportId: string,
	input: RevisitCheck,
	now: Date = new Date()
): Promise<{ outcome: RevisitOutcome; newReport: { id: string; trackingCode: string } | null }> {
	if (!(revisitOutcomes as readonly string[]).includes(input.outcome))
		throw new ApiError(400, 'invalid_input', { outcome: 'choice' });
	const outcome = input.outcome as RevisitOutcome;
	const note = input.note?.trim() || null;
	if (outcome === 'reopen' && !note) throw new ApiError(400, 'invalid_input', { note: 'required' });
	if (!can(actor, 'reports.verify')) throw new ApiError(403, 'forbidden');
	const checked = await db.transaction(async (tx) => {
		const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
		if (!report) throw new ApiError(404, 'not_found');
		if (!caseInScope(actor, report)) throw new ApiError(403, 'forbidden');
		const [revisit] = await tx
			.select()
			.from(reportRevisits)
			.where(and(eq(reportRevisits.reportId, report.id), eq(reportRevisits.status, 'scheduled')))
			.for('update');
		if (!revisit || report.stage !== 'closed') throw new ApiError(409, 'revisit_not_scheduled');
		if (+revisit.dueAt > +now) throw new ApiError(409, 'revisit_not_due');

		let newReport: { id: string; trackingCode: string } | null = null;
		if (outcome === 'reopen') {
			newReport = await openLinkedCase(tx, actor, report, note!, now);
		}
		await tx
			.update(reportRevisits)
			.set({
				status: outcome === 'confirm' ? 'confirmed' : 'reopened',
				checkedAt: now,
				checkedByUserId: actor.id,
				note,
				newReportId: newReport?.id ?? null
			})
			.where(eq(reportRevisits.id, revisit.id));
		const found: RevisitFinding = newReport
			? { revisit: 'reopened', newCode: newReport.trackingCode }
			: { revisit: 'confirmed' };
		const publicNote = revisitNote(found, 'zh-CN');
		await tx.insert(reportEvents).values({
			reportId: report.id,
			at: now,
			actorUserId: actor.id,
			action: outcome === 'confirm' ? 'revisit_confirm' : 'revisit_reopen',
			note,
			publicNote,
			data: { revisitId: revisit.id, ...(newReport ? { newCase: newReport.trackingCode } : {}) }
		});
		await tx.update(reports).set({ updatedAt: now }).where(eq(reports.id, report.id));
		const told = await notifyFollowers(
			tx,
			report,
			actor.id,
			found,
			now,
			`/r/${newReport?.trackingCode ?? report.trackingCode}`
		);
		return { result: { outcome, newReport }, told };
	});
	void pushAfterCommit(db, checked.told);
	return checked.result;
}

type ReportRow = typeof reports.$inferSelect;

/** The new case of a failed revisit: the same place and category, back at triage. */
async function openLinkedCase(tx: Db, actor: Actor, old: ReportRow, note: string, now: Date) {
	const values = {
		categoryId: old.categoryId,
		priority: old.priority,
		description: note,
		lat: old.lat,
		lng: old.lng,
		accuracyM: old.accuracyM,
		address: old.address,
		communityId: old.communityId,
		gridId: old.gridId,
		compoundId: old.compoundId,
		outsideArea: old.outsideArea,
		reporterUserId: old.reporterUserId,
		reporterPhoneEncrypted: old.reporterPhoneEncrypted,
		departmentId: old.departmentId,
		dueAt: await dueAtFor(tx, old, 'submitted', now),
		createdAt: now,
		updatedAt: now
	};
	let created: { id: string; trackingCode: string } | undefined;
	for (let attempt = 0; attempt < 5 && !created; attempt++) {
		[created] = await tx
			.insert(reports)
			.values({ ...values, trackingCode: newTrackingCode() })
			.onConflictDoNothing({ target: reports.trackingCode })
			.returning({ id: reports.id, trackingCode: reports.trackingCode });
	}
	if (!created) throw new Error('no free tracking code after 5 attempts');
	await tx.insert(reportEvents).values({
		reportId: created.id,
		at: now,
		actorUserId: actor.id,
		action: 'submit',
		toStage: 'submitted',
		note,
		data: { reopenedFrom: old.trackingCode }
	});
	const followers = await followerIds(tx, old);
	if (followers.size)
		await tx
			.insert(reportFollowers)
			.values(
				[...followers].map((userId) => ({ reportId: created!.id, userId, reason: 'revisit' }))
			)
			.onConflictDoNothing();
	return created;
}

/** The revisits of a case, and the case whose revisit opened it: the links shown on the case page. */
export async function revisitLinks(db: Db, reportId: string) {
	const linked = sql<
		string | null
	>`(select ${reports.trackingCode} from ${reports} where ${reports.id} = ${reportRevisits.newReportId})`;
	const [own, from] = await Promise.all([
		db
			.select({
				id: reportRevisits.id,
				dueAt: reportRevisits.dueAt,
				status: reportRevisits.status,
				checkedAt: reportRevisits.checkedAt,
				note: reportRevisits.note,
				newReportId: reportRevisits.newReportId,
				newTrackingCode: linked
			})
			.from(reportRevisits)
			.where(eq(reportRevisits.reportId, reportId))
			.orderBy(asc(reportRevisits.dueAt)),
		db
			.select({ id: reports.id, trackingCode: reports.trackingCode })
			.from(reportRevisits)
			.innerJoin(reports, eq(reportRevisits.reportId, reports.id))
			.where(eq(reportRevisits.newReportId, reportId))
	]);
	return {
		revisits: own.map(({ newReportId, newTrackingCode, ...r }) => ({
			...r,
			newCase:
				newReportId && newTrackingCode ? { id: newReportId, trackingCode: newTrackingCode } : null
		})),
		reopenedFrom: from[0] ?? null
	};
}
