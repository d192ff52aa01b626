import { m } from '$lib/paraglide/messages.js';
import type { Stage } from '$lib/domain/stages';
import type { Action } from '$lib/domain/workflow';

type Message = (inputs?: Record<string, never>, options?: { locale?: 'zh-CN' | 'en' }) => string;

export const stageLabel: Record<Stage, Message> = {
	submitted: m.staff_stage_submitted,
	accepted: m.staff_stage_accepted,
	declined: m.staff_stage_declined,
	duplicate: m.staff_stage_duplicate,
	dispatched: m.staff_stage_dispatched,
	in_progress: m.staff_stage_in_progress,
	handled: m.staff_stage_handled,
	closed: m.staff_stage_closed,
	rework: m.staff_stage_rework,
	returned: m.staff_stage_returned
};

export const actionLabel: Record<Action, Message> = {
	accept: m.staff_action_accept,
	decline: m.staff_action_decline,
	merge: m.staff_action_merge,
	dispatch: m.staff_action_dispatch,
	return: m.staff_action_return,
	start: m.staff_action_start,
	handle: m.staff_action_handle,
	close: m.staff_action_close,
	rework: m.staff_action_rework,
	reopen: m.staff_action_reopen
};
