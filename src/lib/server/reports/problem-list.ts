import { asc, eq, sql } from 'drizzle-orm';
import type { QueueFilter } from '$lib/domain/staff-input';
import { ratingScore } from './stats';
import { stageLabel } from '$lib/i18n/workflow-labels';
import type { Db } from '../db';
import { categories, communities, departments, grids, reportEvents, reports } from '../db/schema';
import { isOverdue } from './deadlines';
import { queueWhere } from './queue';
import type { Actor } from './workflow';

/* The problem list (问题清单): the filtered queue as rows for export. */

export const MAX_EXPORT_ROWS = 10_000;

const lastAt = (action: string) =>
	sql<Date | null>`(select max(e.at) from ${reportEvents} e where e.report_id = ${reports.id} and e.action = ${action})`.mapWith(
		(v: unknown) => (v ? new Date(v as string) : null)
	);

export async function problemList(db: Db, actor: Actor, filter: QueueFilter, now = new Date()) {
	const rows = await db
		.select({
			code: reports.trackingCode,
			category: categories.name,
			community: communities.name,
			grid: grids.name,
			address: reports.address,
			reported: reports.createdAt,
			accepted: lastAt('accept'),
			department: departments.name,
			dueAt: reports.dueAt,
			handled: lastAt('handle'),
			closed: lastAt('close'),
			stage: reports.stage,
			rating: sql<
				number | null
			>`(select ${ratingScore(sql`e.data`)} from ${reportEvents} e where e.report_id = ${reports.id} and e.action = 'rate' order by e.at desc limit 1)`
		})
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(communities, eq(reports.communityId, communities.id))
		.leftJoin(grids, eq(reports.gridId, grids.id))
		.leftJoin(departments, eq(reports.departmentId, departments.id))
		.where(queueWhere(actor, filter, now))
		.orderBy(asc(reports.createdAt))
		.limit(MAX_EXPORT_ROWS);
	return rows.map((r) => ({ ...r, overdue: isOverdue(r, now) }));
}
export type ProblemRow = Awaited<ReturnType<typeof problemList>>[number];

const zh = { locale: 'zh-CN' as const };
export const problemColumns = [
	'编号',
	'类别',
	'社区',
	'网格',
	'地址',
	'上报时间',
	'立案时间',
	'责任部门',
	'时限',
	'处置时间',
	'结案时间',
	'阶段',
	'是否超时',
	'评价'
];

function localTime(d: Date | null): string {
	if (!d) return '';
	return new Date(+d + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function problemCells(r: ProblemRow): (string | number)[] {
	return [
		r.code,
		r.category,
		r.community ?? '',
		r.grid ?? '',
		r.address ?? '',
		localTime(r.reported),
		localTime(r.accepted),
		r.department ?? '',
		localTime(r.dueAt),
		localTime(r.handled),
		localTime(r.closed),
		stageLabel[r.stage]({}, zh),
		r.overdue ? '是' : '否',
		r.rating ?? ''
	];
}

function csvCell(value: string | number): string {
	let s = String(value);
	// Cells that a spreadsheet would run as a formula are quoted as text.
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** UTF-8 with a BOM, so Excel shows the Chinese; CRLF line ends. */
export function toCsv(rows: ProblemRow[]): string {
	const lines = [problemColumns, ...rows.map(problemCells)].map((cells) =>
		cells.map(csvCell).join(',')
	);
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The same rows as an Excel workbook (exceljs, loaded only when asked for). */
export async function toXlsx(rows: ProblemRow[]): Promise<Uint8Array<ArrayBuffer>> {
	const { default: ExcelJS } = await import('exceljs');
	const workbook = new ExcelJS.Workbook();
	workbook.created = new Date();
	const sheet = workbook.addWorksheet('问题清单', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.addRow(problemColumns).font = { bold: true };
	for (const row of rows)
		sheet.addRow(
			problemCells(row).map((c) => (typeof c === 'string' && /^[=+\-@]/.test(c) ? `'${c}` : c))
		);
	sheet.columns.forEach((column, i) => {
		column.width = [12, 18, 10, 14, 24, 17, 17, 12, 17, 17, 17, 8, 8, 6][i] ?? 12;
	});
	const buffer = (await workbook.xlsx.writeBuffer()) as unknown as Uint8Array;
	return new Uint8Array(buffer);
}
