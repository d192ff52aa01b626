import { m } from '$lib/paraglide/messages.js';
import { fieldMessage } from './errors';

/** Problem codes of the notices, shops and campaigns forms, and the shared ones. */
const own: Record<string, () => string> = {
	notices_date: m.notices_date,
	notices_window: m.notices_window,
	notices_too_long: m.notices_too_long,
	shops_too_long: m.shops_too_long,
	shops_coordinate: m.shops_coordinate,
	shops_contact: m.shops_contact,
	shops_community: m.shops_community,
	shops_duplicate: m.shops_duplicate,
	shops_headers: m.shops_headers,
	shops_empty: m.shops_empty,
	campaign_date: m.campaign_date,
	campaign_dates: m.campaign_dates,
	campaign_no_shops: m.campaign_no_shops,
	campaign_photo_required: m.campaign_photo_required,
	campaign_closed: m.campaign_closed,
	compounds_name_taken: m.compounds_name_taken,
	activity_times: m.activity_times,
	activity_past: m.activity_past,
	below_booked: m.activity_below_booked,
	activity_overlap: m.activity_overlap
};

export function problemText(code: string): string {
	return own[code]?.() ?? fieldMessage(code);
}

export function problemTexts(fields: Record<string, string> | undefined): Record<string, string> {
	return Object.fromEntries(Object.entries(fields ?? {}).map(([k, c]) => [k, problemText(c)]));
}
