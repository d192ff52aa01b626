import { queueFilterSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { problemList, toCsv } from '$lib/server/reports/problem-list';

/** The problem list (问题清单): the filtered queue, as CSV. */
export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const parsed = parseInput(queueFilterSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const rows = await problemList(await getDb(), user, parsed.value);
	const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	return new Response(toCsv(rows), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="problem-list-${day}.csv"`,
			'Cache-Control': 'private, no-store'
		}
	});
});
