import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, mask } from './crypto';

describe('field encryption', () => {
	it('round-trips and never stores the plain text', () => {
		const stored = encrypt('13812345678');
		expect(stored).not.toContain('13812345678');
		expect(stored.startsWith('v1.')).toBe(true);
		expect(decrypt(stored)).toBe('13812345678');
	});

	it('uses a fresh IV each time', () => {
		expect(encrypt('13812345678')).not.toBe(encrypt('13812345678'));
	});

	it('refuses tampered text and another purpose key', () => {
		const stored = encrypt('13812345678');
		const parts = stored.split('.');
		const bytes = Buffer.from(parts[2], 'base64url');
		bytes[0] ^= 1;
		parts[2] = bytes.toString('base64url');
		expect(decrypt(parts.join('.'))).toBeNull();
		expect(decrypt(stored, 'other')).toBeNull();
		expect(decrypt('garbage')).toBeNull();
	});

	it('masks phones and other contacts', () => {
		expect(mask('13812345678')).toBe('138****5678');
		expect(mask('0551-1234567')).toBe('**********67');
		expect(mask('ab')).toBe('**');
	});
});
