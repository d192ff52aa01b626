import { error, fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { isTrackingCode, ratings } from '$lib/domain/reporting';
import { errorMessage } from '$lib/i18n/errors';
import { getLocale } from '$lib/paraglide/runtime.js';
import { fieldProblems } from '$lib/i18n/labels';
import { getDb } from '$lib/server/db';
import { readDevice } from '$lib/server/reports/http';
import { ReportError } from '$lib/server/reports/intake';
import { publicReport } from '$lib/server/reports/public';
import {
	feedbackState,
	isReporter,
	rateReport,
	reopenReport,
	type Viewer
} from '$lib/server/reports/reporter';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function findReport(code: string) {
	const upper = code.toUpperCase();
	const report = isTrackingCode(upper)
		? await publicReport(await getDb(), upper, getLocale())
		: null;
	if (!report) error(404, 'not_found');
	return report;
}

function viewerOf(event: Pick<RequestEvent, 'locals' | 'cookies'>, token: string | null): Viewer {
	return { userId: event.locals.user?.id ?? null, deviceId: readDevice(event.cookies), token };
}

export const load: PageServerLoad = async (event) => {
	const report = await findReport(event.params.code);
	const token = event.url.searchParams.get('key');
	const db = await getDb();
	const reporter = await isReporter(db, report.id, viewerOf(event, token));
	const feedback = reporter ? await feedbackState(db, report.id) : null;
	const { id: _id, ...view } = report;
	return {
		report: view,
		reporter,
		key: reporter && token ? token : null,
		isNew: event.url.searchParams.has('new'),
		meTooDone: event.url.searchParams.has('metoo'),
		feedback: feedback
			? {
					open: feedback.open,
					until: feedback.until?.toISOString() ?? null,
					rating: feedback.rating
				}
			: null
	};
};

const rateSchema = v.object({
	rating: v.picklist(ratings, 'choice'),
	key: v.optional(v.string(), '')
});
const reopenSchema = v.object({
	reason: v.pipe(
		v.string('required'),
		v.trim(),
		v.minLength(1, 'required'),
		v.maxLength(500, 'too_long')
	),
	key: v.optional(v.string(), '')
});

async function feedbackAction(event: RequestEvent, kind: 'rate' | 'reopen') {
	const report = await findReport(event.params.code);
	const values = Object.fromEntries(
		[...(await event.request.formData())].filter(([, x]) => typeof x === 'string')
	) as Record<string, string>;
	const parsed = v.safeParse(kind === 'rate' ? rateSchema : reopenSchema, values);
	if (!parsed.success) {
		const field = kind === 'rate' ? 'rating' : 'reason';
		return fail(400, {
			kind,
			values,
			fields: fieldProblems({ [field]: parsed.issues[0].message }),
			message: null as string | null
		});
	}
	const viewer = viewerOf(event, values.key || null);
	try {
		if (kind === 'rate')
			await rateReport(await getDb(), report.id, viewer, values.rating as (typeof ratings)[number]);
		else await reopenReport(await getDb(), report.id, viewer, values.reason);
	} catch (e) {
		if (!(e instanceof ReportError)) throw e;
		return fail(e.status, {
			kind,
			values,
			fields: fieldProblems(e.fields),
			message: errorMessage(e.code)
		});
	}
	const query = new URLSearchParams({ done: kind, ...(values.key ? { key: values.key } : {}) });
	redirect(303, `/r/${report.trackingCode}?${query}`);
}

export const actions: Actions = {
	rate: (event) => feedbackAction(event, 'rate'),
	reopen: (event) => feedbackAction(event, 'reopen')
};
