import { and, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import {
	categories,
	communities,
	compounds,
	departments,
	propertyCompanies,
	reportEvents,
	reports
} from '../db/schema';
import { openStages } from '$lib/domain/workflow';
import { participationCounts } from '../activities/activities';
import { scopeCondition, type Actor } from './workflow';

/*
 * Key figures of the closed loop for a period, within the actor's scope:
 * - on-time closure rate (按期结案率): cases closed in the period whose handling came within the
 *   handling deadline then running, over those closed plus open cases whose deadline passed in
 *   the period (an overdue open case counts against the rate);
 * - rework rate: rework and reopen moves over "handled" moves in the period;
 * - average handling time: from the first dispatch to the last "handled", for cases last handled
 *   in the period, in hours;
 * - satisfaction: the mean of residents' ratings (events `rate` with data.rating, 1–5);
 * - routing accuracy: dispatches in the period not returned.
 */

export interface Period {
	from: Date;
	to: Date;
}

function eventsIn(period: Period, actions: string[], scope: SQL | undefined) {
	return and(
		inArray(reportEvents.action, actions),
		gte(reportEvents.at, period.from),
		lt(reportEvents.at, period.to),
		scope
	);
}

const num = (s: SQL) => s.mapWith(Number);

/**
 * Joins events to their case only when a scope limits the cases: without one (dispatchers,
 * supervisors, admins) every event counts, and the join would only cost a scan of all cases.
 */
function withCase<T extends PgSelect>(query: T, scope: SQL | undefined): T {
	return scope
		? (query.innerJoin(reports, eq(reportEvents.reportId, reports.id)) as unknown as T)
		: query;
}

/**
 * A resident's rating as a score of 1–5. The tracking page stores one of three answers (满意 5,
 * 基本满意 3, 不满意 1); a plain number 1–5 is taken as it is.
 */
export function ratingScore(data: SQL | typeof reportEvents.data): SQL<number | null> {
	const rating = sql`(${data}->>'rating')`;
	return sql<
		number | null
	>`(case ${rating} when 'satisfied' then 5 when 'basically_satisfied' then 3
		when 'dissatisfied' then 1 else case when ${rating} ~ '^[1-5]$' then ${rating}::int end end)`;
}
const rate = (part: number, whole: number) => (whole ? part / whole : null);

export async function keyFigures(db: Db, actor: Actor, period: Period, now = new Date()) {
	const scope = scopeCondition(actor);
	const count = (actions: string[]) =>
		num(
			sql`count(*) filter (where ${reportEvents.action} in (${sql.join(
				actions.map((a) => sql`${a}`),
				sql`, `
			)}))`
		);
	// Every move counted below, in one pass over the period's events.
	const moves = withCase(
		db
			.select({
				handled: count(['handle']),
				reworked: count(['rework', 'reopen']),
				dispatched: count(['dispatch']),
				returned: count(['return'])
			})
			.from(reportEvents)
			.$dynamic(),
		scope
	).where(eventsIn(period, ['handle', 'rework', 'reopen', 'dispatch', 'return'], scope));

	// A case closed in the period (and still closed) was on time when its last handling was.
	const closedRows = db
		.select({
			closed: num(sql`count(*)`),
			onTime: num(sql`count(*) filter (where ${reports.lastHandledOnTime})`)
		})
		.from(reports)
		.where(
			and(
				scope,
				eq(reports.stage, 'closed'),
				gte(reports.closedAt, period.from),
				lt(reports.closedAt, period.to)
			)
		);

	const overdueOpen = db
		.select({ count: num(sql`count(*)`) })
		.from(reports)
		.where(
			and(
				scope,
				inArray(reports.stage, [...openStages]),
				gte(reports.dueAt, period.from),
				lt(reports.dueAt, now < period.to ? now : period.to)
			)
		);

	// From the first dispatch to the last handling, for the cases last handled in the period.
	const handlingTime = db
		.select({
			hours: num(
				sql`coalesce(avg(extract(epoch from (${reports.lastHandledAt} - ${reports.firstDispatchedAt})) / 3600), 0)`
			),
			count: num(sql`count(${reports.firstDispatchedAt})`)
		})
		.from(reports)
		.where(
			and(scope, gte(reports.lastHandledAt, period.from), lt(reports.lastHandledAt, period.to))
		);

	const ratings = db
		.select({
			mean: num(sql`avg(${ratingScore(reportEvents.data)})`),
			count: num(sql`count(*)`)
		})
		.from(reportEvents)
		.$dynamic();
	const ratingsInScope = withCase(ratings, scope).where(
		and(eventsIn(period, ['rate'], scope), sql`${ratingScore(reportEvents.data)} is not null`)
	);

	const [[closed], [overdue], [moved], [time], [rating]] = await Promise.all([
		closedRows,
		overdueOpen,
		moves,
		handlingTime,
		ratingsInScope
	]);
	return {
		closed: closed.closed,
		closedOnTime: closed.onTime,
		overdueOpen: overdue.count,
		onTimeRate: rate(closed.onTime, closed.closed + overdue.count),
		handled: moved.handled,
		reworked: moved.reworked,
		reworkRate: rate(moved.reworked, moved.handled),
		averageHandlingHours: time.count ? Math.round(time.hours * 10) / 10 : null,
		satisfaction: rating.count ? Math.round(rating.mean * 100) / 100 : null,
		ratings: rating.count,
		dispatched: moved.dispatched,
		returned: moved.returned,
		routingAccuracy: moved.dispatched
			? Math.max(0, (moved.dispatched - moved.returned) / moved.dispatched)
			: null
	};
}

/**
 * Cases reported in the period, counted by stage, category, community and department, in one pass
 * (grouping sets). Cases with no department yet count in no department's row.
 */
export async function breakdowns(db: Db, actor: Actor, period: Period) {
	const rows = await db
		.select({
			stage: reports.stage,
			category: categories.name,
			categoryEn: categories.nameEn,
			community: communities.name,
			communityEn: communities.nameEn,
			department: departments.name,
			departmentEn: departments.nameEn,
			// Bit 3 stage … bit 0 department: 0 where the row groups by that column.
			grouping: num(
				sql`grouping(${reports.stage}, ${categories.name}, ${communities.name}, ${departments.name})`
			),
			count: num(sql`count(*)`)
		})
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(communities, eq(reports.communityId, communities.id))
		.leftJoin(departments, eq(reports.departmentId, departments.id))
		.where(
			and(
				scopeCondition(actor),
				gte(reports.createdAt, period.from),
				lt(reports.createdAt, period.to)
			)
		)
		.groupBy(
			sql`grouping sets ((${reports.stage}), (${categories.name}, ${categories.nameEn}),
				(${communities.name}, ${communities.nameEn}), (${departments.name}, ${departments.nameEn}))`
		);
	// `key` is the stage or the (Chinese) name; `nameEn` the English name, where there is one.
	const countsBy = (bit: number, column: 'stage' | 'category' | 'community' | 'department') =>
		rows
			.filter((row) => row.grouping === 15 - bit && row[column] !== null)
			.map((row) => ({
				key: row[column] as string,
				nameEn: column === 'stage' ? null : row[`${column}En`],
				count: row.count
			}))
			.sort((a, b) => b.count - a.count);
	return {
		byStage: countsBy(8, 'stage'),
		byCategory: countsBy(4, 'category').slice(0, 12),
		byCommunity: countsBy(2, 'community'),
		byDepartment: countsBy(1, 'department')
	};
}

/** This week (from Monday) or this month, in China time, or a custom range of local dates. */
export function periodOf(
	kind: string | null,
	fromDate: string | null,
	toDate: string | null,
	now = new Date()
): Period & { kind: 'week' | 'month' | 'custom' } {
	const local = new Date(+now + 8 * 3600_000);
	const midnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d) - 8 * 3600_000);
	const y = local.getUTCFullYear();
	const mo = local.getUTCMonth();
	const d = local.getUTCDate();
	const date = /^\d{4}-\d{2}-\d{2}$/;
	if (kind === 'custom' && fromDate && toDate && date.test(fromDate) && date.test(toDate)) {
		const [fy, fm, fd] = fromDate.split('-').map(Number);
		const [ty, tm, td] = toDate.split('-').map(Number);
		const from = midnight(fy, fm - 1, fd);
		const to = midnight(ty, tm - 1, td + 1);
		if (+from < +to) return { kind: 'custom', from, to };
	}
	if (kind === 'month')
		return { kind: 'month', from: midnight(y, mo, 1), to: midnight(y, mo + 1, 1) };
	const weekday = (local.getUTCDay() + 6) % 7; // Monday 0
	return { kind: 'week', from: midnight(y, mo, d - weekday), to: midnight(y, mo, d - weekday + 7) };
}

