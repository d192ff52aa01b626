import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Stage } from '$lib/domain/stages';
import type { Rating } from '$lib/domain/reporting';
import {
	acceptsFeedback,
	decide,
	deadlineKind,
	departmentStages,
	missingRequirements,
	type Action
} from '$lib/domain/workflow';
import type { CaseUpdate } from '$lib/i18n/notifications';
import { ApiError } from '../api/errors';
import { staffScope, inScope } from '../auth/permissions';
import type { SessionUser } from '../auth/session';
import type { Db } from '../db';
import {
	categories,
	departments,
	reportEvents,
	reportFollowers,
	reportPhotos,
	reportReporters,
	reports
} from '../db/schema';
import { notify, type Notice } from '../notify';
import { pushAfterCommit } from '../push/push';
import type { StoredPhoto } from './photos';
import { dueAtFor } from './deadlines';
import { cancelRevisits, scheduleRevisit } from './revisits';

/*
 * Applies the case state machine (`$lib/domain/workflow`) to the database: one move per
 * transaction, with the row locked and its version checked (a stale or forbidden move is a 409),
 * the actor's scope checked for this case (403), an audit entry in report_events, routing,
 * deadlines, merging and the reporter's notifications.
 */

export type Actor = Pick<SessionUser, 'id' | 'role' | 'communityId' | 'departmentId'>;
/**
 * A resident the caller has already shown to be the case's reporter: by account, device cookie or
 * secret link (reporter.ts). Anonymous reporters have no account, so `id` may be null.
 */
export interface VerifiedReporter {
	role: 'resident';
	id: string | null;
	verifiedReporter: true;
}
type ReportRow = typeof reports.$inferSelect;

/** Whether a staff member may see (and so act on) this case. Departments see it from dispatch on. */
export function caseInScope(
	actor: Actor,
	report: Pick<ReportRow, 'communityId' | 'departmentId' | 'stage'>
): boolean {
	const scope = staffScope(actor as SessionUser);
	if (!inScope(scope, report)) return false;
	if (scope.kind === 'department')
		return (departmentStages as readonly Stage[]).includes(report.stage);
	return true;
}

/** The SQL form of `caseInScope`, for lists. */
export function scopeCondition(actor: Actor) {
	const scope = staffScope(actor as SessionUser);
	switch (scope.kind) {
		case 'all':
			return undefined;
		case 'community':
			return eq(reports.communityId, scope.communityId);
		case 'department':
			return and(
				eq(reports.departmentId, scope.departmentId),
				inArray(reports.stage, [...departmentStages])
			);
		default:
			return sql`false`;
	}
}

export interface TransitionInput {
	action: string;
	/** The version the actor saw; a different current version is a 409. */
	version?: number;
	/** dispatch: the department code; accept: overrides the proposal; return: the suggestion. */
	department?: string;
	reason?: string;
	/** Internal note, staff only. */
	note?: string;
	/** Public reply to the reporter. */
	publicNote?: string;
	/** merge: the kept case, by id or tracking code. */
	duplicateOf?: string;
	/** handle: the stored "after" photo. */
	photo?: StoredPhoto;
}

async function departmentByCode(db: Db, code: string, field: string) {
	const [row] = await db
		.select({ id: departments.id, name: departments.name })
		.from(departments)
		.where(and(eq(departments.code, code), eq(departments.active, true)));
	if (!row) throw new ApiError(400, 'invalid_input', { [field]: 'choice' });
	return row;
}

/** The reporter and every follower of a case. */
export async function followerIds(db: Db, report: ReportRow): Promise<Set<string>> {
	const followers = await db
		.select({ userId: reportFollowers.userId })
		.from(reportFollowers)
		.where(eq(reportFollowers.reportId, report.id));
	const ids = new Set(followers.map((f) => f.userId));
	if (report.reporterUserId) ids.add(report.reporterUserId);
	return ids;
}

/** Tells the reporter and every follower of a case, but the person who acted, of a public change. */
export async function notifyFollowers(
	db: Db,
	report: ReportRow,
	exceptUserId: string | null,
	update: CaseUpdate,
	at: Date,
	link = `/r/${report.trackingCode}`
): Promise<Notice[]> {
	const ids = await followerIds(db, report);
	if (exceptUserId) ids.delete(exceptUserId);
	return notify(
		db,
		[...ids].map((userId) => ({
			userId,
			kind: 'case_update' as const,
			params: { code: report.trackingCode, ...update },
			link,
			createdAt: at
		}))
	);
}

/** What the dashboard reads from the case itself: first dispatch, last handling, closure. */
function dashboardFacts(report: ReportRow, action: string, to: Stage, now: Date) {
	return {
		...(action === 'dispatch' && !report.firstDispatchedAt ? { firstDispatchedAt: now } : {}),
		...(action === 'handle'
			? { lastHandledAt: now, lastHandledOnTime: !report.dueAt || +now <= +report.dueAt }
			: {}),
		...(to === 'closed' ? { closedAt: now } : {})
	};
}

/**
 * Applies one move. Throws ApiError: 400 missing input, 403 out of scope, 404, 409 conflict.
 * Whoever follows the case is told in the app, and by push once the move is committed.
 */
