import { fail } from '@sveltejs/kit';
import * as v from 'valibot';
import { queueFilterSchema } from '$lib/domain/staff-input';
import { parseInput } from '$lib/domain/validation';
import { fieldProblems } from '$lib/i18n/labels';
import { ApiError } from '$lib/server/api/errors';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { looksLikePhone } from '$lib/server/http/device';
import { staffPickers } from '$lib/server/reports/pickers';
import { isUuid, listQueue } from '$lib/server/reports/queue';
import { applyTransition } from '$lib/server/reports/workflow';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'staff.workbench');
	const raw = Object.fromEntries(event.url.searchParams);
	const parsed = parseInput(queueFilterSchema, raw);
	const filter = parsed.ok ? parsed.value : v.parse(queueFilterSchema, {});
	const db = await getDb();
	const [queue, pickers] = await Promise.all([listQueue(db, user, filter), staffPickers(db)]);
	return {
		queue,
		pickers,
		filter: { ...raw, page: String(filter.page) } as Record<string, string>,
		problems: parsed.ok ? {} : fieldProblems(parsed.fields),
		// Folded from the first paint on a phone, so the list does not jump up once the page runs.
		foldFilters: parsed.ok && looksLikePhone(event.request.headers),
		canAccept: ['community_staff', 'dispatcher', 'admin'].includes(user.role),
		canDispatch: ['dispatcher', 'admin'].includes(user.role)
	};
};

export const actions: Actions = {
	/** Bulk accept, or bulk dispatch to one department: each case moves on its own, or not at all. */
	bulk: async (event) => {
		const user = requirePage(event, 'staff.workbench');
		const form = await event.request.formData();
		const ids = form
			.getAll('ids')
			.filter((id): id is string => typeof id === 'string' && isUuid(id));
		const action = form.get('bulkAction');
		const department = String(form.get('department') ?? '');
		if (ids.length === 0) return fail(400, { bulk: { problem: 'none' as const } });
		if (action !== 'accept' && action !== 'dispatch')
			return fail(400, { bulk: { problem: 'action' as const } });
		if (action === 'dispatch' && !department)
			return fail(400, { bulk: { problem: 'department' as const } });
		const db = await getDb();
		let done = 0;
		for (const id of ids) {
			try {
				await applyTransition(db, user, id, { action, department: department || undefined });
				done++;
			} catch (error) {
				if (!(error instanceof ApiError)) throw error;
			}
		}
		return { bulk: { done, failed: ids.length - done } };
	}
};
