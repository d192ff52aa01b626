import { AsyncLocalStorage } from 'node:async_hooks';
import {
	extractLocaleFromRequest,
	getServerAsyncLocalStorage,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';

/*
 * Paraglide's per-request locale, without its middleware. The middleware builds a new Request and
 * then a clone of it for every request (a report's photos included, unless it is handed a copy
 * without the body), only to read the cookie and Accept-Language. That was a few percent of report
 * intake's time. Messages read the locale from the same store the middleware would fill.
 */

function localeStorage() {
	let storage = getServerAsyncLocalStorage();
	if (!storage) {
		storage = new AsyncLocalStorage();
		overwriteServerAsyncLocalStorage(storage);
	}
	return storage;
}

/** Runs `work` with the request's locale (cookie, then Accept-Language, then Chinese) in effect. */
export function withRequestLocale<T>(
	request: Request,
	origin: string,
	work: (locale: Locale) => T
): T {
	const locale = extractLocaleFromRequest(request);
	return localeStorage().run({ locale, origin, messageCalls: new Set() }, () => work(locale));
}
