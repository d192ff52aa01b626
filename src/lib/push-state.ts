/*
 * What a device last found of Web Push (no support, off, on, or blocked), kept in a cookie: the
 * server draws the push switch as it was, so it does not appear or change size once the page's
 * script has asked the browser, moving what is below it under the reader's finger.
 */

export const PUSH_STATE_COOKIE = 'jx-push';

const pushStates = ['unsupported', 'off', 'on', 'denied'] as const;
export type PushState = (typeof pushStates)[number];

/** The state a cookie holds; a device that never checked is drawn with the switch off. */
export function pushStateOf(cookies: { get(name: string): string | undefined }): PushState {
	const value = cookies.get(PUSH_STATE_COOKIE);
	return pushStates.find((state) => state === value) ?? 'off';
}

/** Keeps what this device found for a year (it is read again on each visit). */
export function rememberPushState(state: PushState) {
	const secure = location.protocol === 'https:' ? '; secure' : '';
	document.cookie = `${PUSH_STATE_COOKIE}=${state}; path=/; max-age=31536000; samesite=lax${secure}`;
}
