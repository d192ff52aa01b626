import { json } from '@sveltejs/kit';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listQueue } from '$lib/server/reports/queue';

export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const parsed = parseInput(queueFilterSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const { items, total, page, pageSize } = await listQueue(await getDb(), user, parsed.value);
	return json({ items, total, page, pageSize });
});
