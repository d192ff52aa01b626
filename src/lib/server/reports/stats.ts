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
 * - average handling time: from the first dispatch to the last "handled", for cases handled in
 *   the period, in hours;
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
	const evt = (actions: string[]) =>
		withCase(
			db
				.select({ count: num(sql`count(*)`) })
				.from(reportEvents)
				.$dynamic(),
			scope
		).where(eventsIn(period, actions, scope));

	const closedRows = db
		.select({
			closed: num(sql`count(*)`),
			onTime: num(sql`count(*) filter (where exists (
				select 1 from ${reportEvents} h
				where h.report_id = ${reports.id} and h.action = 'handle'
				and h.at <= coalesce((h.data->>'dueAt')::timestamptz, h.at)
				and h.at = (select max(h2.at) from ${reportEvents} h2 where h2.report_id = ${reports.id} and h2.action = 'handle')
			))`)
		})
		.from(reportEvents)
		.innerJoin(reports, eq(reportEvents.reportId, reports.id))
		.where(and(eventsIn(period, ['close'], scope), eq(reports.stage, 'closed')));

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

	// The first dispatch is looked up per handled case (an index lookup), never over all events.
	const handlingTime = db
		.select({
			hours: num(sql`coalesce(avg(extract(epoch from (t.at - t.first_at)) / 3600), 0)`),
			count: num(sql`count(t.first_at)`)
		})
		.from(
			sql`(select h.at, (select min(d.at) from ${reportEvents} d
					where d.report_id = h.report_id and d.action = 'dispatch') as first_at
				from (select ${reportEvents.reportId} as report_id, max(${reportEvents.at}) as at
					from ${reportEvents}
					${scope ? sql`inner join ${reports} on ${reports.id} = ${reportEvents.reportId}` : sql``}
					where ${eventsIn(period, ['handle'], scope)} group by ${reportEvents.reportId}) h) t`
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

	const [[closed], [overdue], [handled], [reworked], [dispatched], [returned], [time], [rating]] =
		await Promise.all([
			closedRows,
			overdueOpen,
			evt(['handle']),
			evt(['rework', 'reopen']),
			evt(['dispatch']),
			evt(['return']),
			handlingTime,
			ratingsInScope
		]);
	return {
		closed: closed.closed,
		closedOnTime: closed.onTime,
		overdueOpen: overdue.count,
		onTimeRate: rate(closed.onTime, closed.closed + overdue.count),
		handled: handled.count,
		reworked: reworked.count,
		reworkRate: rate(reworked.count, handled.count),
		averageHandlingHours: time.count ? Math.round(time.hours * 10) / 10 : null,
		satisfaction: rating.count ? Math.round(rating.mean * 100) / 100 : null,
		ratings: rating.count,
		dispatched: dispatched.count,
		returned: returned.count,
		routingAccuracy: dispatched.count
			? Math.max(0, (dispatched.count - returned.count) / dispatched.count)
			: null
	};
}

/** Cases reported in the period, counted by stage, category, community and department. */
export async function breakdowns(db: Db, actor: Actor, period: Period) {
	const where = and(
		scopeCondition(actor),
		gte(reports.createdAt, period.from),
		lt(reports.createdAt, period.to)
	);
	const count = num(sql`count(*)`);
	const [byStage, byCategory, byCommunity, byDepartment] = await Promise.all([
		db
			.select({ key: reports.stage, count })
			.from(reports)
			.where(where)
			.groupBy(reports.stage)
			.orderBy(sql`2 desc`),
		db
			.select({ key: categories.name, count })
			.from(reports)
			.innerJoin(categories, eq(reports.categoryId, categories.id))
			.where(where)
			.groupBy(categories.name)
			.orderBy(sql`2 desc`)
			.limit(12),
		db
			.select({ key: communities.name, count })
			.from(reports)
			.innerJoin(communities, eq(reports.communityId, communities.id))
			.where(where)
			.groupBy(communities.name)
			.orderBy(sql`2 desc`),
		db
			.select({ key: departments.name, count })
			.from(reports)
			.innerJoin(departments, eq(reports.departmentId, departments.id))
			.where(where)
			.groupBy(departments.name)
			.orderBy(sql`2 desc`)
	]);
	return { byStage, byCategory, byCommunity, byDepartment };
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
		.groupBy(departments.name)
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
 */
export async function hotspots(db: Db, actor: Actor, period: Period, minimum = 2) {
	const place = sql`coalesce('c:' || ${reports.compoundId}::text,
		'p:' || round(${reports.lat}::numeric, 3) || ',' || round(${reports.lng}::numeric, 3))`;
	const coordinate = (column: typeof reports.lat | typeof reports.lng) =>
		sql<number | null>`round(avg(${column})::numeric, 5)`.mapWith((v: unknown) =>
			v === null ? null : Number(v)
		);
	return db
		.select({
			lat: coordinate(reports.lat),
			lng: coordinate(reports.lng),
			count: num(sql`count(*)`),
			compound: sql<string | null>`min(${compounds.name})`,
			address: sql<string | null>`min(${reports.address})`,
			category: sql<string>`mode() within group (order by ${categories.name})`
		})
		.from(reports)
		.innerJoin(categories, eq(reports.categoryId, categories.id))
		.leftJoin(compounds, eq(reports.compoundId, compounds.id))
		.where(
			and(
				scopeCondition(actor),
				gte(reports.createdAt, period.from),
				lt(reports.createdAt, period.to),
				sql`(${reports.lat} is not null or ${reports.compoundId} is not null)`
			)
		)
		.groupBy(place)
		.having(sql`count(*) >= ${minimum}`)
		.orderBy(sql`count(*) desc`)
		.limit(20);
}

/** The communities' outlines and names, to draw under the hotspot map (no tiles needed). */
export function communityOutlines(db: Db) {
	return db
		.select({ name: communities.name, boundary: communities.boundary })
		.from(communities)
		.where(and(eq(communities.active, true), sql`${communities.boundary} is not null`));
}
