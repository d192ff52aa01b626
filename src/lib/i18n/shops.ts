import type { Stage } from '$lib/domain/stages';
import type { Duty } from '$lib/domain/shops';
import { m } from '$lib/paraglide/messages.js';

export const dutyLabel: Record<Duty, () => string> = {
	appearance: m.shops_duty_appearance,
	sanitation: m.shops_duty_sanitation,
	order: m.shops_duty_order
};

export const stageLabel: Record<Stage, () => string> = {
	submitted: m.shops_stage_submitted,
	accepted: m.shops_stage_accepted,
	declined: m.shops_stage_declined,
	duplicate: m.shops_stage_duplicate,
	dispatched: m.shops_stage_dispatched,
	in_progress: m.shops_stage_in_progress,
	handled: m.shops_stage_handled,
	closed: m.shops_stage_closed,
	rework: m.shops_stage_rework,
	returned: m.shops_stage_returned
};
