import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// IndexedDB as the spec defines it (fake-indexeddb runs its conformance tests); the e2e tests use
// a real browser's. Each test gets an empty database and a fresh module.
let outbox: typeof import('./outbox');
beforeEach(async () => {
	globalThis.indexedDB = new IDBFactory();
	vi.resetModules();
	outbox = await import('./outbox');
});

function answer(status: number, body: unknown = {}) {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'Content-Type': 'application/json' }
	});
}

const draft = (key: string, extra: Partial<import('./outbox').Draft> = {}) => ({
	key,
	fields: [['category', 'garbage']] as [string, string][],
	photos: [],
	...extra
});

/**
 * Web Locks as the outbox uses them (Node has none): exclusive locks by name, queued in order, and
 * `ifAvailable` answered with null while the name is held.
 */
class FakeLocks {
	private tails = new Map<string, Promise<unknown>>();
	private held = new Set<string>();
	request<T>(
		name: string,
		options: { ifAvailable?: boolean } | ((lock: unknown) => T | Promise<T>),
		callback?: (lock: unknown) => T | Promise<T>
	): Promise<T> {
		const run = (typeof options === 'function' ? options : callback)!;
		const ifAvailable = typeof options === 'object' && options.ifAvailable;
		if (ifAvailable && this.held.has(name)) return Promise.resolve(run(null));
		const turn = (this.tails.get(name) ?? Promise.resolve()).then(async () => {
			this.held.add(name);
			try {
				return await run({ name });
			} finally {
				this.held.delete(name);
			}
		});
		this.tails.set(
			name,
			turn.catch(() => {})
		);
		return turn;
	}
}

