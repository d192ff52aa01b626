import {
	createCipheriv,
	createDecipheriv,
	createHash,
	createHmac,
	randomBytes,
	timingSafeEqual
} from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { appSecret } from '../config';
import { TRACKING_ALPHABET } from '$lib/domain/reporting';

/*
 * Secrets of reporting: the encrypted feedback phone, the reporter's secret link and the device
 * cookie. Every key derives from APP_SECRET with its own label.
 */

function derivedKey(label: string): Buffer {
	return createHmac('sha256', appSecret()).update(`jiexiang:${label}`).digest();
}

const PHONE_VERSION = 'v1';

/** AES-256-GCM; the stored text is `v1.<iv>.<ciphertext>.<tag>` in base64url. */
export function encryptPhone(phone: string): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', derivedKey('phone-encryption:v1'), iv);
	const ciphertext = Buffer.concat([cipher.update(phone, 'utf8'), cipher.final()]);
	const tag = cipher.getAuthTag();
	return [PHONE_VERSION, iv, ciphertext, tag]
		.map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
		.join('.');
}

/** The phone, or null if the text was not made with this APP_SECRET (or was tampered with). */
export function decryptPhone(stored: string): string | null {
	const [version, iv, ciphertext, tag] = stored.split('.');
	if (version !== PHONE_VERSION || !iv || !ciphertext || !tag) return null;
	try {
		const decipher = createDecipheriv(
			'aes-256-gcm',
			derivedKey('phone-encryption:v1'),
			Buffer.from(iv, 'base64url')
		);
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([
			decipher.update(Buffer.from(ciphertext, 'base64url')),
			decipher.final()
		]).toString('utf8');
	} catch {
		return null;
	}
}

/** The reporter's secret link token: an HMAC of the report id, so nothing secret is stored. */
export function reporterToken(reportId: string): string {
	const mac = createHmac('sha256', derivedKey('reporter-link:v1')).update(reportId).digest();
	return encodeBase32LowerCaseNoPadding(mac.subarray(0, 20));
}

export function verifyReporterToken(reportId: string, token: string | null | undefined): boolean {
	if (!token) return false;
	const expected = Buffer.from(reporterToken(reportId));
	const given = Buffer.from(token);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A fresh anonymous device id for the device cookie. */
export function newDeviceId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

/** What the database keeps of a device id. */
export function deviceHash(deviceId: string): string {
	return createHash('sha256').update(`device:${deviceId}`).digest('hex');
}

/** A random tracking code (8 characters of TRACKING_ALPHABET). */
export function newTrackingCode(): string {
	const bytes = randomBytes(8);
	let code = '';
	// 31 letters: modulo bias of 256 % 31 is negligible for a public lookup code.
	for (const b of bytes) code += TRACKING_ALPHABET[b % TRACKING_ALPHABET.length];
	return code;
}
