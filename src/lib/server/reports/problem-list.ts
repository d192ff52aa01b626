import { asc, eq, sql } from 'drizzle-orm';
import type { QueueFilter } from '$lib/domain/staff-input';
import { ratingScore } from './stats';
import { stageLabel } from '$lib/i18n/workflow-labels';
import { localName } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
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
			categoryEn: categories.nameEn,
			community: communities.name,
			communityEn: communities.nameEn,
			grid: grids.name,
			gridEn: grids.nameEn,
			address: reports.address,
			reported: reports.createdAt,
			accepted: lastAt('accept'),
			department: departments.name,
			departmentEn: departments.nameEn,
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

const columns = [
	m.problem_list_col_code,
	m.problem_list_col_category,
	m.problem_list_col_community,
	m.problem_list_col_grid,
	m.problem_list_col_address,
	m.problem_list_col_reported,
	m.problem_list_col_accepted,
	m.problem_list_col_department,
	m.problem_list_col_due,
	m.problem_list_col_handled,
	m.problem_list_col_closed,
	m.problem_list_col_stage,
	m.problem_list_col_overdue,
	m.problem_list_col_rating
];

/** The header row in `locale`: Chinese, as the subdistrict files it, unless asked for English. */
export function problemColumns(locale: Locale = 'zh-CN'): string[] {
	return columns.map((column) => column({}, { locale }));
}

function localTime(d: Date | null): string {
	if (!d) return '';
	return new Date(+d + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** One case's cells; names in `locale` where the data has them. */
export function problemCells(r: ProblemRow, locale: Locale = 'zh-CN'): (string | number)[] {
	const name = (value: string | null, nameEn: string | null) =>
		value === null ? '' : localName({ name: value, nameEn }, locale);
	return [
		r.code,
		name(r.category, r.categoryEn),
		name(r.community, r.communityEn),
		name(r.grid, r.gridEn),
		r.address ?? '',
		localTime(r.reported),
		localTime(r.accepted),
		name(r.department, r.departmentEn),
		localTime(r.dueAt),
		localTime(r.handled),
		localTime(r.closed),
		stageLabel[r.stage]({}, { locale }),
		(r.overdue ? m.problem_list_yes : m.problem_list_no)({}, { locale }),
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
export function toCsv(rows: ProblemRow[], locale: Locale = 'zh-CN'): string {
	const lines = [problemColumns(locale), ...rows.map((row) => problemCells(row, locale))].map(
		(cells) => cells.map(csvCell).join(',')
	);
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** The same rows as an Excel workbook (exceljs, loaded only when asked for). */
export async function toXlsx(
	rows: ProblemRow[],
	locale: Locale = 'zh-CN'
): Promise<Uint8Array<ArrayBuffer>> {
	const { default: ExcelJS } = await import('exceljs');
	const workbook = new ExcelJS.Workbook();
	workbook.created = new Date();
	const sheet = workbook.addWorksheet(m.problem_list_sheet({}, { locale }), {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	sheet.addRow(problemColumns(locale)).font = { bold: true };
	for (const row of rows)
		sheet.addRow(
			problemCells(row, locale).map((c) =>
				typeof c === 'string' && /^[=+\-@]/.test(c) ? `'${c}` : c
			)
		);
	sheet.columns.forEach((column, i) => {
		column.width = [12, 18, 10, 14, 24, 17, 17, 12, 17, 17, 17, 8, 8, 6][i] ?? 12;
	});
	const buffer = (await workbook.xlsx.writeBuffer()) as unknown as Uint8Array;
	return new Uint8Array(buffer);
}
