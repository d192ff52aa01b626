/**
 * Whether a request comes from a phone, for what the first paint should look like before the
 * page's script can measure the screen. Chromium says so in a client hint it sends by default;
 * other browsers put "Mobi" in the user agent of their phone builds (MDN's advice). A wrong guess
 * costs only a late re-layout, which the page makes anyway once it runs.
 */
export function looksLikePhone(headers: Headers): boolean {
	const hint = headers.get('sec-ch-ua-mobile');
	if (hint !== null) return hint.trim() === '?1';
	return /Mobi/.test(headers.get('user-agent') ?? '');
}
