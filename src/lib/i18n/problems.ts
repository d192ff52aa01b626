import { m } from '$lib/paraglide/messages.js';
import { fieldMessage } from './errors';

/** Problem codes of the notices, shops and campaigns forms, and the shared ones. */
const own: Record<string, () => string> = {
	notices_date: m.notices_date,
	notices_window: m.notices_window,
	notices_too_long: m.notices_too_long
};

export function problemText(code: string): string {
	return own[code]?.() ?? fieldMessage(code);
}

export function problemTexts(fields: Record<string, string> | undefined): Record<string, string> {
	return Object.fromEntries(Object.entries(fields ?? {}).map(([k, c]) => [k, problemText(c)]));
}
