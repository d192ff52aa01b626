import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { replayScheduler } from './replay';

/** A pass that answers only when the test says so, counting how often it was started. */
function controlledPass() {
	const answers: ((waiting: number) => void)[] = [];
	const pass = vi.fn(
		() => new Promise<{ waiting: number }>((done) => answers.push((waiting) => done({ waiting })))
	);
	return { pass, answer: (waiting: number) => answers.shift()!(waiting) };
}

describe('replayScheduler', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('tries again on a back-off of 5 s, then 10 s, while drafts wait', async () => {
		const { pass, answer } = controlledPass();
		const { run } = replayScheduler(pass);
		void run();
		answer(1);
		await vi.advanceTimersByTimeAsync(4_999);
		expect(pass).toHaveBeenCalledTimes(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(pass).toHaveBeenCalledTimes(2);
		answer(1);
		await vi.advanceTimersByTimeAsync(9_999);
		expect(pass).toHaveBeenCalledTimes(2);
		await vi.advanceTimersByTimeAsync(1);
		expect(pass).toHaveBeenCalledTimes(3);
		answer(0);
		await vi.advanceTimersByTimeAsync(3_600_000);
		expect(pass).toHaveBeenCalledTimes(3);
	});

	it('runs another pass at once when the network comes back during a failing one', async () => {
		const { pass, answer } = controlledPass();
		const { run } = replayScheduler(pass);
		void run();
		// The `online` event, while the first pass (begun offline) is still out.
		void run(true);
		expect(pass).toHaveBeenCalledTimes(1);
		answer(1);
		await vi.advanceTimersByTimeAsync(0);
		expect(pass).toHaveBeenCalledTimes(2);
		answer(0);
		await vi.advanceTimersByTimeAsync(3_600_000);
		expect(pass).toHaveBeenCalledTimes(2);
	});

	it('starts the back-off again from 5 s when asked afresh', async () => {
		const { pass, answer } = controlledPass();
		const { run } = replayScheduler(pass);
		void run();
		answer(1);
		await vi.advanceTimersByTimeAsync(5_000);
		answer(1); // the next wait would be 10 s
		await vi.advanceTimersByTimeAsync(0);
		void run(true);
		answer(1);
		await vi.advanceTimersByTimeAsync(4_999);
		expect(pass).toHaveBeenCalledTimes(3);
		await vi.advanceTimersByTimeAsync(1);
		expect(pass).toHaveBeenCalledTimes(4);
	});

	it('counts a pass that throws as one with drafts waiting', async () => {
		const pass = vi.fn().mockRejectedValueOnce(new Error('locks gone')).mockResolvedValue({
			waiting: 0
		});
		const { run } = replayScheduler(pass);
		await run();
		await vi.advanceTimersByTimeAsync(5_000);
		expect(pass).toHaveBeenCalledTimes(2);
	});
});
