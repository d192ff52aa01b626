import { eq } from 'drizzle-orm';
import type { Stage } from '$lib/domain/stages';
import type { Db } from '../db';
import {
	categories,
	communities,
	compounds,
	departments,
	reportEvents,
	reportPhotos,
	reports
} from '../db/schema';
import { newTrackingCode } from '../reports/secrets';

/*
 * For tests only: cases written straight into the tables, in any stage and at any time, so the
 * read side can be checked without going through intake and the workflow.
 */

export interface CaseFixture {
	category: string;
	stage?: Stage;
	description?: string;
	point?: { lat: number; lng: number } | null;
	address?: string;
	community?: string;
	compound?: string;
	department?: string;
	createdAt?: Date;
	dueAt?: Date | null;
	events?: {
		at: Date;
		toStage?: Stage;
		publicNote?: string;
		note?: string;
		/** By default a move when it has a stage, else a reply. */
		action?: string;
		data?: Record<string, unknown>;
	}[];
	photos?: { public?: boolean; kind?: 'before' | 'after' }[];
}

async function idOf(db: Db, table: typeof categories | typeof departments, code: string) {
	const [row] = await db.select({ id: table.id }).from(table).where(eq(table.code, code));
	if (!row) throw new Error(`no ${code}`);
	return row.id;
}

export async function insertCase(db: Db, input: CaseFixture) {
	const createdAt = input.createdAt ?? new Date();
	const community = input.community
		? (await db.select().from(communities).where(eq(communities.code, input.community)))[0]
		: undefined;
	const compound = input.compound
		? (await db.select().from(compounds).where(eq(compounds.code, input.compound)))[0]
		: undefined;
	const [row] = await db
		.insert(reports)
		.values({
			trackingCode: newTrackingCode(),
			categoryId: await idOf(db, categories, input.category),
			stage: input.stage ?? 'submitted',
			description: input.description ?? '',
			lat: input.point?.lat ?? null,
			lng: input.point?.lng ?? null,
			address: input.address ?? null,
			communityId: community?.id ?? compound?.communityId ?? null,
			compoundId: compound?.id ?? null,
			departmentId: input.department ? await idOf(db, departments, input.department) : null,
			dueAt: input.dueAt ?? null,
			createdAt,
			updatedAt: createdAt
		})
		.returning({ id: reports.id, trackingCode: reports.trackingCode });
	await db
		.insert(reportEvents)
		.values({ reportId: row.id, at: createdAt, action: 'submit', toStage: 'submitted' });
	for (const e of input.events ?? []) {
		await db.insert(reportEvents).values({
			reportId: row.id,
			at: e.at,
			action: e.action ?? (e.toStage ? 'move' : 'reply'),
			toStage: e.toStage ?? null,
			data: e.data ?? null,
			publicNote: e.publicNote ?? null,
			note: e.note ?? null
		});
	}
	const photoIds: string[] = [];
	for (const [i, p] of (input.photos ?? []).entries()) {
		const [photo] = await db
			.insert(reportPhotos)
			.values({
				reportId: row.id,
				kind: p.kind ?? 'before',
				storageKey: `fixture/${row.id}/${i}.jpg`,
				contentType: 'image/jpeg',
				width: 10,
				height: 10,
				bytes: 100,
				public: p.public ?? true,
				createdAt: new Date(createdAt.getTime() + i * 1000)
			})
			.returning({ id: reportPhotos.id });
		photoIds.push(photo.id);
	}
	return { ...row, photoIds };
}
