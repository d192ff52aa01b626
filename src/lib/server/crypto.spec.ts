import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, mask } from './crypto';
import { decryptPhone, encryptPhone, reporterToken } from './reports/secrets';

// Set before the first key is derived (the secret is read once per test file).
process.env.APP_SECRET = 'test-vector-secret';

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

	it('still reads what was stored before the report secrets shared this module', () => {
		// Made under APP_SECRET=test-vector-secret by the separate implementations that were merged.
		expect(decryptPhone('v1.Q9a9XWStkjF2B2RL.SFUTTQaxFrsVjIo.QoQhHCgH8IgqVAcSOdADbg')).toBe(
			'13912345678'
		);
		expect(decrypt('v1.PKyv4zGNaftrMLWS.xrdbDcp9VqNb4PzF.DH7r_W-nM9MPFOjhFw3gdQ')).toBe(
			'0551-1234567'
		);
		expect(reporterToken('00000000-0000-4000-8000-000000000001')).toBe(
			'rla2wruzip5ojqivz6kqbn7cqwao3bv7'
		);
	});

	it('keeps a phone key apart from the contact key', () => {
		const phone = encryptPhone('13912345678');
		expect(decrypt(phone, 'phone-encryption')).toBe('13912345678');
		expect(decrypt(phone)).toBeNull();
		expect(decryptPhone(encrypt('13912345678'))).toBeNull();
	});
});
