import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noticeSchema } from '$lib/domain/notices';
import { parseInput } from '$lib/domain/validation';
import { inDepartment } from '../auth/department';
import type { Database } from '../db';
import { departments, notices, users } from '../db/schema';
import { openTestDatabase } from '../db/testing';
import { LocalPhotoStore } from '../reports/photos';
import { jpegWithGps } from '../reports/testing';
import { noticesAtom } from './atom';
import {
	getPublishedNotice,
	listNoticesForStaff,
	deleteNotice,
	listPublishedNotices,
	noticeCoverKey,
	saveNotice,
	saveNoticeWithCover
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
				cover: null,
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

describe('cover images', () => {
	let dir: string;
	let store: LocalPhotoStore;
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'jx-covers-'));
		store = new LocalPhotoStore(dir);
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));
	const files = async () =>
		(await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.jpg'));
	const noCover = { upload: null, alt: '', remove: false };

	it('stores the cover through the photo pipeline: upright, no EXIF, with its alt text', async () => {
		const { db } = database;
		const original = await jpegWithGps(640, 480);
		expect(await exifr.gps(original)).toBeTruthy();
		const saved = await saveNoticeWithCover(
			db,
			null,
			input('有封面', new Date(Date.now() - hour)),
			{ upload: original, alt: '志愿者清理背街小巷', remove: false },
			{ id: authorId },
			store
		);
		expect(saved.ok).toBe(true);
		const id = saved.ok ? saved.id : '';
		const key = await noticeCoverKey(db, id);
		expect(key).toMatch(/^photos\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
		const stored = (await store.get(key!))!;
		expect(await exifr.parse(stored)).toBeUndefined();
		const meta = await sharp(stored).metadata();
		expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([
			'jpeg',
			480,
			640,
			undefined
		]);
		const listed = (await listPublishedNotices(db)).find((n) => n.id === id)!;
		expect(listed.cover).toMatchObject({ alt: '志愿者清理背街小巷', width: 480, height: 640 });
		expect(listed.cover!.url).toMatch(new RegExp(`^/notices/${id}/cover\\?v=\\d+$`));

		// Replacing the cover removes the old file; removing it leaves none.
		const replaced = await saveNoticeWithCover(
			db,
			id,
			input('有封面', new Date(Date.now() - hour)),
			{ upload: await jpegWithGps(64, 48), alt: '新图', remove: false },
			{ id: authorId },
			store
		);
		expect(replaced.ok).toBe(true);
		expect(await store.get(key!)).toBeNull();
		expect(await files()).toHaveLength(1);
		// Editing the text keeps the cover, but not without alt text.
		expect(
			await saveNoticeWithCover(db, id, input('改', new Date()), noCover, { id: authorId }, store)
		).toEqual({ ok: false, status: 400, fields: { coverAlt: 'required' } });
		await saveNoticeWithCover(
			db,
			id,
			input('改', new Date()),
			{ upload: null, alt: '', remove: true },
			{ id: authorId },
			store
		);
		expect(await noticeCoverKey(db, id)).toBeNull();
		expect(await files()).toHaveLength(0);
	});

	it('refuses a non-image (415), an oversize file (413) and a cover without alt text, storing nothing', async () => {
		const { db } = database;
		const attempt = (upload: Uint8Array, alt = '说明') =>
			saveNoticeWithCover(
				db,
				null,
				input('坏图', new Date()),
				{ upload, alt, remove: false },
				{ id: authorId },
				store
			);
		expect(await attempt(new TextEncoder().encode('<html>not a picture</html>'))).toEqual({
			ok: false,
			status: 415,
			fields: { cover: 'photo_type' }
		});
		const huge = new Uint8Array(11 * 1024 * 1024);
		huge.set([0xff, 0xd8, 0xff]);
		expect(await attempt(huge)).toMatchObject({
			status: 413,
			fields: { cover: 'photo_too_large' }
		});
		expect(await attempt(await jpegWithGps(), ' ')).toMatchObject({
			status: 400,
			fields: { coverAlt: 'required' }
		});
		expect(await files()).toHaveLength(0);
		const [{ count }] = await db
			.select({ count: sql<number>`count(*)::int` })
			.from(notices)
			.where(eq(notices.title, '坏图'));
		expect(count).toBe(0);
	});

	it('deletes the cover file with its notice, and hides the cover of a notice not yet live', async () => {
		const { db } = database;
		const saved = await saveNoticeWithCover(
			db,
			null,
			input('明天', new Date(Date.now() + 24 * hour)),
			{ upload: await jpegWithGps(64, 48), alt: '图', remove: false },
			{ id: authorId },
			store
		);
		const id = saved.ok ? saved.id : '';
		expect(await noticeCoverKey(db, id)).toBeNull();
		expect(await noticeCoverKey(db, id, { anyState: true })).toBeTruthy();
		await deleteNotice(db, id, store);
		expect(await files()).toHaveLength(0);
	});
});