/**
 * Department scorecards from the same events: dispatches received, handlings (and how many came
 * within the deadline then running), returns and reworks in the period.
 */
export async function departmentScorecards(db: Db, actor: Actor, period: Period) {
	const count = (filter: SQL) => num(sql`count(*) filter (where ${filter})`);
	const scope = scopeCondition(actor);
	const query = db
		.select({
			department: departments.name,
			departmentEn: departments.nameEn,
			dispatched: count(sql`${reportEvents.action} = 'dispatch'`),
			handled: count(sql`${reportEvents.action} = 'handle'`),
			handledOnTime: count(
				sql`${reportEvents.action} = 'handle' and ${reportEvents.at} <= coalesce((${reportEvents.data}->>'dueAt')::timestamptz, ${reportEvents.at})`
			),
			returned: count(sql`${reportEvents.action} = 'return'`),
			reworked: count(sql`${reportEvents.action} in ('rework', 'reopen')`)
		})
		.from(reportEvents)
		.innerJoin(departments, eq(reportEvents.departmentId, departments.id))
		.$dynamic();
	return withCase(query, scope)
		.where(eventsIn(period, ['dispatch', 'handle', 'return', 'rework', 'reopen'], scope))
		.groupBy(departments.name, departments.nameEn)
		.orderBy(departments.name);
}

