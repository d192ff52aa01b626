import { endpoint } from '$lib/server/api/errors';
import { exportProblemList } from '$lib/server/reports/export';

/** The problem list (问题清单): the filtered queue, as CSV. */
export const GET = endpoint((event) => exportProblemList(event, 'csv'));
