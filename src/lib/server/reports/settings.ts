import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DeadlineSettingsInput } from '$lib/domain/staff-input';
import { priorities, type Priority } from '$lib/domain/stages';
import type { Db } from '../db';
import { calendarDays, categories, deadlineRules, responseTemplates } from '../db/schema';
import { builtInHours } from './deadlines';

/*
 * Admin edits of the workflow settings: deadline rules and revisit days, the holiday calendar and
 * the response templates.
 */

type RuleHours = { accept: number | null; check: number | null };

/** Every category's deadline settings, with the default rule and the built-in hours behind it. */
export async function listDeadlineSettings(db: Db) {
	const [rules, cats] = await Promise.all([
		db.select().from(deadlineRules),
		db
			.select({
				id: categories.id,
				code: categories.code,
				name: categories.name,
				nameEn: categories.nameEn,
				deadlineHours: categories.deadlineHours,
				urgentDeadlineHours: categories.urgentDeadlineHours,
				revisitDays: categories.revisitDays
			})
			.from(categories)
			.orderBy(asc(categories.sortOrder), asc(categories.code))
	]);
	const ruleOf = (categoryId: string | null, priority: Priority): RuleHours => {
		const rule = rules.find((r) => r.categoryId === categoryId && r.priority === priority);
		return { accept: rule?.acceptHours ?? null, check: rule?.checkHours ?? null };
	};
	return {
		builtIn: builtInHours,
		defaults: { normal: ruleOf(null, 'normal'), urgent: ruleOf(null, 'urgent') },
		categories: cats.map((c) => ({
			code: c.code,
			name: c.name,
			nameEn: c.nameEn,
			revisitDays: c.revisitDays,
			normal: { ...ruleOf(c.id, 'normal'), handle: c.deadlineHours },
			urgent: { ...ruleOf(c.id, 'urgent'), handle: c.urgentDeadlineHours }
		}))
	};
}

/**
 * Saves the settings of one category (or the default rule): empty hours to accept or check fall
 * back to the default. A category needs its hours to handle and its revisit days. Returns field
 * problems, or nothing when saved.
 */
export async function saveDeadlineSettings(
	db: Db,
	input: DeadlineSettingsInput
): Promise<Record<string, string> | void> {
	let categoryId: string | null = null;
	if (input.category) {
		const [row] = await db
			.select({ id: categories.id })
			.from(categories)
			.where(eq(categories.code, input.category));
		if (!row) return { category: 'choice' };
		categoryId = row.id;
		const missing: Record<string, string> = {};
		for (const key of ['normalHandle', 'urgentHandle', 'revisitDays'] as const)
			if (input[key] === undefined) missing[key] = 'required';
		if (Object.keys(missing).length) return missing;
	}
	await db.transaction(async (tx) => {
		for (const priority of priorities) {
			const accept = input[`${priority}Accept`];
			const check = input[`${priority}Check`];
			await tx
				.delete(deadlineRules)
				.where(
					and(
						categoryId
							? eq(deadlineRules.categoryId, categoryId)
							: isNull(deadlineRules.categoryId),
						eq(deadlineRules.priority, priority)
					)
				);
			if (accept !== undefined || check !== undefined)
				await tx.insert(deadlineRules).values({
					categoryId,
					priority,
					acceptHours: accept ?? null,
					checkHours: check ?? null,
					handleHours: null
				});
		}
		if (categoryId)
			await tx
				.update(categories)
				.set({
					deadlineHours: input.normalHandle!,
					urgentDeadlineHours: input.urgentHandle!,
					revisitDays: input.revisitDays!
				})
				.where(eq(categories.id, categoryId));
	});
}

export function listCalendarDays(db: Db) {
	return db.select().from(calendarDays).orderBy(asc(calendarDays.day));
}

/** Adds a day, or changes the kind and name of a day already listed. */
export async function saveCalendarDay(
	db: Db,
	input: { day: string; kind: 'holiday' | 'workday'; name: string }
): Promise<void> {
	await db
		.insert(calendarDays)
		.values(input)
		.onConflictDoUpdate({ target: calendarDays.day, set: { kind: input.kind, name: input.name } });
}

export async function removeCalendarDay(db: Db, day: string): Promise<void> {
	await db.delete(calendarDays).where(eq(calendarDays.day, day));
}

export function listTemplates(db: Db) {
	return db
		.select({
			id: responseTemplates.id,
			title: responseTemplates.title,
			body: responseTemplates.body,
			category: categories.code,
			categoryName: categories.name,
			categoryNameEn: categories.nameEn
		})
		.from(responseTemplates)
		.leftJoin(categories, eq(responseTemplates.categoryId, categories.id))
		.orderBy(asc(categories.code), asc(responseTemplates.title));
}

/** Returns field problems, or nothing when saved. */
export async function addTemplate(
	db: Db,
	input: { category?: string; title: string; body: string }
): Promise<Record<string, string> | void> {
	let categoryId: string | null = null;
	if (input.category) {
		const [row] = await db
			.select({ id: categories.id })
			.from(categories)
			.where(eq(categories.code, input.category));
		if (!row) return { category: 'choice' };
		categoryId = row.id;
	}
	await db.insert(responseTemplates).values({ categoryId, title: input.title, body: input.body });
}

export async function removeTemplate(db: Db, id: string): Promise<void> {
	await db.delete(responseTemplates).where(eq(responseTemplates.id, id));
}
