import { queueFilterSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError, endpoint } from '$lib/server/api/errors';
import { requireApi } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { problemList, toXlsx } from '$lib/server/reports/problem-list';

/** The problem list (问题清单): the filtered queue, as XLSX. */
export const GET = endpoint(async (event) => {
	const user = requireApi(event, 'staff.workbench');
	const parsed = parseInput(queueFilterSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const rows = await problemList(await getDb(), user, parsed.value);
	const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	return new Response(await toXlsx(rows), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="problem-list-${day}.xlsx"`,
			'Cache-Control': 'private, no-store'
		}
	});
});
