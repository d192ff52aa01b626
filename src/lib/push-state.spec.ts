import { describe, expect, it } from 'vitest';
import { PUSH_STATE_COOKIE, pushStateOf } from './push-state';

const jar = (value?: string) => ({
	get: (name: string) => (name === PUSH_STATE_COOKIE ? value : undefined)
});

describe('the push state a device kept', () => {
	it('is read back as kept, and as off when never checked or not one of ours', () => {
		for (const state of ['unsupported', 'off', 'on', 'denied'] as const)
			expect(pushStateOf(jar(state))).toBe(state);
		expect(pushStateOf(jar())).toBe('off');
		for (const forged of ['', 'ON', 'busy', '<script>', 'on; path=/'])
			expect(pushStateOf(jar(forged))).toBe('off');
	});
});
