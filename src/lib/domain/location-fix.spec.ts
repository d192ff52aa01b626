import { describe, expect, it } from 'vitest';
import { takesFix } from './location-fix';

describe('takesFix', () => {
	it('takes the first fix, and later ones only when more accurate', () => {
		expect(takesFix({ byHand: false, accuracyM: null }, 800)).toBe(true);
		expect(takesFix({ byHand: false, accuracyM: 150 }, 20)).toBe(true);
		expect(takesFix({ byHand: false, accuracyM: 20 }, 20)).toBe(false);
		expect(takesFix({ byHand: false, accuracyM: 20 }, 65)).toBe(false);
	});

	it('never moves a pin the resident placed by hand', () => {
		expect(takesFix({ byHand: true, accuracyM: null }, 5)).toBe(false);
		expect(takesFix({ byHand: true, accuracyM: 150 }, 5)).toBe(false);
	});

	it('ignores a fix with no usable accuracy', () => {
		expect(takesFix({ byHand: false, accuracyM: null }, Number.NaN)).toBe(false);
		expect(takesFix({ byHand: false, accuracyM: null }, -1)).toBe(false);
	});
});
