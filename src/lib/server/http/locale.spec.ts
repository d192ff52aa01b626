import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { withRequestLocale } from './locale';

const request = (headers: Record<string, string>) =>
	new Request('http://jiexiang.test/api/v1/reports', { method: 'POST', headers });

describe('withRequestLocale', () => {
	it('takes the cookie first, then Accept-Language, then Chinese', () => {
		const cases: [Record<string, string>, string][] = [
			[{ cookie: 'a=1; PARAGLIDE_LOCALE=en', 'accept-language': 'zh-CN' }, 'en'],
			[{ cookie: 'PARAGLIDE_LOCALE=zh-CN', 'accept-language': 'en-US,en' }, 'zh-CN'],
			[{ 'accept-language': 'en-GB,en;q=0.9' }, 'en'],
			[{ cookie: 'PARAGLIDE_LOCALE=fr', 'accept-language': 'fr-FR' }, 'zh-CN'],
			[{}, 'zh-CN']
		];
		for (const [headers, expected] of cases)
			expect(
				withRequestLocale(request(headers), 'http://jiexiang.test', (locale) => [
					locale,
					getLocale()
				])
			).toEqual([expected, expected]);
	});

	it('keeps each request to its own locale while both are waiting', async () => {
		const messageAfterAWait = (language: string) =>
			withRequestLocale(request({ 'accept-language': language }), 'http://x.test', async () => {
				await new Promise((done) => setTimeout(done, 10));
				return m.error_not_found();
			});
		const [english, chinese] = await Promise.all([
			messageAfterAWait('en'),
			messageAfterAWait('zh-CN')
		]);
		expect(english).not.toBe(chinese);
		expect(english).toMatch(/[a-z]/i);
		expect(chinese).toMatch(/[\u4e00-\u9fff]/);
	});

	it('does not read or lock the body', async () => {
		const post = new Request('http://x.test/', { method: 'POST', body: 'photo bytes' });
		withRequestLocale(post, 'http://x.test', () => null);
		expect(post.bodyUsed).toBe(false);
		expect(await post.text()).toBe('photo bytes');
	});
});
