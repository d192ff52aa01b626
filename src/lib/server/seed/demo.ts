import { clearReferenceCache } from '../reference-cache';
import { eq } from 'drizzle-orm';
import type { CategoryGroup, CategoryQuestion } from '$lib/domain/categories';
import { rectangle } from '$lib/domain/geo';
import type { Role } from '$lib/domain/roles';
import type { Db } from '../db';
import {
	categories,
	communities,
	compounds,
	departments,
	grids,
	posts,
	propertyCompanies,
	subdistricts,
	users
} from '../db/schema';
import { hashPassword } from '../auth/password';
import { seedDuty } from './duty';

/*
 * Demo data for 和平路街道. Categories, departments and posts follow the plan; communities, grids,
 * compounds and polygons are invented around 铜陵路 (taken here as lng 117.305, running north-south).
 * Phone numbers are the reserved demo series 138-0000-0xxx, never a real person's.
 */

export const DEMO_PASSWORD = 'demo-2026';
const TONGLING_ROAD_LNG = 117.305;
const WEST = 117.29;
const EAST = 117.32;
const SOUTH = 31.85;
const NORTH = 31.872;
const MID_LAT = 31.861;

const communityData = [
	{
		code: 'fanchang',
		name: '繁昌社区',
		nameEn: 'Fanchang',
		box: [WEST, SOUTH, TONGLING_ROAD_LNG, MID_LAT]
	},
	{
		code: 'heping',
		name: '和平社区',
		nameEn: 'Heping',
		box: [WEST, MID_LAT, TONGLING_ROAD_LNG, NORTH]
	},
	{
		code: 'maolin',
		name: '茂林社区',
		nameEn: 'Maolin',
		box: [TONGLING_ROAD_LNG, SOUTH, EAST, MID_LAT]
	},
	{
		code: 'tongling',
		name: '铜陵社区',
		nameEn: 'Tongling',
		box: [TONGLING_ROAD_LNG, MID_LAT, EAST, NORTH]
	}
] as const;

const departmentData = [
	{ code: 'city-management', name: '城管中队', nameEn: 'City-management squad' },
	{ code: 'market-supervision', name: '市监所', nameEn: 'Market supervision office' },
	{ code: 'emergency', name: '应急办', nameEn: 'Emergency office' },
	{ code: 'property', name: '物业办', nameEn: 'Property management office' },
	{ code: 'general-office', name: '党政综合办', nameEn: 'General office' },
	{ code: 'party-building', name: '基层党建办', nameEn: 'Party-building office' },
	{ code: 'law-enforcement', name: '综合执法队', nameEn: 'Law-enforcement team' },
	{ code: 'supervision', name: '纪工委/效能办', nameEn: 'Supervision office' }
];
const externalDepartments = [
	{ code: 'traffic-police', name: '交警', nameEn: 'Traffic police' },
	{ code: 'cleaning-company', name: '第三方保洁公司', nameEn: 'Cleaning contractor' }
];

type CategorySeed = [
	code: string,
	name: string,
	nameEn: string,
	group: CategoryGroup,
	department: string | null,
	flags?: {
		urgent?: boolean;
		indoor?: boolean;
		questions?: CategoryQuestion[];
		keywords?: string[];
	}
];

const yesNo = [
	{ key: 'yes', name: '是', nameEn: 'Yes' },
	{ key: 'no', name: '否', nameEn: 'No' }
];
const floorQuestion: CategoryQuestion = {
	code: 'floor',
	label: '楼栋和楼层',
	labelEn: 'Building and floor',
	datatype: 'string',
	required: false
};
const chargingNow: CategoryQuestion = {
	code: 'charging_now',
	label: '现在是否正在充电',
	labelEn: 'Is it charging right now?',
	datatype: 'singlevaluelist',
	required: true,
	values: yesNo
};
const noiseTime: CategoryQuestion = {
	code: 'time_of_day',
	label: '噪声通常出现在（可多选）',
	labelEn: 'When the noise usually happens (any that apply)',
	datatype: 'multivaluelist',
	required: false,
	values: [
		{ key: 'day', name: '白天', nameEn: 'Daytime' },
		{ key: 'night', name: '夜间（22:00–6:00）', nameEn: 'Night (22:00–06:00)' }
	]
};