/**
 * Property-company scorecards (物业考核): cases reported in the period in the compounds each
 * company manages, how many are closed, how many are open past their deadline, the mean rating,
 * and the one-off activities (clean-ups) it took part in that started in the period.
 */
export async function propertyScorecards(db: Db, actor: Actor, period: Period, now = new Date()) {
	const [cards, participation] = await Promise.all([
		caseScorecards(db, actor, period, now),
		participationCounts(db, period)
	]);
	const byName = new Map(cards.map((c) => [c.company, { ...c, activities: 0 }]));
	for (const p of participation) {
		const card = byName.get(p.company);
		if (card) card.activities = p.activities;
		else
			byName.set(p.company, {
				company: p.company,
				reported: 0,
				closed: 0,
				overdue: 0,
				rating: null,
				activities: p.activities
			});
	}
	return [...byName.values()].sort((a, b) => a.company.localeCompare(b.company));
}

function caseScorecards(db: Db, actor: Actor, period: Period, now: Date) {
	return db
		.select({
			company: propertyCompanies.name,
			reported: num(sql`count(*)`),
			closed: num(sql`count(*) filter (where ${reports.stage} = 'closed')`),
			overdue: num(
				sql`count(*) filter (where ${reports.stage} in (${sql.join(
					openStages.map((s) => sql`${s}`),
					sql`, `
				)}) and ${reports.dueAt} < ${now.toISOString()})`
			),
			rating: sql<
				number | null
			>`(select round(avg(${ratingScore(sql`e.data`)}), 2) from ${reportEvents} e
				where e.action = 'rate' and e.report_id in (select r2.id from ${reports} r2
				inner join ${compounds} c2 on c2.id = r2.compound_id
				where c2.property_company_id = ${propertyCompanies.id}
				and r2.created_at >= ${period.from.toISOString()} and r2.created_at < ${period.to.toISOString()}))`.mapWith(
				(v: unknown) => (v === null ? null : Number(v))
			)
		})
		.from(reports)
		.innerJoin(compounds, eq(reports.compoundId, compounds.id))
		.innerJoin(propertyCompanies, eq(compounds.propertyCompanyId, propertyCompanies.id))
		.where(
			and(
				scopeCondition(actor),
				gte(reports.createdAt, period.from),
				lt(reports.createdAt, period.to)
			)
		)
		.groupBy(propertyCompanies.id, propertyCompanies.name)
		.orderBy(propertyCompanies.name);
}

