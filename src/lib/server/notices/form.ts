import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { noticeSchema } from '$lib/domain/notices';
import { formObject, parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { requireDepartmentPage } from '../auth/department';
import { getDb } from '../db';
import { PUBLISHER_DEPARTMENT, saveNotice } from './notices';

/** Only 基层党建办 staff and admins reach the notice pages. */
export async function requirePublisher(event: RequestEvent) {
	return requireDepartmentPage(event, await getDb(), 'notices.publish', PUBLISHER_DEPARTMENT);
}

/** The save action of the new and edit pages: values come back on a problem. */
export async function saveNoticeAction(event: RequestEvent, id: string | null) {
	const user = await requirePublisher(event);
	const values = formObject(await event.request.formData());
	const parsed = parseInput(noticeSchema, values);
	if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
	const saved = await saveNotice(await getDb(), id, parsed.value, user);
	if (!saved) return fail(404, { values, fields: {} });
	redirect(303, `/staff/notices?saved=${saved}`);
}