export async function applyTransition(
	db: Db,
	actor: Actor | VerifiedReporter,
	reportId: string,
	input: TransitionInput,
	now: Date = new Date()
): Promise<ReportRow> {
	const told: Notice[] = [];
	const moved = await db.transaction(async (tx) => {
		const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
		if (!report) throw new ApiError(404, 'not_found');
		// A verified reporter was shown to be the reporter by the caller; everyone else is checked here.
		if (!('verifiedReporter' in actor)) {
			if (actor.role === 'resident') {
				const follows =
					report.reporterUserId === actor.id ||
					(
						await tx
							.select({ one: sql`1` })
							.from(reportFollowers)
							.where(
								and(eq(reportFollowers.reportId, report.id), eq(reportFollowers.userId, actor.id))
							)
					).length > 0;
				if (!follows) throw new ApiError(403, 'forbidden');
			} else if (!caseInScope(actor, report)) throw new ApiError(403, 'forbidden');
		}
		if (input.version !== undefined && input.version !== report.version)
			throw new ApiError(409, 'stale_version');
		const decision = decide(actor.role, input.action, report.stage);
		if (!decision.ok) {
			if (decision.refusal === 'unknown_action')
				throw new ApiError(400, 'invalid_input', { action: 'choice' });
			if (decision.refusal === 'role') throw new ApiError(403, 'forbidden');
			throw new ApiError(409, 'transition_forbidden');
		}
		const action = input.action as Action;
		const move = decision.move;
		const missing = missingRequirements(action, {
			reason: input.reason,
			duplicateOf: input.duplicateOf,
			department: input.department,
			note: input.note,
			hasPhoto: !!input.photo
		});
		if (Object.keys(missing).length) throw new ApiError(400, 'invalid_input', missing);

		const reason = input.reason?.trim() || null;
		let note = input.note?.trim() || null;
		let publicNote = input.publicNote?.trim() || null;
		const data: Record<string, unknown> = {};
		let departmentId = report.departmentId;
		let eventDepartmentId: string | null = report.departmentId;
		let duplicateOfId: string | null = report.duplicateOfId;
		if (reason) data.reason = reason;
		// The deadline that was running when the move was made: on-time figures come from it.
		if (report.dueAt) data.dueAt = report.dueAt.toISOString();

		switch (action) {
			case 'accept': {
				// Routing: propose the category's default department; triage may pick another.
				if (input.department) {
					departmentId = (await departmentByCode(tx, input.department, 'department')).id;
				} else {
					const [category] = await tx
						.select({ departmentId: categories.departmentId })
						.from(categories)
						.where(eq(categories.id, report.categoryId));
					departmentId = category?.departmentId ?? null;
				}
				eventDepartmentId = departmentId;
				break;
			}
			case 'decline':
				publicNote ??= reason;
				break;
			case 'dispatch': {
				const department = await departmentByCode(tx, input.department!, 'department');
				departmentId = department.id;
				eventDepartmentId = department.id;
				break;
			}
			case 'return': {
				// The returning department is recorded on the event: returns count against routing.
				eventDepartmentId = report.departmentId;
				departmentId = input.department
					? (await departmentByCode(tx, input.department, 'department')).id
					: null;
				data.suggestedDepartmentId = departmentId;
				break;
			}
			case 'merge': {
				const key = input.duplicateOf!.trim();
				const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
				const [kept] = await tx
					.select()
					.from(reports)
					.where(
						and(
							isUuid
								? or(eq(reports.id, key), eq(reports.trackingCode, key))
								: eq(reports.trackingCode, key),
							ne(reports.id, report.id)
						)
					);
				if (!kept || 'verifiedReporter' in actor || !caseInScope(actor, kept))
					throw new ApiError(400, 'invalid_input', { duplicateOf: 'choice' });
				if (kept.stage === 'duplicate' || kept.stage === 'declined')
					throw new ApiError(400, 'invalid_input', { duplicateOf: 'choice' });
				duplicateOfId = kept.id;
				data.duplicateOf = kept.trackingCode;
				// Every reporter and follower of the merged case follows the kept case, and is told.
				const ids = await followerIds(tx, report);
				if (ids.size) {
					await tx
						.insert(reportFollowers)
						.values([...ids].map((userId) => ({ reportId: kept.id, userId, reason: 'merged' })))
						.onConflictDoNothing();
					const merged = await notify(
						tx,
						[...ids].map((userId) => ({
							userId,
							kind: 'case_merged' as const,
							params: { code: report.trackingCode, kept: kept.trackingCode },
							link: `/r/${kept.trackingCode}`,
							createdAt: now
						}))
					);
					told.push(...merged);
				}
				await tx
					.update(reports)
					.set({ meTooCount: sql`${reports.meTooCount} + 1`, updatedAt: now })
					.where(eq(reports.id, kept.id));
				await tx.insert(reportEvents).values({
					reportId: kept.id,
					at: now,
					actorUserId: actor.id,
					action: 'merged_in',
					data: { from: report.trackingCode }
				});
				break;
			}
			case 'handle':
				await tx
					.insert(reportPhotos)
					.values({ reportId: report.id, kind: 'after', ...input.photo! });
				data.photo = input.photo!.storageKey;
				break;
			case 'rework':
			case 'reopen':
				note ??= reason;
				break;
		}

		// A new clock starts when the kind of deadline changes (or on rework); otherwise it runs on.
		const to = move.to;
		let dueAt = report.dueAt;
		if (deadlineKind(to) !== deadlineKind(report.stage) || to === 'rework' || !dueAt) {
			dueAt = await dueAtFor(tx, report, to, now);
		}

		const [updated] = await tx
			.update(reports)
			.set({
				stage: to,
				departmentId,
				duplicateOfId,
				dueAt,
				...dashboardFacts(report, action, to, now),
				version: report.version + 1,
				updatedAt: now
			})
			.where(and(eq(reports.id, report.id), eq(reports.version, report.version)))
			.returning();
		if (!updated) throw new ApiError(409, 'stale_version');
		// The revisit (回头看) is scheduled at closure; a reopened case's waiting revisit is void.
		if (to === 'closed') await scheduleRevisit(tx, updated, now);
		else if (report.stage === 'closed') await cancelRevisits(tx, report.id, now);

		await tx.insert(reportEvents).values({
			reportId: report.id,
			at: now,
			actorUserId: actor.id,
			action,
			fromStage: report.stage,
			toStage: to,
			note,
			publicNote,
			departmentId: eventDepartmentId,
			data
		});

		if (move.public || publicNote) {
			const update = publicNote ? { note: publicNote } : { stage: to };
			told.push(...(await notifyFollowers(tx, updated, actor.id, update, now)));
		}
		return updated;
	});
	void pushAfterCommit(db, told);
	return moved;
}

