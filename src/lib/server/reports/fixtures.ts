import { eq, inArray } from 'drizzle-orm';
import type { Priority, Stage } from '$lib/domain/stages';
import type { Db } from '../db';
import { demoAccounts } from '../seed/demo';
import { newTrackingCode } from './secrets';
import type { Actor } from './workflow';
import {
	categories,
	communities,
	compounds,
	departments,
	grids,
	reports,
	users
} from '../db/schema';

/*
 * Cases inserted straight into `reports`, as intake would leave them: for tests of the workflow
 * without the intake module, and for the demo's sample cases. Needs the demo data.
 */

export interface CaseFixture {
	category?: string;
	community?: string;
	grid?: string;
	compound?: string;
	department?: string | null;
	stage?: Stage;
	priority?: Priority;
	description?: string;
	address?: string;
	reporterPhone?: string | null;
	dueAt?: Date | null;
	createdAt?: Date;
	lat?: number;
	lng?: number;
}

async function idOf<T extends { id: string }>(rows: Promise<T[]>, what: string): Promise<string> {
	const [row] = await rows;
	if (!row) throw new Error(`fixture: no ${what}`);
	return row.id;
}

export async function createCase(db: Db, fixture: CaseFixture = {}) {
	const community = fixture.community ?? 'heping';
	const categoryId = await idOf(
		db
			.select({ id: categories.id })
			.from(categories)
			.where(eq(categories.code, fixture.category ?? 'street-cleaning')),
		'category'
	);
	const communityId = await idOf(
		db.select({ id: communities.id }).from(communities).where(eq(communities.code, community)),
		'community'
	);
	const gridId = await idOf(
		db
			.select({ id: grids.id })
			.from(grids)
			.where(eq(grids.code, fixture.grid ?? `${community}-1`)),
		'grid'
	);
	const compoundId = fixture.compound
		? await idOf(
				db.select({ id: compounds.id }).from(compounds).where(eq(compounds.code, fixture.compound)),
				'compound'
			)
		: null;
	const departmentId = fixture.department
		? await idOf(
				db
					.select({ id: departments.id })
					.from(departments)
					.where(eq(departments.code, fixture.department)),
				'department'
			)
		: null;
	const reporterPhone = fixture.reporterPhone === undefined ? '13800000001' : fixture.reporterPhone;
	const reporterUserId = reporterPhone
		? await idOf(
				db.select({ id: users.id }).from(users).where(eq(users.phone, reporterPhone)),
				'user'
			)
		: null;
	const [row] = await db
		.insert(reports)
		.values({
			// A real code: the demo's cases are opened from the public list (/r/<code>).
			trackingCode: newTrackingCode(),
			categoryId,
			stage: fixture.stage ?? 'submitted',
			priority: fixture.priority ?? 'normal',
			description: fixture.description ?? '路边有垃圾堆放',
			address: fixture.address ?? '和平路 1 号',
			lat: fixture.lat ?? 31.866,
			lng: fixture.lng ?? 117.3,
			communityId,
			gridId,
			compoundId,
			departmentId,
			reporterUserId,
			dueAt: fixture.dueAt ?? null,
			createdAt: fixture.createdAt ?? new Date(),
			updatedAt: fixture.createdAt ?? new Date()
		})
		.returning();
	return row;
}

/** The demo accounts as actors of the workflow, by role (the demo has one account of each). */
export async function demoActors(db: Db): Promise<Record<string, Actor>> {
	const rows = await db
		.select({
			id: users.id,
			role: users.role,
			communityId: users.communityId,
			departmentId: users.departmentId
		})
		.from(users)
		.where(
			inArray(
				users.phone,
				demoAccounts.map((account) => account.phone)
			)
		);
	return Object.fromEntries(rows.map((row) => [row.role, row]));
}
