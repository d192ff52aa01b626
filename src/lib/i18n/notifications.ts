import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';
import type { Stage } from '$lib/domain/stages';
import { localName } from './labels';
import { revisitNote, type RevisitFinding } from './revisit-notes';
import { stageLabel as residentStageLabel } from './report-labels';
import { stageLabel } from './workflow-labels';

/** A post by its name, and its English name where it has one. */
type Post = { post: string; postEn?: string | null };
type Shift = Post & { when: string };
type Reminder = { hours: number; when: string } & (Post | { activity: string; place: string });
/** A case's public change: its new stage, a note staff wrote, or a revisit's outcome. */
export type CaseUpdate = { stage: Stage } | { note: string } | RevisitFinding;

/**
 * The facts each kind of notification keeps. Names stay as entered; a post's English name is kept
 * beside it where it has one.
 */
interface Facts {
	reminder_24h: Reminder;
	reminder_1h: Reminder;
	absence: Shift & { name: string };
	stand_in_request: Shift;
	waitlist_promoted: Shift;
	shift_cancelled: Shift;
	activity_changed: { title: string; when: string; place: string };
	activity_cancelled: { title: string; when: string; reason: string };
	case_update: { code: string } & CaseUpdate;
	case_merged: { code: string; kept: string };
	case_overdue: { code: string; stage: Stage };
	revisit_due: { code: string };
	/** Pushed only, never stored: one run's several overdue cases or revisits, as one message. */
	cases_overdue: { count: number };
	revisits_due: { count: number };
}
type Kind = keyof Facts;

/**
 * What a notification says, kept as its kind and its facts, so that each reader gets it in the
 * language of the page that shows it.
 */
export type NotificationContent = { [K in Kind]: { kind: K; params: Facts[K] } }[Kind];

/** A notification as a page shows it: its text in the page's language, new if not seen before. */
export interface NotificationView {
	id: string;
	title: string;
	body: string;
	link: string | null;
	at: string;
	unread: boolean;
}

type Options = { locale: Locale };
type Text = { title: string; body: string };

const postName = (p: Post, locale: Locale) => localName({ name: p.post, nameEn: p.postEn }, locale);

const shiftPlace = (p: Reminder, locale: Locale) =>
	'post' in p
		? postName(p, locale)
		: locale === 'en'
			? `${p.activity} (${p.place})`
			: `${p.activity}（${p.place}）`;

const reminder = (p: Reminder, o: Options): Text => ({
	title:
		p.hours === 1
			? m.duty_notify_reminder_soon_title({}, o)
			: m.duty_notify_reminder_title({ hours: p.hours }, o),
	body: m.duty_notify_reminder_body({ post: shiftPlace(p, o.locale), when: p.when }, o)
});

const texts: { [K in Kind]: (params: Facts[K], options: Options) => Text } = {
	reminder_24h: reminder,
	reminder_1h: reminder,
	absence: (p, o) => ({
		title: m.duty_notify_absent_title({}, o),
		body: m.duty_notify_absent_body({ ...p, post: postName(p, o.locale) }, o)
	}),
	stand_in_request: (p, o) => ({
		title: m.duty_notify_standin_title({}, o),
		body: m.duty_notify_standin_body({ post: postName(p, o.locale), when: p.when }, o)
	}),
	waitlist_promoted: (p, o) => ({
		title: m.duty_notify_promoted_title({}, o),
		body: m.duty_notify_promoted_body({ post: postName(p, o.locale), when: p.when }, o)
	}),
	shift_cancelled: (p, o) => ({
		title: m.duty_notify_cancelled_title({}, o),
		body: m.duty_notify_cancelled_body({ post: postName(p, o.locale), when: p.when }, o)
	}),
	activity_changed: (p, o) => ({
		title: m.activities_notify_changed_title({}, o),
		body: m.activities_notify_changed_body(p, o)
	}),
	activity_cancelled: (p, o) => ({
		title: m.activities_notify_cancelled_title({}, o),
		body: m.activities_notify_cancelled_body(p, o)
	}),
	case_update: (p, o) => ({
		title: m.staff_notify_update_title({ code: p.code }, o),
		body: caseUpdateText(p, o)
	}),
	case_merged: (p, o) => ({
		title: m.staff_notify_merged_title({ code: p.code }, o),
		body: m.staff_notify_merged_body({ kept: p.kept }, o)
	}),
	case_overdue: (p, o) => ({
		title: m.staff_notify_overdue_title({ code: p.code }, o),
		body: m.staff_notify_overdue_body({ stage: stageLabel[p.stage]({}, o) }, o)
	}),
	revisit_due: (p, o) => ({
		title: m.staff_notify_revisit_title({ code: p.code }, o),
		body: m.staff_notify_revisit_body({}, o)
	}),
	cases_overdue: (p, o) => ({
		title: m.staff_notify_overdue_many_title(p, o),
		body: m.staff_notify_overdue_many_body({}, o)
	}),
	revisits_due: (p, o) => ({
		title: m.staff_notify_revisit_many_title(p, o),
		body: m.staff_notify_revisit_many_body({}, o)
	})
};

function caseUpdateText(update: CaseUpdate, o: Options): string {
	// A note staff wrote for the public is shown as written.
	if ('note' in update) return update.note;
	if ('stage' in update)
		return m.staff_notify_update_body({ stage: residentStageLabel[update.stage]({}, o) }, o);
	return revisitNote(update, o.locale);
}

export function notificationText(content: NotificationContent, locale: Locale): Text {
	const text = texts[content.kind] as (params: unknown, options: Options) => Text;
	return text(content.params, { locale });
}

/**
 * A stored notification's text in the reader's language. Rows from before the facts were kept
 * (no params), and any whose facts do not fit their kind, keep the Chinese text they were stored
 * with.
 */
export function storedNotificationText(
	row: { kind: string; params: unknown; title: string; body: string },
	locale: Locale
): Text {
	const stored = { title: row.title, body: row.body };
	if (!(row.kind in texts) || typeof row.params !== 'object' || row.params === null) return stored;
	try {
		return notificationText(row as NotificationContent, locale);
	} catch {
		return stored;
	}
}
