import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { appSecret } from './config';

/*
 * The one place for keys and field encryption of personal contacts (residents' feedback phones,
 * shop owners' phones). Every key derives from APP_SECRET with its own label. AES-256-GCM; the
 * stored text is `v1.<iv>.<ciphertext>.<tag>` in base64url.
 */

const VERSION = 'v1';

/** A 32-byte key for one purpose, derived from APP_SECRET. */
export function derivedKey(label: string): Buffer {
	return createHmac('sha256', appSecret()).update(`jiexiang:${label}`).digest();
}

function key(purpose: string): Buffer {
	return derivedKey(`${purpose}:${VERSION}`);
}

export function encrypt(plain: string, purpose = 'contact'): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key(purpose), iv);
	const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	return [
		VERSION,
		...[iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'))
	].join('.');
}

/** The plain text, or null when the text was made with another key or tampered with. */
export function decrypt(stored: string, purpose = 'contact'): string | null {
	const [version, iv, ciphertext, tag] = stored.split('.');
	if (version !== VERSION || !iv || !ciphertext || !tag) return null;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key(purpose), Buffer.from(iv, 'base64url'));
		decipher.setAuthTag(Buffer.from(tag, 'base64url'));
		return Buffer.concat([
			decipher.update(Buffer.from(ciphertext, 'base64url')),
			decipher.final()
		]).toString('utf8');
	} catch {
		return null;
	}
}

/** 13812345678 → 138****5678; shorter contacts keep only their last two characters. */
export function mask(contact: string): string {
	const s = contact.trim();
	if (/^\d{11}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(7)}`;
	if (s.length <= 2) return '*'.repeat(s.length);
	return '*'.repeat(s.length - 2) + s.slice(-2);
}
