import type { Stage, Priority } from '$lib/domain/stages';
import type { Db } from '../db';
import { reportEvents, reportRevisits, reports } from '../db/schema';
import { eq } from 'drizzle-orm';
import { dueAtFor } from './deadlines';
import { createCase } from './fixtures';

/*
 * Demo cases for the workbench, loaded with the demo data (SEED_DEMO) so the queue is not empty
 * before residents report. Several new cases wait in 和平社区, where the demo staff work.
 */
const HOUR = 3600_000;
const demo: {
	category: string;
	community: string;
	stage: Stage;
	priority?: Priority;
	department?: string;
	description: string;
	address: string;
	hoursAgo: number;
	dueHoursAgo?: number;
	/** A closed case whose revisit (回头看) fell due this many hours ago. */
	revisitDueHoursAgo?: number;
}[] = [
	...[
		'和平路 12 号门前',
		'和平路与铜陵路交口',
		'和平花园 3 栋北侧',
		'和平新村东门',
		'胜利路 8 号',
		'和平路 66 号',
		'和平花园 1 栋',
		'淮河路 30 号',
		'和平新村南门',
		'和平路 88 号'
	].map((address, i) => ({
		category: i % 2 ? 'litter-oil-water' : 'street-cleaning',
		community: 'heping',
		stage: 'submitted' as const,
		description: i % 2 ? '路面有油污，行人容易滑倒' : '路边垃圾两天没人清理',
		address,
		hoursAgo: 1 + i
	})),
	{
		category: 'fire-lane-blocked',
		community: 'maolin',
		stage: 'submitted',
		priority: 'urgent',
		description: '小区消防通道被私家车堵住',
		address: '茂林花园 1 栋',
		hoursAgo: 2
	},
	{
		category: 'street-vendors',
		community: 'fanchang',
		stage: 'submitted',
		description: '菜市门口流动摊贩占道',
		address: '繁昌路菜市北门',
		hoursAgo: 5
	},
	{
		category: 'shop-noise',
		community: 'maolin',
		stage: 'submitted',
		description: '商户大喇叭整天循环播放广告',
		address: '茂林路 15 号',
		hoursAgo: 3
	},
	{
		category: 'old-garbage',
		community: 'fanchang',
		stage: 'submitted',
		description: '背街小巷陈年垃圾堆积',
		address: '繁昌路 5 巷',
		hoursAgo: 7
	},
	{
		category: 'construction-waste',
		community: 'heping',
		stage: 'dispatched',
		department: 'city-management',
		description: '夜里有人偷倒建筑垃圾',
		address: '和平路 101 号空地',
		hoursAgo: 60,
		dueHoursAgo: 3
	},
	{
		category: 'shared-bikes',
		community: 'fanchang',
		stage: 'in_progress',
		department: 'city-management',
		description: '共享单车堆满人行道',
		address: '繁昌路 20 号',
		hoursAgo: 20
	},
	{
		category: 'small-ads',
		community: 'heping',
		stage: 'handled',
		department: 'property',
		description: '楼道里贴满小广告',
		address: '和平新村 5 栋',
		hoursAgo: 30
	},
	{
		category: 'market-mess',
		community: 'maolin',
		stage: 'closed',
		department: 'market-supervision',
		description: '菜市地面污水横流',
		address: '茂林路菜市',
		hoursAgo: 120
	},
	// Two closed cases in 和平社区 due for their revisit (one for each end-to-end project).
	...['和平路 5 巷', '和平新村北门'].map((address) => ({
		category: 'old-garbage',
		community: 'heping',
		stage: 'closed' as const,
		department: 'city-management',
		description: '背街小巷陈年垃圾堆积，已清运',
		address,
		hoursAgo: 16 * 24,
		revisitDueHoursAgo: 24
	})),
	// One in 茂林社区 for the staff API's revisit check (tests/e2e/staff-api.spec.ts).
	{
		category: 'old-garbage',
		community: 'maolin',
		stage: 'closed',
		department: 'city-management',
		description: '茂林路后巷陈年垃圾堆积，已清运',
		address: '茂林路 12 巷',
		hoursAgo: 16 * 24,
		revisitDueHoursAgo: 24
	}
];

export async function seedDemoCases(db: Db, now = new Date()): Promise<void> {
	for (const d of demo) {
		const createdAt = new Date(+now - d.hoursAgo * HOUR);
		const row = await createCase(db, { ...d, createdAt, reporterPhone: '13800000001' });
		const dueAt =
			d.dueHoursAgo !== undefined
				? new Date(+now - d.dueHoursAgo * HOUR)
				: await dueAtFor(db, row, d.stage, createdAt);
		await db.update(reports).set({ dueAt }).where(eq(reports.id, row.id));
		await db.insert(reportEvents).values({
			reportId: row.id,
			at: createdAt,
			actorUserId: row.reporterUserId,
			action: 'submit',
			toStage: 'submitted'
		});
		if (d.revisitDueHoursAgo !== undefined)
			await db
				.insert(reportRevisits)
				.values({ reportId: row.id, dueAt: new Date(+now - d.revisitDueHoursAgo * HOUR) });
	}
}
