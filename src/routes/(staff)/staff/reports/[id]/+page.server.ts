import { error, fail, redirect } from '@sveltejs/kit';
import { replySchema, revisitCheckSchema } from '$lib/domain/staff-input';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { ApiError } from '$lib/server/api/errors';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { staffPickers } from '$lib/server/reports/pickers';
import { getCase, isUuid } from '$lib/server/reports/queue';
import { discardPhoto, readTransition } from '$lib/server/reports/transition-input';
import { checkRevisit } from '$lib/server/reports/revisits';
import { addReply, applyTransition, caseInScope } from '$lib/server/reports/workflow';
import { errorMessage } from '$lib/i18n/errors';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const db = await getDb();
	try {
		const [report, pickers] = await Promise.all([
			getCase(db, user, event.params.id),
			staffPickers(db)
		]);
		return { report, departments: pickers.departments, moved: event.url.searchParams.get('moved') };
	} catch (e) {
		if (e instanceof ApiError) error(e.status, e.code);
		throw e;
	}
};

/** A refused move keeps what was typed and says why; a 409 shows the case as it is now. */
function refusal(e: ApiError, values: Record<string, string>) {
	return fail(e.status, {
		values,
		code: e.code,
		message: errorMessage(e.code),
		fields: fieldProblems(e.fields)
	});
}

export const actions: Actions = {
	move: async (event) => {
		const user = requirePage(event, 'staff.workbench');
		const id = event.params.id;
		if (!isUuid(id)) error(404, 'not_found');
		const request = event.request.clone();
		let values: Record<string, string> = {};
		try {
			values = formObject(await request.formData());
		} catch {
			values = {};
		}
		const db = await getDb();
		let updated;
		let input;
		try {
			input = await readTransition(event.request);
			updated = await applyTransition(db, user, id, input);
		} catch (e) {
			if (input) await discardPhoto(input);
			if (e instanceof ApiError) {
				if (e.status === 403 || e.status === 404) error(e.status, e.code);
				return refusal(e, values);
			}
			throw e;
		}
		// A department that returned the case no longer sees it: back to the queue then.
		const next = caseInScope(user, updated) ? `/staff/reports/${id}` : '/staff/queue';
		redirect(303, `${next}?moved=${values.action}`);
	},
	reply: async (event) => {
		const user = requirePage(event, 'staff.workbench');
		const id = event.params.id;
		if (!isUuid(id)) error(404, 'not_found');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(replySchema, values);
		if (!parsed.ok)
			return fail(400, {
				values,
				code: 'invalid_input',
				message: errorMessage('invalid_input'),
				fields: fieldProblems(parsed.fields)
			});
		try {
			await addReply(await getDb(), user, id, parsed.value);
		} catch (e) {
			if (e instanceof ApiError) {
				if (e.status === 403 || e.status === 404) error(e.status, e.code);
				return refusal(e, values);
			}
			throw e;
		}
		return { replied: true };
	},
	revisit: async (event) => {
		const user = requirePage(event, 'reports.verify');
		const id = event.params.id;
		if (!isUuid(id)) error(404, 'not_found');
		const values = formObject(await event.request.formData());
		const parsed = parseInput(revisitCheckSchema, values);
		const form = { ...values, action: 'revisit' };
		if (!parsed.ok)
			return fail(400, {
				values: form,
				code: 'invalid_input',
				message: errorMessage('invalid_input'),
				fields: fieldProblems(parsed.fields)
			});
		let result;
		try {
			result = await checkRevisit(await getDb(), user, id, parsed.value);
		} catch (e) {
			if (e instanceof ApiError) {
				if (e.status === 403 || e.status === 404) error(e.status, e.code);
				return refusal(e, form);
			}
			throw e;
		}
		return { revisited: result.outcome, newCase: result.newReport };
	}
};
