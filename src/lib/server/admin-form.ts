import { fail, type RequestEvent } from '@sveltejs/kit';
import type * as v from 'valibot';
import { formObject, parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { m } from '$lib/paraglide/messages.js';
import { CodeTakenError } from './admin';
import { requirePage } from './auth/permissions';
import { getDb, type Db } from './db';

/**
 * The one shape of every admin save action: admin only, parse the form, save, and on a problem
 * return the submitted values with a message per field, so nothing typed is lost.
 */
export async function adminSave<S extends v.GenericSchema>(
	event: RequestEvent,
	schema: S,
	save: (
		db: Db,
		id: string | null,
		value: v.InferOutput<S>
	) => Promise<void | Record<string, string>>
) {
	requirePage(event, 'admin.manage');
	const values = formObject(await event.request.formData());
	const id = values.id || null;
	const parsed = parseInput(schema, values);
	if (!parsed.ok) return fail(400, { id, values, fields: fieldProblems(parsed.fields) });
	try {
		const problems = await save(await getDb(), id, parsed.value);
		if (problems) return fail(400, { id, values, fields: problems });
	} catch (error) {
		if (error instanceof CodeTakenError)
			return fail(409, { id, values, fields: { code: m.admin_code_taken() } });
		throw error;
	}
	return { saved: id ?? 'new' };
}
