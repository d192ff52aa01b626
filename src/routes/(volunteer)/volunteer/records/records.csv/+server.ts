import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { listRecords, recordsCsv } from '$lib/server/duty/records';
import { m } from '$lib/paraglide/messages.js';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const user = requirePage(event, 'duty.book');
	const rows = await listRecords(await getDb(), user.id);
	const csv = recordsCsv(rows, [
		m.duty_records_date(),
		m.duty_records_activity(),
		m.duty_records_place(),
		m.duty_records_content(),
		m.duty_records_hours(),
		m.duty_records_unit(),
		m.duty_records_person(),
		m.duty_records_status()
	]);
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': 'attachment; filename="service-records.csv"',
			'Cache-Control': 'private, no-store'
		}
	});
};