const categoryData: CategorySeed[] = [
	[
		'shopfront-duties',
		'门前三包不落实',
		'Shopfront duties neglected',
		'cleaning',
		'city-management'
	],
	['street-cleaning', '道路清扫保洁', 'Street cleaning', 'cleaning', 'city-management'],
	['green-belt-litter', '绿化带脏乱', 'Littered green belt', 'cleaning', 'city-management'],
	[
		'litter-oil-water',
		'白色垃圾/油污/积水/烟蒂',
		'Litter, oil, standing water, cigarette ends',
		'cleaning',
		'city-management'
	],
	[
		'old-garbage',
		'陈年垃圾',
		'Long-standing garbage',
		'cleaning',
		'city-management',
		{ keywords: ['背街小巷', '三无小区'] }
	],
	[
		'corridor-clutter',
		'楼道/外连廊堆物',
		'Clutter in stairwells or corridors',
		'cleaning',
		'property',
		{ indoor: true, questions: [floorQuestion] }
	],
	['small-ads', '小广告', 'Illegal flyers', 'cleaning', 'property'],
	[
		'flying-lead-charging',
		'飞线充电',
		'Flying-lead e-bike charging',
		'cleaning',
		'property',
		{ urgent: true, indoor: true, questions: [floorQuestion, chargingNow] }
	],
	[
		'ebike-indoor',
		'电动自行车进楼停放充电',
		'E-bike parked or charged indoors',
		'cleaning',
		'property',
		{ urgent: true, indoor: true, questions: [floorQuestion, chargingNow] }
	],
	[
		'fire-lane-blocked',
		'占用堵塞消防通道',
		'Blocked fire lane',
		'cleaning',
		'property',
		{ urgent: true }
	],
	['illegal-parking', '机动车/非机动车乱停', 'Disorderly parking', 'cleaning', 'property'],
	['market-mess', '农贸市场脏乱', 'Dirty farmers market', 'cleaning', 'market-supervision'],
	['live-poultry', '活禽交易', 'Live poultry trading', 'cleaning', 'market-supervision'],
	[
		'mobile-meat-stall',
		'流动摊点活禽鱼肉',
		'Mobile poultry, fish or meat stall',
		'cleaning',
		'market-supervision'
	],
	['traffic-facility', '交通设施损坏', 'Damaged traffic facility', 'cleaning', 'city-management'],
	[
		'municipal-facility',
		'市政设施损坏',
		'Damaged municipal facility',
		'cleaning',
		'city-management'
	],
	['shared-bikes', '共享单车乱停', 'Badly parked shared bikes', 'enforcement', 'city-management'],
	[
		'street-business',
		'占道经营/倚门设摊',
		'Trading on the pavement',
		'enforcement',
		'city-management'
	],
	['street-vendors', '流动摊贩', 'Street vendors', 'enforcement', 'city-management'],
	[
		'construction-waste',
		'偷倒建筑垃圾',
		'Dumped construction waste',
		'enforcement',
		'city-management'
	],
	[
		'construction-noise',
		'施工噪声',
		'Construction noise',
		'enforcement',
		'city-management',
		{ questions: [noiseTime] }
	],
	[
		'shop-noise',
		'商户广告噪声',
		'Shop loudspeaker noise',
		'enforcement',
		'city-management',
		{ questions: [noiseTime] }
	],
	['fireworks', '燃放烟花爆竹', 'Fireworks', 'enforcement', 'city-management'],
	['food-safety', '食品安全', 'Food safety', 'enforcement', 'market-supervision'],
	['illegal-business', '非法经营', 'Illegal business', 'enforcement', 'market-supervision'],
	[
		'exit-blocked',
		'疏散通道/安全出口占用堵塞封闭',
		'Blocked escape route or fire exit',
		'fire_safety',
		'emergency',
		{ urgent: true, indoor: true }
	],
	[
		'window-bars',
		'防盗网/铁栅栏妨碍逃生',
		'Window bars blocking escape',
		'fire_safety',
		'emergency'
	],
	['billboard-escape', '广告牌妨碍逃生', 'Billboard blocking escape', 'fire_safety', 'emergency'],
	[
		'hydrant-no-water',
		'无水小区（消防栓无水）',
		'Hydrants without water',
		'fire_safety',
		'property',
		{ urgent: true }
	],
	['other', '其他', 'Other', 'other', null]
];

const propertyCompanyNames = ['合肥安居物业', '瑶海宜家物业', '和美物业服务'];

const demoUsers: {
	phone: string;
	name: string;
	role: Role;
	community?: string;
	department?: string;
}[] = [
	{ phone: '13800000001', name: '演示居民', role: 'resident', community: 'heping' },
	{ phone: '13800000002', name: '演示志愿者', role: 'volunteer', community: 'heping' },
	{ phone: '13800000003', name: '演示网格员', role: 'grid_worker', community: 'heping' },
	{ phone: '13800000004', name: '演示城管办事员', role: 'handler', department: 'city-management' },
	{ phone: '13800000005', name: '演示社区工作人员', role: 'community_staff', community: 'heping' },
	{ phone: '13800000006', name: '演示专班调度', role: 'dispatcher', department: 'city-management' },
	{ phone: '13800000007', name: '演示督察', role: 'supervisor', department: 'supervision' },
	{ phone: '13800000008', name: '演示管理员', role: 'admin' }
];
export const demoAccounts = demoUsers;

