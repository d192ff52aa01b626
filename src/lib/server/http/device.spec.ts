import { describe, expect, it } from 'vitest';
import { looksLikePhone } from './device';

const ANDROID_CHROME =
	'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36';
const IPHONE_SAFARI =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_TABLET =
	'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36';
const DESKTOP_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('looksLikePhone', () => {
	it('believes Chromium’s mobile client hint over the user agent', () => {
		expect(
			looksLikePhone(headers({ 'sec-ch-ua-mobile': '?1', 'user-agent': DESKTOP_FIREFOX }))
		).toBe(true);
		expect(
			looksLikePhone(headers({ 'sec-ch-ua-mobile': '?0', 'user-agent': ANDROID_CHROME }))
		).toBe(false);
	});

	it('falls back to "Mobi" in the user agent', () => {
		expect(looksLikePhone(headers({ 'user-agent': ANDROID_CHROME }))).toBe(true);
		expect(looksLikePhone(headers({ 'user-agent': IPHONE_SAFARI }))).toBe(true);
		expect(looksLikePhone(headers({ 'user-agent': ANDROID_TABLET }))).toBe(false);
		expect(looksLikePhone(headers({ 'user-agent': DESKTOP_FIREFOX }))).toBe(false);
		expect(looksLikePhone(headers({}))).toBe(false);
	});
});
