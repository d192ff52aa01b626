import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushOutbox, queuedScans, queueScan, refusedScans, type QueuedScan } from './outbox';

// The page's storage and network state, as a phone has them (the e2e test uses a real browser).
class MemoryStorage {
	private items = new Map<string, string>();
	getItem = (key: string) => this.items.get(key) ?? null;
	setItem = (key: string, value: string) => void this.items.set(key, value);
	removeItem = (key: string) => void this.items.delete(key);
}

const scan = (code: string, kind: 'in' | 'out' = 'in'): QueuedScan => ({
	kind,
	code,
	deviceAt: '2026-12-07T01:00:00.000Z'
});

function answer(status: number, body: unknown = {}) {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'Content-Type': 'application/json' }
	});
}

beforeEach(() => {
	Object.assign(globalThis, { localStorage: new MemoryStorage() });
	Object.defineProperty(globalThis, 'navigator', {
		value: { onLine: true },
		configurable: true
	});
});
afterEach(() => {
	Reflect.deleteProperty(globalThis, 'localStorage');
});

describe('the offline check-in queue', () => {
	it('sends in order, keeps what did not arrive, and keeps a refusal with its message', async () => {
		for (const code of ['111111', '222222', '333333', '444444']) queueScan(scan(code));
		const sentCodes: string[] = [];
		const sent = await flushOutbox(async (url, init) => {
			const { code } = JSON.parse(String(init?.body)) as { code: string };
			sentCodes.push(code);
			expect(url).toBe('/api/v1/checkins');
			if (code === '111111') return answer(200, { post: '岗点' });
			if (code === '222222')
				return answer(400, { error: { code: 'invalid_code', message: '签到码无效或已过期。' } });
			if (code === '333333') return answer(503);
			throw new TypeError('Failed to fetch');
		});
		expect(sent).toBe(1);
		expect(sentCodes).toEqual(['111111', '222222', '333333', '444444']);
		expect(queuedScans().map((s) => s.code)).toEqual(['333333', '444444']);
		expect(refusedScans()).toEqual([{ ...scan('222222'), message: '签到码无效或已过期。' }]);
	});

	it('keeps a scan queued while the queue was being sent, and sends each scan once', async () => {
		queueScan(scan('111111'));
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const calls: string[] = [];
		const fetcher = async (_url: RequestInfo | URL, init?: RequestInit) => {
			calls.push(JSON.parse(String(init?.body)).code);
			await held;
			return answer(200);
		};
		const first = flushOutbox(fetcher);
		const second = flushOutbox(fetcher);
		await Promise.resolve();
		queueScan(scan('222222', 'out'));
		release();
		expect(await first).toBe(1);
		expect(await second).toBe(1);
		expect(calls).toEqual(['111111']);
		expect(queuedScans()).toEqual([scan('222222', 'out')]);
	});

	it('sends nothing while the phone is offline', async () => {
		queueScan(scan('111111'));
		Object.defineProperty(globalThis, 'navigator', {
			value: { onLine: false },
			configurable: true
		});
		expect(await flushOutbox(() => Promise.reject(new Error('no network')))).toBe(0);
		expect(queuedScans()).toHaveLength(1);
	});
});
