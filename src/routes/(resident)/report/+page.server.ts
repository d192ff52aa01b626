import { fail, redirect } from '@sveltejs/kit';
import { fieldProblems } from '$lib/i18n/labels';
import { errorMessage } from '$lib/i18n/errors';
import { getDb } from '$lib/server/db';
import { listCommunities } from '$lib/server/jurisdiction';
import { ReportError } from '$lib/server/reports/intake';
import {
	contentKey,
	ensureDevice,
	readReportForm,
	readSubmission,
	refillOf,
	reporterPath,
	senderOf,
	takeReport
} from '$lib/server/reports/http';
import { shareWithVisitors } from '$lib/server/http/shared-cache';
import { reportFormCategories } from '$lib/server/reports/public';
import { meToo } from '$lib/server/reports/reporter';
import { mapConfig } from '$lib/server/reports/map-config';
import { uuidPattern } from '$lib/server/shops/form';
import { getPublicShop } from '$lib/server/shops/shops';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	shareWithVisitors(event);
	const { url } = event;
	const db = await getDb();
	// `?shop=<id>`: the QR code on a shop's duty card (门前三包责任明白卡).
	const shopId = url.searchParams.get('shop') ?? '';
	const [categories, communities, map, shop] = await Promise.all([
		reportFormCategories(db),
		listCommunities(db),
		mapConfig(db),
		uuidPattern.test(shopId) ? getPublicShop(db, shopId) : null
	]);
	return {
		categories,
		communities,
		shop,
		map
	};
};

export const actions: Actions = {
	/** The plain form post (no JavaScript): multipart, then a redirect to the tracking page. */
	submit: async (event) => {
		let values: Record<string, string> = {};
		let choices: Record<string, string[]> = {};
		try {
			const form = await readReportForm(event.request);
			// The shared page carries no key; a refused form's page carries a fresh one.
			const submission = readSubmission(event, form, form.get('idempotencyKey'));
			submission.idempotencyKey ||= contentKey(senderOf(event), submission);
			({ values, choices } = refillOf(submission));
			const { report } = await takeReport(await getDb(), submission);
			redirect(303, `${reporterPath(report)}&new=1`);
		} catch (error) {
			if (!(error instanceof ReportError)) throw error;
			// A fresh key, so the corrected form is a new request.
			values.idempotencyKey = crypto.randomUUID();
			return fail(error.status, {
				values,
				choices,
				fields: fieldProblems(error.fields),
				message: error.fields ? null : errorMessage(error.code)
			});
		}
	},
	/** "我也遇到" on a nearby report: counts, follows, creates nothing. */
	metoo: async (event) => {
		const form = await event.request.formData();
		const code = String(form.get('trackingCode') ?? '').toUpperCase();
		try {
			await meToo(await getDb(), code, {
				userId: event.locals.user?.id ?? null,
				deviceId: ensureDevice(event)
			});
		} catch (error) {
			if (!(error instanceof ReportError)) throw error;
			return fail(error.status, {
				values: {},
				choices: {},
				fields: {},
				message: errorMessage(error.code)
			});
		}
		redirect(303, `/r/${code}?metoo=1`);
	}
};
