import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// IndexedDB as the spec defines it (fake-indexeddb); the e2e test uses a real browser's.
class MemoryStorage {
	items = new Map<string, string>();
	getItem = (key: string) => this.items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.items.set(key, value);
	removeItem = (key: string) => void this.items.delete(key);
}

let scans: typeof import('./outbox');
let outbox: typeof import('$lib/offline/outbox');
let storage: MemoryStorage;
beforeEach(async () => {
	globalThis.indexedDB = new IDBFactory();
	storage = new MemoryStorage();
	Object.assign(globalThis, { localStorage: storage });
	vi.resetModules();
	scans = await import('./outbox');
	outbox = await import('$lib/offline/outbox');
});
afterEach(() => {
	Reflect.deleteProperty(globalThis, 'localStorage');
});

const deviceAt = '2026-12-07T01:00:00.000Z';

function answer(status: number, body: unknown = {}) {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'Content-Type': 'application/json' }
	});
}

describe('the offline check-in queue', () => {
	it('queues scans in the outbox, each to its endpoint with a key of its own', async () => {
		await scans.queueScan({ kind: 'in', code: '111111', deviceAt, lat: 31.8, lng: 117.2 });
		await scans.queueScan({ kind: 'out', code: '222222', deviceAt });
		const sent: { url: string; key: string | null; body: unknown }[] = [];
		await outbox.replayOutbox(async (url, init) => {
			sent.push({
				url: String(url),
				key: new Headers(init?.headers).get('Idempotency-Key'),
				body: JSON.parse(String(init?.body))
			});
			return answer(200);
		});
		expect(sent.map(({ url, body }) => ({ url, body }))).toEqual([
			{ url: '/api/v1/checkins', body: { code: '111111', deviceAt, lat: 31.8, lng: 117.2 } },
			{ url: '/api/v1/checkouts', body: { code: '222222', deviceAt } }
		]);
		expect(new Set(sent.map((s) => s.key)).size).toBe(2);
		expect(await scans.scanOutbox()).toEqual({ waiting: [], refused: [], signedOut: false });
	});

	it('says the scans wait for the volunteer to sign in again after a 401, until they are sent', async () => {
		await scans.queueScan({ kind: 'in', code: '555555', deviceAt });
		await outbox.replayOutbox(async () => answer(401, { error: { code: 'unauthenticated' } }));
		expect(await scans.scanOutbox()).toMatchObject({ signedOut: true, refused: [] });
		expect((await scans.scanOutbox()).waiting).toHaveLength(1);
		await outbox.replayOutbox(async () => answer(201));
		expect(await scans.scanOutbox()).toEqual({ waiting: [], refused: [], signedOut: false });
	});

	it('keeps a refused scan with the server message until dismissed, and only scans', async () => {
		await scans.queueScan({ kind: 'in', code: '333333', deviceAt });
		await scans.queueScan({ kind: 'out', code: '444444', deviceAt });
		await outbox.addDraft({ key: 'report', fields: [], photos: [] });
		await outbox.replayOutbox(async (url) =>
			String(url).endsWith('/checkins')
				? answer(400, { error: { code: 'invalid_code', message: '签到码无效或已过期。' } })
				: String(url).endsWith('/checkouts')
					? answer(503)
					: answer(422, { error: { code: 'x', message: 'report refused' } })
		);
		const { waiting, refused } = await scans.scanOutbox();
		expect(waiting).toHaveLength(1);
		expect(refused).toEqual([
			expect.objectContaining({
				kind: 'in',
				code: '333333',
				deviceAt,
				message: '签到码无效或已过期。'
			})
		]);
		await scans.dismissRefused();
		expect((await scans.scanOutbox()).refused).toEqual([]);
		// The refused report is the report page's to show, not this one's to dismiss.
		expect((await outbox.listDrafts()).map((d) => [d.key, d.state])).toEqual([
			['report', 'attention']
		]);
	});

	it('moves scans an earlier version left in localStorage into the outbox', async () => {
		storage.setItem(
			'jx-duty-scan-outbox',
			JSON.stringify([{ kind: 'out', code: '555555', deviceAt }])
		);
		storage.setItem(
			'jx-duty-scan-refused',
			JSON.stringify([{ kind: 'in', code: '666666', deviceAt, message: 'stale' }])
		);
		const { waiting, refused } = await scans.scanOutbox();
		expect(waiting).toHaveLength(1);
		expect(refused).toEqual([
			expect.objectContaining({ kind: 'in', code: '666666', message: 'stale' })
		]);
		expect(storage.items.size).toBe(0);
		const urls: string[] = [];
		await outbox.replayOutbox(async (url) => {
			urls.push(String(url));
			return answer(200);
		});
		expect(urls).toEqual(['/api/v1/checkouts']);
		// Moved once: reading again adds nothing.
		expect((await scans.scanOutbox()).waiting).toEqual([]);
	});
});