/**
 * The reporter's rating (满意 / 基本满意 / 不满意) of a handled or closed case. It moves nothing, but
 * takes the same row lock, stage rule and audit entry as a move. The latest rating counts.
 */
export async function rateCase(
	db: Db,
	actor: VerifiedReporter,
	reportId: string,
	rating: Rating,
	comment = '',
	now: Date = new Date()
): Promise<void> {
	await db.transaction(async (tx) => {
		const [report] = await tx
			.select({ stage: reports.stage })
			.from(reports)
			.where(eq(reports.id, reportId))
			.for('update');
		if (!report) throw new ApiError(404, 'not_found');
		if (!acceptsFeedback(report.stage)) throw new ApiError(409, 'transition_forbidden');
		await tx
			.insert(reportReporters)
			.values({ reportId, rating, ratedAt: now })
			.onConflictDoUpdate({ target: reportReporters.reportId, set: { rating, ratedAt: now } });
		const trimmed = comment.trim().slice(0, 500);
		await tx.insert(reportEvents).values({
			reportId,
			at: now,
			actorUserId: actor.id,
			action: 'rate',
			data: { rating, ...(trimmed ? { comment: trimmed } : {}) }
		});
	});
}

/** Adds an internal note or a public reply without moving the case. */
export async function addReply(
	db: Db,
	actor: Actor,
	reportId: string,
	input: { note?: string; publicNote?: string; version?: number },
	now: Date = new Date()
): Promise<void> {
	const note = input.note?.trim() || null;
	const publicNote = input.publicNote?.trim() || null;
	if (!note && !publicNote) throw new ApiError(400, 'invalid_input', { note: 'required' });
	const told = await db.transaction(async (tx) => {
		const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
		if (!report) throw new ApiError(404, 'not_found');
		if (!caseInScope(actor, report)) throw new ApiError(403, 'forbidden');
		await tx.insert(reportEvents).values({
			reportId,
			at: now,
			actorUserId: actor.id,
			action: publicNote ? 'reply' : 'note',
			note,
			publicNote
		});
		await tx.update(reports).set({ updatedAt: now }).where(eq(reports.id, reportId));
		return publicNote ? notifyFollowers(tx, report, actor.id, { note: publicNote }, now) : [];
	});
	void pushAfterCommit(db, told);
}

/**
 * Routing accuracy: of the dispatches in a period, the share not returned by the department
 * they went to. Returned cases count against it.
 */
export async function routingAccuracy(
	db: Db,
	from: Date,
	to: Date
): Promise<{ dispatched: number; returned: number; accuracy: number | null }> {
	const [row] = await db
		.select({
			dispatched: sql<number>`count(*) filter (where ${reportEvents.action} = 'dispatch')`.mapWith(
				Number
			),
			returned: sql<number>`count(*) filter (where ${reportEvents.action} = 'return')`.mapWith(
				Number
			)
		})
		.from(reportEvents)
		.where(
			and(
				inArray(reportEvents.action, ['dispatch', 'return']),
				sql`${reportEvents.at} >= ${from.toISOString()}`,
				sql`${reportEvents.at} < ${to.toISOString()}`
			)
		);
	const { dispatched, returned } = row;
	return {
		dispatched,
		returned,
		accuracy: dispatched ? Math.max(0, (dispatched - returned) / dispatched) : null
	};
}