/**
 * Hotspots: places with repeated reports in the period. A case in a compound (小区) counts for the
 * compound, wherever in it the point fell (indoor cases may have no point at all); any other case
 * for its cell of about 100 m (0.001°). Each place has its mean point and its most common category.
 * Counted per place and category first (hashing, no sort of the period's cases), then per place.
 */
export async function hotspots(db: Db, actor: Actor, period: Period, minimum = 2) {
	const cell = (column: typeof reports.lat | typeof reports.lng) =>
		sql`case when ${reports.compoundId} is null then round(${column} * 1000)::int end`;
	const byPlaceAndCategory = sql`(select ${reports.compoundId} as compound_id,
			${cell(reports.lat)} as cell_y, ${cell(reports.lng)} as cell_x, ${categories.name} as category,
			${categories.nameEn} as category_en, count(*) as n, sum(${reports.lat}) as lat_sum, sum(${reports.lng}) as lng_sum,
			count(${reports.lat}) as located, min(${reports.address}) as address
		from ${reports} inner join ${categories} on ${categories.id} = ${reports.categoryId}
		where ${and(
			scopeCondition(actor),
			gte(reports.createdAt, period.from),
			lt(reports.createdAt, period.to),
			sql`(${reports.lat} is not null or ${reports.compoundId} is not null)`
		)}
		group by 1, 2, 3, 4, 5) places`;
	const coordinate = (sum: string) =>
		sql<
			number | null
		>`round((sum(${sql.raw(sum)}) / nullif(sum(places.located), 0))::numeric, 5)`.mapWith(
			(v: unknown) => (v === null ? null : Number(v))
		);
	const rows = await db
		.select({
			lat: coordinate('places.lat_sum'),
			lng: coordinate('places.lng_sum'),
			count: num(sql`sum(places.n)`),
			compoundId: sql<string | null>`places.compound_id`,
			address: sql<string | null>`min(places.address)`,
			// The most common category; a tie goes to the first name, as mode() would.
			category: sql<string>`(array_agg(places.category order by places.n desc, places.category))[1]`,
			categoryEn: sql<
				string | null
			>`(array_agg(places.category_en order by places.n desc, places.category))[1]`
		})
		.from(byPlaceAndCategory)
		.groupBy(sql`places.compound_id, places.cell_y, places.cell_x`)
		.having(sql`sum(places.n) >= ${minimum}`)
		.orderBy(sql`sum(places.n) desc`)
		.limit(20);
	const ids = [...new Set(rows.map((r) => r.compoundId).filter((id): id is string => !!id))];
	const names = new Map(
		ids.length
			? (
					await db
						.select({ id: compounds.id, name: compounds.name })
						.from(compounds)
						.where(inArray(compounds.id, ids))
				).map((c) => [c.id, c.name])
			: []
	);
	return rows.map(({ compoundId, ...spot }) => ({
		...spot,
		compound: compoundId ? (names.get(compoundId) ?? null) : null
	}));
}

/** The communities' outlines and names, to draw under the hotspot map (no tiles needed). */
export function communityOutlines(db: Db) {
	return db
		.select({ name: communities.name, nameEn: communities.nameEn, boundary: communities.boundary })
		.from(communities)
		.where(and(eq(communities.active, true), sql`${communities.boundary} is not null`));
}