/** Loads the demo data set once; a database that already has it is left alone. */
export async function seedDemo(db: Db): Promise<boolean> {
	const [existing] = await db.select().from(subdistricts).where(eq(subdistricts.code, 'hepinglu'));
	if (existing) return false;
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	await db.transaction(async (tx) => {
		const [subdistrict] = await tx
			.insert(subdistricts)
			.values({
				code: 'hepinglu',
				name: '和平路街道',
				nameEn: 'Heping Road Subdistrict',
				boundary: rectangle(WEST, SOUTH, EAST, NORTH)
			})
			.returning();
		const communityIds: Record<string, string> = {};
		for (const c of communityData) {
			const [row] = await tx
				.insert(communities)
				.values({
					subdistrictId: subdistrict.id,
					code: c.code,
					name: c.name,
					nameEn: c.nameEn,
					boundary: rectangle(c.box[0], c.box[1], c.box[2], c.box[3])
				})
				.returning();
			communityIds[c.code] = row.id;
			// Two grids per community: the north and south halves.
			const [w, s, e, n] = c.box;
			const mid = (s + n) / 2;
			await tx.insert(grids).values([
				{
					communityId: row.id,
					code: `${c.code}-1`,
					name: `${c.name}第一网格`,
					nameEn: `${c.nameEn} grid 1`,
					boundary: rectangle(w, mid, e, n),
					responsibleName: `${c.name.slice(0, 2)}网格长甲`
				},
				{
					communityId: row.id,
					code: `${c.code}-2`,
					name: `${c.name}第二网格`,
					nameEn: `${c.nameEn} grid 2`,
					boundary: rectangle(w, s, e, mid),
					responsibleName: `${c.name.slice(0, 2)}网格长乙`
				}
			]);
		}
		const companies = await tx
			.insert(propertyCompanies)
			.values(propertyCompanyNames.map((name) => ({ name })))
			.returning();
		let compoundIndex = 0;
		for (const c of communityData) {
			const [w, s, e, n] = c.box;
			const dx = (e - w) / 4;
			const dy = (n - s) / 4;
			for (const [i, label] of ['花园', '新村'].entries()) {
				const x = w + dx * (1 + i * 2) - dx / 2;
				await tx.insert(compounds).values({
					communityId: communityIds[c.code],
					propertyCompanyId: companies[compoundIndex++ % companies.length].id,
					code: `${c.code}-${i + 1}`,
					name: `${c.name.slice(0, 2)}${label}`,
					boundary: rectangle(x, s + dy, x + dx, s + dy * 2)
				});
			}
		}
		const departmentIds: Record<string, string> = {};
		for (const d of departmentData) {
			const [row] = await tx
				.insert(departments)
				.values({ ...d, kind: 'internal' })
				.returning();
			departmentIds[d.code] = row.id;
		}
		for (const d of externalDepartments) {
			await tx.insert(departments).values({ ...d, kind: 'external' });
		}
		for (const c of communityData) {
			await tx.insert(departments).values({
				code: `community-${c.code}`,
				name: c.name,
				nameEn: `${c.nameEn} community`,
				kind: 'community',
				communityId: communityIds[c.code]
			});
		}
		await tx.insert(categories).values(
			categoryData.map(([code, name, nameEn, group, department, flags = {}], i) => ({
				code,
				name,
				nameEn,
				group,
				departmentId: department ? departmentIds[department] : null,
				urgent: flags.urgent ?? false,
				indoor: flags.indoor ?? false,
				deadlineHours: flags.urgent ? 24 : 72,
				urgentDeadlineHours: 4,
				questions: flags.questions ?? [],
				keywords: flags.keywords ?? [],
				sortOrder: i
			}))
		);
		await tx.insert(posts).values([
			{
				code: 'fanchang-market',
				name: '繁昌路菜市',
				nameEn: 'Fanchang Road market',
				communityId: communityIds.fanchang,
				zone: 'west',
				lat: 31.8555,
				lng: 117.298,
				coordinatorName: '西片协调员',
				coordinatorPhone: '13800000101'
			},
			{
				code: 'maolin-market',
				name: '茂林路菜市',
				nameEn: 'Maolin Road market',
				communityId: communityIds.maolin,
				zone: 'east',
				lat: 31.8555,
				lng: 117.312,
				coordinatorName: '东片协调员',
				coordinatorPhone: '13800000102'
			},
			...communityData.map((c) => {
				const [w, s, e, n] = c.box;
				const zone = c.box[0] < TONGLING_ROAD_LNG ? ('west' as const) : ('east' as const);
				return {
					code: `${c.code}-post`,
					name: `${c.name}定岗点`,
					nameEn: `${c.nameEn} post`,
					communityId: communityIds[c.code],
					zone,
					lat: (s + n) / 2,
					lng: (w + e) / 2,
					coordinatorName: zone === 'west' ? '西片协调员' : '东片协调员',
					coordinatorPhone: zone === 'west' ? '13800000101' : '13800000102'
				};
			})
		]);
		for (const u of demoUsers) {
			await tx.insert(users).values({
				phone: u.phone,
				name: u.name,
				role: u.role,
				passwordHash,
				communityId: u.community ? communityIds[u.community] : null,
				departmentId: u.department ? departmentIds[u.department] : null
			});
		}
	});
	await seedDuty(db);
	clearReferenceCache();
	return true;
}
