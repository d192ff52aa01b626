import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeSchema } from '$lib/domain/notices';
import { parseInput } from '$lib/domain/validation';
import { inDepartment } from '../auth/department';
import type { Database } from '../db';
import { departments, notices, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { noticesAtom } from './atom';
import {
	getPublishedNotice,
	listNoticesForStaff,
	listPublishedNotices,
	saveNotice
} from './notices';

let database: Database;
let authorId: string;
beforeAll(async () => {
	database = await openTestDatabase();
	[{ id: authorId }] = await database.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.phone, '13800000008'));
});
afterAll(() => database.close());

const hour = 3600_000;
function input(title: string, from: Date, until: Date | null = null, pinned = false) {
	return { title, body: `**${title}** 正文`, pinned, publishFrom: from, publishUntil: until };
}

describe('notices', () => {
	it('lists only notices inside their window, pinned first then newest', async () => {
		const { db } = database;
		await db.delete(notices);
		const now = new Date('2026-06-01T04:00:00Z');
		await saveNotice(db, null, input('旧', new Date(now.getTime() - 5 * hour)), { id: authorId });
		await saveNotice(db, null, input('新', new Date(now.getTime() - 1 * hour)), { id: authorId });
		await saveNotice(db, null, input('置顶', new Date(now.getTime() - 9 * hour), null, true), {
			id: authorId
		});
		await saveNotice(db, null, input('未到', new Date(now.getTime() + hour)), { id: authorId });
		const expiredId = await saveNotice(
			db,
			null,
			input('过期', new Date(now.getTime() - 9 * hour), new Date(now.getTime() - hour)),
			{ id: authorId }
		);
		const listed = await listPublishedNotices(db, { now });
		expect(listed.map((n) => n.title)).toEqual(['置顶', '新', '旧']);
		expect(listed[1].summary).toBe('新 正文');
		expect(await getPublishedNotice(db, expiredId!, now)).toBeNull();
		const staff = await listNoticesForStaff(db, now);
		expect(Object.fromEntries(staff.map((n) => [n.title, n.state]))).toMatchObject({
			未到: 'scheduled',
			过期: 'expired',
			新: 'live'
		});
	});

	it('renders the body safely on the notice page', async () => {
		const { db } = database;
		const id = await saveNotice(
			db,
			null,
			{
				...input('x', new Date(Date.now() - hour)),
				body: '<script>alert(1)</script> [a](javascript:alert(1))'
			},
			{ id: authorId }
		);
		const notice = await getPublishedNotice(db, id!);
		expect(notice!.html).not.toMatch(/<script|<a\b/);
	});

	it('updates in place and reports an unknown id', async () => {
		const { db } = database;
		const id = await saveNotice(db, null, input('改前', new Date()), { id: authorId });
		expect(await saveNotice(db, id, input('改后', new Date()), { id: authorId })).toBe(id);
		const [row] = await db.select().from(notices).where(eq(notices.id, id!));
		expect(row.title).toBe('改后');
		expect(
			await saveNotice(db, '00000000-0000-4000-8000-000000000000', input('y', new Date()), {
				id: authorId
			})
		).toBeNull();
	});

	it('lets party-building staff and admins publish, nobody else', async () => {
		const { db } = database;
		const code = async (c: string) =>
			(await db.select().from(departments).where(eq(departments.code, c)))[0].id;
		expect(await inDepartment(db, { role: 'admin', departmentId: null }, 'party-building')).toBe(
			true
		);
		expect(
			await inDepartment(
				db,
				{ role: 'handler', departmentId: await code('party-building') },
				'party-building'
			)
		).toBe(true);
		expect(
			await inDepartment(
				db,
				{ role: 'dispatcher', departmentId: await code('city-management') },
				'party-building'
			)
		).toBe(false);
		expect(
			await inDepartment(db, { role: 'community_staff', departmentId: null }, 'party-building')
		).toBe(false);
	});

	it('checks the form input', () => {
		const ok = parseInput(noticeSchema, {
			title: ' 标题 ',
			body: '正文',
			publishFrom: '2026-05-01T08:30',
			publishUntil: '',
			pinned: 'on'
		});
		expect(ok).toEqual({
			ok: true,
			value: {
				title: '标题',
				body: '正文',
				pinned: true,
				publishFrom: new Date('2026-05-01T00:30:00Z'),
				publishUntil: null
			}
		});
		const bad = parseInput(noticeSchema, {
			title: '',
			body: 'x',
			publishFrom: '2026-05-01T08:30',
			publishUntil: '2026-05-01T08:00'
		});
		expect(bad).toEqual({
			ok: false,
			fields: { title: 'required', publishUntil: 'notices_window' }
		});
		expect(parseInput(noticeSchema, { title: 't', body: 'b', publishFrom: 'soon' })).toEqual({
			ok: false,
			fields: { publishFrom: 'notices_date' }
		});
	});
});

describe('Atom feed', () => {
	it('escapes titles and content', () => {
		const xml = noticesAtom('https://jx.example', { title: '街巷 & <通知>', subtitle: 's' }, [
			{
				id: '11111111-1111-4111-8111-111111111111',
				title: 'A <b>&</b> "q"',
				summary: 'x < y',
				pinned: false,
				publishedAt: new Date('2026-05-01T00:00:00Z'),
				updatedAt: new Date('2026-05-02T00:00:00Z'),
				html: '<p>&lt;script&gt;</p>'
			}
		]);
		expect(xml).toContain('<title type="text">街巷 &amp; &lt;通知&gt;</title>');
		expect(xml).toContain('<title type="text">A &lt;b&gt;&amp;&lt;/b&gt; &quot;q&quot;</title>');
		expect(xml).toContain(
			'<content type="html">&lt;p&gt;&amp;lt;script&amp;gt;&lt;/p&gt;</content>'
		);
		expect(xml).toContain('<updated>2026-05-02T00:00:00.000Z</updated>');
		expect(xml).toContain('<id>urn:uuid:11111111-1111-4111-8111-111111111111</id>');
		expect(xml).not.toMatch(/<b>|<p>/);
	});
});
