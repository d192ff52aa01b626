import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { decrypt, derivedKey, encrypt } from '../crypto';
import { TRACKING_ALPHABET } from '$lib/domain/reporting';

/*
 * Secrets of reporting: the encrypted feedback phone, the reporter's secret link and the device
 * cookie. Keys and encryption come from ../crypto.
 */

const PHONE_PURPOSE = 'phone-encryption';

/** The feedback phone, encrypted with the shared field encryption. */
export function encryptPhone(phone: string): string {
	return encrypt(phone, PHONE_PURPOSE);
}

/** The phone, or null if the text was not made with this APP_SECRET (or was tampered with). */
export function decryptPhone(stored: string): string | null {
	return decrypt(stored, PHONE_PURPOSE);
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
