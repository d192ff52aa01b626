import { json } from '@sveltejs/kit';
import { revisitCheckSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint, readJsonBody } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/reports/queue';
import { checkRevisit } from '$lib/server/reports/revisits';

/** The revisit's check (回头看): the fix held, or the problem is back and a new case opens. */
export const POST = endpoint(async (event) => {
	const user = requireApi(event, 'reports.verify');
	const id = event.params.id!;
	if (!isUuid(id)) throw new ApiError(404, 'not_found');
	const parsed = parseInput(revisitCheckSchema, await readJsonBody(event.request));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const { outcome, newReport } = await checkRevisit(await getDb(), user, id, parsed.value);
	return json({ outcome, newCase: newReport });
});
