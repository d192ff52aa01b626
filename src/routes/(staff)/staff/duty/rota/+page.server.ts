import { localName } from '$lib/i18n/labels';
import { getLocale } from '$lib/paraglide/runtime.js';
import { fail, redirect } from '@sveltejs/kit';
import { addDays, localDate, weekStart } from '$lib/domain/duty';
import { formObject } from '$lib/domain/validation';
import { requirePage } from '$lib/server/auth/permissions';
import { getDb } from '$lib/server/db';
import { isUuid } from '$lib/server/duty/api';
import { dutyFail } from '$lib/server/duty/forms';
import {
	assign,
	assignableStaff,
	copyWeekForward,
	unassign,
	weekRota
} from '$lib/server/duty/rota';
import { listPosts } from '$lib/server/duty/shifts';
import { dutyStaffLinks } from '$lib/server/duty/staff-nav';
import type { Actions, PageServerLoad } from './$types';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export const load: PageServerLoad = async (event) => {
	const user = requirePage(event, 'duty.rota');
	const db = await getDb();
	const asked = event.url.searchParams.get('week') ?? '';
	const monday = weekStart(datePattern.test(asked) ? asked : localDate(new Date()));
	const [rota, staff, posts] = await Promise.all([
		weekRota(db, monday),
		assignableStaff(db),
		listPosts(db, { activeOnly: true })
	]);
	return {
		monday,
		days: Array.from({ length: 7 }, (_, i) => addDays(monday, i)),
		rota,
		staff,
		posts: posts.map((p) => ({ id: p.id, name: localName(p, getLocale()) })),
		copied: event.url.searchParams.get('copied'),
		links: dutyStaffLinks(user)
	};
};

export const actions: Actions = {
	assign: async (event) => {
		const user = requirePage(event, 'duty.rota');
		const values = formObject(await event.request.formData());
		const fields: Record<string, string> = {};
		if (!isUuid(values.post)) fields.post = 'choice';
		if (!isUuid(values.user)) fields.user = 'choice';
		if (!datePattern.test(values.day ?? '')) fields.day = 'date';
		if (Object.keys(fields).length) return fail(400, { values, fields, error: '' });
		try {
			await assign(await getDb(), {
				postId: values.post,
				userId: values.user,
				day: values.day,
				assignedBy: user.id
			});
		} catch (error) {
			return dutyFail(error, values);
		}
		redirect(303, `/staff/duty/rota?week=${weekStart(values.day)}`);
	},
	remove: async (event) => {
		requirePage(event, 'duty.rota');
		const values = formObject(await event.request.formData());
		if (isUuid(values.id)) await unassign(await getDb(), values.id);
		redirect(303, `/staff/duty/rota?week=${values.week ?? ''}`);
	},
	copy: async (event) => {
		const user = requirePage(event, 'duty.rota');
		const values = formObject(await event.request.formData());
		if (!datePattern.test(values.week ?? '')) return fail(400, { values, error: '' });
		const count = await copyWeekForward(await getDb(), weekStart(values.week), user.id);
		redirect(303, `/staff/duty/rota?week=${addDays(weekStart(values.week), 7)}&copied=${count}`);
	}
};
