import type { RequestEvent } from '@sveltejs/kit';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { ApiError } from '../api/errors';
import { requireApi } from '../auth/permissions';
import { getDb } from '../db';
import { getLocale } from '$lib/paraglide/runtime.js';
import { problemList, toCsv, toXlsx } from './problem-list';

const formats = {
	csv: { type: 'text/csv; charset=utf-8', render: toCsv },
	xlsx: {
		type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
		render: toXlsx
	}
};

/** The problem list (问题清单) of the filtered queue, as a download in the page's language. */
export async function exportProblemList(event: RequestEvent, format: keyof typeof formats) {
	const user = requireApi(event, 'staff.workbench');
	const parsed = parseInput(queueFilterSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) throw new ApiError(400, 'invalid_input', parsed.fields);
	const rows = await problemList(await getDb(), user, parsed.value);
	const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	const { type, render } = formats[format];
	return new Response(await render(rows, getLocale()), {
		headers: {
			'Content-Type': type,
			'Content-Disposition': `attachment; filename="problem-list-${day}.${format}"`,
			'Cache-Control': 'private, no-store'
		}
	});
}
