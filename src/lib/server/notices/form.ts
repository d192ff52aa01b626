import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { noticeSchema } from '$lib/domain/notices';
import { formObject, parseInput } from '$lib/domain/validation';
import { problemTexts } from '$lib/i18n/problems';
import { requireDepartmentPage } from '../auth/department';
import { getDb } from '../db';
import { PUBLISHER_DEPARTMENT, saveNoticeWithCover } from './notices';

/** Only 基层党建办 staff and admins reach the notice pages. */
export async function requirePublisher(event: RequestEvent) {
	return requireDepartmentPage(event, await getDb(), 'notices.publish', PUBLISHER_DEPARTMENT);
}

/**
 * The save action of the new and edit pages (a multipart form, so it works without JavaScript):
 * values come back on a problem; the chosen file cannot, so the page asks for it again.
 */
export async function saveNoticeAction(event: RequestEvent, id: string | null) {
	const user = await requirePublisher(event);
	const form = await event.request.formData();
	const values = formObject(form);
	const parsed = parseInput(noticeSchema, values);
	if (!parsed.ok) return fail(400, { values, fields: problemTexts(parsed.fields) });
	const file = form.get('cover');
	const upload =
		file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
	const saved = await saveNoticeWithCover(
		await getDb(),
		id,
		parsed.value,
		{ upload, alt: values.coverAlt ?? '', remove: values.removeCover === 'on' },
		user
	);
	if (!saved.ok) return fail(saved.status, { values, fields: problemTexts(saved.fields) });
	redirect(303, `/staff/notices?saved=${saved.id}`);
}
