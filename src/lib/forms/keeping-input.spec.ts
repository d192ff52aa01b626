import { describe, expect, it } from 'vitest';
import { keepingInput } from './keeping-input';

describe('keepingInput', () => {
	it('is busy from the send until the answer is applied, and never clears the fields', async () => {
		const seen: string[] = [];
		const submit = keepingInput((sending) => seen.push(sending ? 'busy' : 'idle'));
		const after = (submit as unknown as () => (o: unknown) => Promise<void>)();
		expect(seen).toEqual(['busy']);
		let applied: (() => void) | undefined;
		const done = after({
			update: (options: unknown) => {
				seen.push(`update ${JSON.stringify(options)}`);
				return new Promise<void>((resolve) => (applied = resolve));
			}
		});
		await Promise.resolve();
		expect(seen).toEqual(['busy', 'update {"reset":false}']);
		applied!();
		await done;
		expect(seen).toEqual(['busy', 'update {"reset":false}', 'idle']);
	});
});
