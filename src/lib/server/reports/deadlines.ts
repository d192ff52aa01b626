import { and, asc, eq, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import type { Priority, Stage } from '$lib/domain/stages';
import { deadlineKind, openStages, type DeadlineKind } from '$lib/domain/workflow';
import {
	addWorkingHours,
	workCalendar,
	type Period,
	type WorkCalendar
} from '$lib/domain/working-hours';
import type { Db } from '../db';
import { notify, type Notice } from '../notify';
import { pushAfterCommit, summedPerPerson } from '../push/push';
import {
	calendarDays,
	categories,
	deadlineRules,
	reportEscalations,
	reportEvents,
	reports,
	users
} from '../db/schema';

/*
 * Deadlines (时限): hours to accept, to handle and to check, per category and priority, counted in
 * working hours against the holiday calendar.
 */

/** Used when neither the category nor the default rule says otherwise. */
export const builtInHours: Record<Priority, { accept: number; check: number }> = {
	normal: { accept: 4, check: 8 },
	urgent: { accept: 1, check: 2 }
};

export async function loadCalendar(db: Db, periods?: readonly Period[]): Promise<WorkCalendar> {
	const days = await db
		.select({ day: calendarDays.day, kind: calendarDays.kind })
		.from(calendarDays);
	return workCalendar(days, periods);
}

export type DeadlineHours = Record<DeadlineKind, number>;

/** The working hours allowed for each clock of a case of this category and priority. */
export async function deadlineHoursFor(
	db: Db,
	categoryId: string,
	priority: Priority
): Promise<DeadlineHours> {
	const [category] = await db
		.select({
			deadlineHours: categories.deadlineHours,
			urgentDeadlineHours: categories.urgentDeadlineHours
		})
		.from(categories)
		.where(eq(categories.id, categoryId));
	const rules = await db
		.select()
		.from(deadlineRules)
		.where(
			and(
				eq(deadlineRules.priority, priority),
				or(eq(deadlineRules.categoryId, categoryId), isNull(deadlineRules.categoryId))
			)
		);
	const own = rules.find((r) => r.categoryId === categoryId);
	const fallback = rules.find((r) => !r.categoryId);
	const categoryHandle =
		priority === 'urgent' ? category?.urgentDeadlineHours : category?.deadlineHours;
	return {
		accept: own?.acceptHours ?? fallback?.acceptHours ?? builtInHours[priority].accept,
		handle: own?.handleHours ?? categoryHandle ?? 72,
		check: own?.checkHours ?? fallback?.checkHours ?? builtInHours[priority].check
	};
}

/** When the deadline of the stage a case enters falls, counted from `from`; null if none runs. */
export async function dueAtFor(
	db: Db,
	report: { categoryId: string; priority: Priority },
	stage: Stage,
	from: Date,
	calendar?: WorkCalendar
): Promise<Date | null> {
	const kind = deadlineKind(stage);
	if (!kind) return null;
	const hours = await deadlineHoursFor(db, report.categoryId, report.priority);
	return addWorkingHours(calendar ?? (await loadCalendar(db)), from, hours[kind]);
}

/** SQL: the case is open and past its deadline at `now`. */
export function overdueAt(now: Date) {
	return and(inArray(reports.stage, [...openStages]), lt(reports.dueAt, now));
}

export function isOverdue(
	report: { stage: Stage; dueAt: Date | null },
	now: Date = new Date()
): boolean {
	return (
		!!report.dueAt &&
		(openStages as readonly Stage[]).includes(report.stage) &&
		+report.dueAt < +now
	);
}

/**
 * The escalation job: every open case past its deadline that was not yet escalated for that
 * deadline is flagged in its timeline and notified to every dispatcher, in the app and by push.
 * Safe to run often and on several servers at once: the unique (report, due) row makes each
 * escalation happen once.
 */
export async function escalateOverdue(db: Db, now: Date = new Date()): Promise<string[]> {
	const due = await db
		.select({
			id: reports.id,
			trackingCode: reports.trackingCode,
			stage: reports.stage,
			dueAt: reports.dueAt
		})
		.from(reports)
		.where(
			and(
				overdueAt(now),
				notExists(
					db
						.select({ one: sql`1` })
						.from(reportEscalations)
						.where(
							and(
								eq(reportEscalations.reportId, reports.id),
								eq(reportEscalations.dueAt, reports.dueAt)
							)
						)
				)
			)
		)
		.orderBy(asc(reports.dueAt))
		.limit(500);
	if (due.length === 0) return [];
	const dispatchers = await db
		.select({ id: users.id })
		.from(users)
		.where(and(eq(users.role, 'dispatcher'), eq(users.disabled, false)));
	const escalated: string[] = [];
	const told: Notice[] = [];
	for (const report of due) {
		const notices = await db.transaction(async (tx): Promise<Notice[]> => {
			const inserted = await tx
				.insert(reportEscalations)
				.values({ reportId: report.id, dueAt: report.dueAt!, escalatedAt: now })
				.onConflictDoNothing()
				.returning({ reportId: reportEscalations.reportId });
			if (inserted.length === 0) return [];
			await tx.insert(reportEvents).values({
				reportId: report.id,
				at: now,
				action: 'escalate',
				fromStage: report.stage,
				toStage: report.stage,
				data: { dueAt: report.dueAt!.toISOString() }
			});
			escalated.push(report.id);
			return notify(
				tx,
				dispatchers.map((d) => ({
					userId: d.id,
					kind: 'case_overdue' as const,
					params: { code: report.trackingCode, stage: report.stage },
					link: `/staff/reports/${report.id}`,
					createdAt: now,
					// A backlog is one notification on the phone, the latest; the workbench lists them all.
					tag: 'case-overdue'
				}))
			);
		});
		told.push(...notices);
	}
	void pushAfterCommit(
		db,
		summedPerPerson(told, (count) => ({
			content: { kind: 'cases_overdue', params: { count } },
			link: '/staff/queue?stage=open&overdue=1'
		}))
	);
	return escalated;
}