describe('the outbox', () => {
	it('sends oldest first, deletes what was taken, keeps what did not arrive', async () => {
		for (const key of ['a', 'b', 'c']) {
			await outbox.addDraft(draft(key));
			await new Promise((r) => setTimeout(r, 2)); // distinct createdAt
		}
		const order: string[] = [];
		const replay = await outbox.replayOutbox(async (_url, init) => {
			const key = new Headers(init?.headers).get('Idempotency-Key')!;
			order.push(key);
			if (key === 'b') throw new TypeError('Failed to fetch');
			return answer(key === 'c' ? 503 : 201, { url: `/r/${key}` });
		});
		expect(order).toEqual(['a', 'b', 'c']);
		expect(replay.waiting).toBe(2);
		expect(replay.sent.map((d) => d.key)).toEqual(['a']);
		const left = await outbox.listDrafts();
		expect(left.map((d) => [d.key, d.state])).toEqual([
			['b', 'waiting'],
			['c', 'waiting']
		]);
	});

	it('sends drafts queued in the same millisecond in the order they were queued', async () => {
		const now = vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-07T01:00:00Z'));
		try {
			// Keys that sort the other way round, as a check-out's random key may against its check-in's.
			for (const key of ['z-check-in', 'y-check-out', 'x-check-in'])
				await outbox.addDraft(draft(key));
		} finally {
			now.mockRestore();
		}
		const order: string[] = [];
		await outbox.replayOutbox(async (_url, init) => {
			order.push(new Headers(init?.headers).get('Idempotency-Key')!);
			return answer(201);
		});
		expect(order).toEqual(['z-check-in', 'y-check-out', 'x-check-in']);
	});

	it('keeps a refusal with its message, and waits on 401 and 429', async () => {
		await outbox.addDraft(draft('refused'));
		await outbox.addDraft(draft('signed-out'));
		await outbox.addDraft(draft('busy'));
		const statuses: Record<string, number> = { refused: 409, 'signed-out': 401, busy: 429 };
		const replay = await outbox.replayOutbox(async (_url, init) => {
			const key = new Headers(init?.headers).get('Idempotency-Key')!;
			return answer(statuses[key], {
				error: { code: 'x', message: `no ${key}`, fields: { code: 'invalid' } }
			});
		});
		expect(replay.waiting).toBe(2);
		const byKey = Object.fromEntries((await outbox.listDrafts()).map((d) => [d.key, d]));
		expect(byKey.refused).toMatchObject({
			state: 'attention',
			message: 'no refused',
			problems: { code: 'invalid' }
		});
		expect(byKey['signed-out']).toMatchObject({ state: 'waiting', signedOut: true });
		expect(byKey.busy.state).toBe('waiting');
		expect(byKey.busy.signedOut).toBeFalsy();
		// The page asks the user to sign in again while a draft waits for it, and only then.
		expect(outbox.waitsForSignIn(await outbox.listDrafts())).toBe(true);
		expect(outbox.waitsForSignIn([byKey.refused, byKey.busy])).toBe(false);
		// A refusal is not sent again until it is changed.
		const again = vi.fn(async () => answer(201));
		await outbox.replayOutbox(again);
		expect(again).toHaveBeenCalledTimes(2);
		expect(outbox.waitsForSignIn(await outbox.listDrafts())).toBe(false);
	});

	it('posts a JSON draft as JSON to its endpoint, and a form draft as multipart', async () => {
		await outbox.addDraft({
			key: 'scan',
			endpoint: '/api/v1/checkouts',
			fields: [],
			photos: [],
			json: { code: '123456', deviceAt: '2026-12-07T01:00:00.000Z' }
		});
		await outbox.addDraft(draft('report', { photos: [new Blob(['JPEG'])] }));
		const seen: { url: string; type: string | null; body: unknown }[] = [];
		await outbox.replayOutbox(async (url, init) => {
			seen.push({
				url: String(url),
				type: new Headers(init?.headers).get('Content-Type'),
				body: init?.body
			});
			return answer(200);
		});
		expect(seen[0]).toEqual({
			url: '/api/v1/checkouts',
			type: 'application/json',
			body: '{"code":"123456","deviceAt":"2026-12-07T01:00:00.000Z"}'
		});
		expect(seen[1].url).toBe('/api/v1/reports');
		expect(seen[1].type).toBeNull(); // fetch sets the multipart boundary
		const form = seen[1].body as FormData;
		expect(form.get('category')).toBe('garbage');
		expect(form.getAll('photos')).toHaveLength(1);
	});

	it('gives up a send that hangs, keeps the draft waiting and goes on to the next', async () => {
		const photo = new Blob([new Uint8Array(400_000)]);
		expect(outbox.sendTimeoutMs({ fields: [], photos: [] })).toBe(30_000);
		expect(outbox.sendTimeoutMs({ fields: [], photos: [photo] })).toBe(80_000);
		await outbox.addDraft(draft('hangs', { photos: [photo] }));
		await outbox.addDraft(draft('next'));
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const seen: string[] = [];
			const pass = outbox.replayOutbox(async (_url, init) => {
				const key = new Headers(init?.headers).get('Idempotency-Key')!;
				seen.push(key);
				if (key === 'next') return answer(201);
				// A request that never answers, as on a link that went silent, until it is aborted.
				return new Promise<Response>((_resolve, reject) =>
					init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
				);
			});
			await vi.waitFor(() => expect(seen).toEqual(['hangs']));
			await vi.advanceTimersByTimeAsync(79_000);
			expect(seen).toEqual(['hangs']);
			await vi.advanceTimersByTimeAsync(1_000);
			const replay = await pass;
			expect(seen).toEqual(['hangs', 'next']);
			expect(replay.waiting).toBe(1);
			expect((await outbox.listDrafts()).map((d) => [d.key, d.state])).toEqual([
				['hangs', 'waiting']
			]);
		} finally {
			vi.useRealTimers();
		}
	});

	it('does not send a draft that a page is sending, and sends it once that send has failed', async () => {
		vi.stubGlobal('navigator', { locks: new FakeLocks() });
		try {
			const live = await outbox.addDraft(draft('live'));
			let dropLive: ((error: Error) => void) | undefined;
			// The report page's own send, on a slow link: no answer yet.
			const sending = outbox.sendDraft(
				live,
				async () => new Promise<Response>((_resolve, reject) => (dropLive = reject))
			);
			await vi.waitFor(() => expect(dropLive).toBeDefined());
			const passFetcher = vi.fn(async () => answer(201));
			// The network came back meanwhile, and a pass runs.
			let replay = await outbox.replayOutbox(passFetcher);
			expect(passFetcher).not.toHaveBeenCalled();
			expect(replay.waiting).toBe(1);
			// The page's send fails: the draft is free, and the next pass sends it.
			dropLive!(new TypeError('Failed to fetch'));
			expect((await sending).kind).toBe('retry');
			replay = await outbox.replayOutbox(passFetcher);
			expect(passFetcher).toHaveBeenCalledTimes(1);
			expect(replay.sent.map((d) => d.key)).toEqual(['live']);
		} finally {
			vi.unstubAllGlobals();
		}
	});

	it('sends each draft once when two passes are asked for at the same time', async () => {
		await outbox.addDraft(draft('once'));
		const fetcher = vi.fn(async () => answer(201));
		const [first, second] = await Promise.all([
			outbox.replayOutbox(fetcher),
			outbox.replayOutbox(fetcher)
		]);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(first).toBe(second);
	});

	it('keeps a draft added while a pass is sending', async () => {
		await outbox.addDraft(draft('first'));
		const replay = await outbox.replayOutbox(async () => {
			await outbox.addDraft(draft('meanwhile'));
			return answer(201);
		});
		expect(replay.sent.map((d) => d.key)).toEqual(['first']);
		expect((await outbox.listDrafts()).map((d) => d.key)).toEqual(['meanwhile']);
	});

	it('lists the drafts of one endpoint or several', async () => {
		await outbox.addDraft(draft('report'));
		await outbox.addDraft(draft('in', { endpoint: '/api/v1/checkins' }));
		await outbox.addDraft(draft('out', { endpoint: '/api/v1/checkouts' }));
		expect((await outbox.listDrafts()).map((d) => d.key)).toEqual(['report']);
		const scans = await outbox.listDrafts(['/api/v1/checkins', '/api/v1/checkouts']);
		expect(scans.map((d) => d.key).sort()).toEqual(['in', 'out']);
	});
});
