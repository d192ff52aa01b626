import { describe, expect, it } from 'vitest';
import {
	notificationText,
	storedNotificationText,
	type NotificationContent
} from './notifications';

const when = '2026-12-08 08:00–10:00';
/** One of every kind, so that a new kind without a sample fails to compile. */
const samples: { [K in NotificationContent['kind']]: Extract<NotificationContent, { kind: K }> } = {
	reminder_24h: { kind: 'reminder_24h', params: { hours: 24, post: '和平路口岗', when } },
	reminder_1h: {
		kind: 'reminder_1h',
		params: { hours: 1, activity: '垃圾分类宣传', place: '和平广场', when }
	},
	absence: { kind: 'absence', params: { name: '张三', post: '和平路口岗', when } },
	stand_in_request: { kind: 'stand_in_request', params: { post: '和平路口岗', when } },
	waitlist_promoted: {
		kind: 'waitlist_promoted',
		params: { post: '和平路口岗', postEn: 'Heping Road crossing', when }
	},
	shift_cancelled: { kind: 'shift_cancelled', params: { post: '和平路口岗', when } },
	activity_changed: {
		kind: 'activity_changed',
		params: { title: '垃圾分类宣传', when, place: '和平广场' }
	},
	activity_cancelled: {
		kind: 'activity_cancelled',
		params: { title: '垃圾分类宣传', when, reason: '暴雨' }
	},
	case_update: { kind: 'case_update', params: { code: 'K7M2Q9XD', stage: 'dispatched' } },
	case_merged: { kind: 'case_merged', params: { code: 'K7M2Q9XD', kept: 'H3P8R2WT' } },
	case_overdue: { kind: 'case_overdue', params: { code: 'K7M2Q9XD', stage: 'accepted' } },
	revisit_due: { kind: 'revisit_due', params: { code: 'K7M2Q9XD' } },
	cases_overdue: { kind: 'cases_overdue', params: { count: 12 } },
	revisits_due: { kind: 'revisits_due', params: { count: 3 } }
};

const han = /[\u4e00-\u9fff]/;
/** The text without the facts it was given (names stay as entered, in Chinese). */
function template(text: string, content: NotificationContent): string {
	let rest = text;
	for (const value of Object.values(content.params)) rest = rest.split(String(value)).join('');
	return rest;
}

describe('notification texts', () => {
	it.each(Object.values(samples))('$kind reads in Chinese and in English', (content) => {
		const zh = notificationText(content, 'zh-CN');
		const en = notificationText(content, 'en');
		expect(han.test(zh.title + zh.body)).toBe(true);
		// English words around the facts: no Chinese but the names themselves.
		expect(template(en.title, content)).not.toMatch(han);
		expect(template(en.body, content)).not.toMatch(han);
		expect(en.title).not.toBe(zh.title);
		// Each fact is in the text: English names in the English one, the others in the Chinese.
		for (const [key, value] of Object.entries(content.params))
			if (typeof value === 'string' && !/^[a-z_]+$/.test(value))
				expect(key.endsWith('En') ? en.body : zh.title + zh.body).toContain(value);
	});

	it('names a post by its English name where it has one', () => {
		const en = notificationText(samples.waitlist_promoted, 'en').body;
		expect(en).toBe(`You now have a place at Heping Road crossing, ${when}.`);
		expect(notificationText(samples.waitlist_promoted, 'zh-CN').body).toContain('和平路口岗');
		// Without one, the Chinese name.
		expect(notificationText(samples.shift_cancelled, 'en').body).toContain('和平路口岗');
	});

	it('names a case stage, a staff note and a revisit in the reader language', () => {
		expect(notificationText(samples.case_update, 'en').body).toBe('Now: Dispatched');
		expect(notificationText(samples.case_update, 'zh-CN').body).toBe('当前状态：已派遣');
		const note = {
			kind: 'case_update',
			params: { code: 'K7M2Q9XD', note: '已安排人员前往' }
		} as const;
		expect(notificationText(note, 'en').body).toBe('已安排人员前往');
		const reopened = {
			kind: 'case_update',
			params: { code: 'K7M2Q9XD', revisit: 'reopened', newCode: 'H3P8R2WT' }
		} as const;
		expect(notificationText(reopened, 'en').body).toContain('H3P8R2WT');
		expect(notificationText(reopened, 'en').body).not.toMatch(han);
		expect(notificationText(reopened, 'zh-CN').body).toMatch(han);
		// An activity is named with its meeting place, in the reader's brackets.
		expect(notificationText(samples.reminder_1h, 'en').body).toMatch(
			/^垃圾分类宣传 \(和平广场\), /
		);
		expect(notificationText(samples.reminder_1h, 'zh-CN').body).toMatch(
			/^垃圾分类宣传（和平广场） /
		);
	});

	it('counts the cases of a backlog pushed as one message', () => {
		expect(notificationText(samples.cases_overdue, 'zh-CN').title).toBe('12 件案件已超时限');
		expect(notificationText(samples.cases_overdue, 'en').title).toBe('12 cases are overdue');
		expect(notificationText(samples.revisits_due, 'en').title).toBe(
			'3 cases are due for their revisit'
		);
	});

	it('keeps the stored text of rows without facts, of unknown kinds and of facts that do not fit', () => {
		const stored = { title: '旧通知', body: '旧内容' };
		expect(storedNotificationText({ kind: 'case_update', params: null, ...stored }, 'en')).toEqual(
			stored
		);
		expect(storedNotificationText({ kind: 'retired_kind', params: {}, ...stored }, 'en')).toEqual(
			stored
		);
		expect(
			storedNotificationText(
				{ kind: 'case_overdue', params: { code: 'K7M2Q9XD', stage: 'nonsense' }, ...stored },
				'en'
			)
		).toEqual(stored);
		expect(storedNotificationText({ ...samples.case_merged, ...stored }, 'en').title).toContain(
			'was merged'
		);
	});
});
