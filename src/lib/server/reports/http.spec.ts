import { describe, expect, it } from 'vitest';
import { refillOf } from './http';

describe('refillOf', () => {
	it('keeps every value of a multi-choice answer and never the phone number', () => {
		const sent = new Map([
			['category', ['construction-noise']],
			['construction-noise.q_time_of_day', ['day', 'night']],
			['phone', ['13912345678']]
		]);
		const refill = refillOf({
			fields: Object.fromEntries([...sent].map(([name, all]) => [name, all[0]])),
			getAll: (name) => sent.get(name) ?? []
		});
		expect(refill.values).toEqual({
			category: 'construction-noise',
			'construction-noise.q_time_of_day': 'day'
		});
		expect(refill.choices).toEqual({ 'construction-noise.q_time_of_day': ['day', 'night'] });
	});
});
