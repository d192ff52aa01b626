import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { calendarDays, categories, responseTemplates } from '../db/schema';

/* Admin edits of the workflow settings: the holiday calendar and the response templates. */

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
			categoryName: categories.name
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
