import { m } from '$lib/paraglide/messages.js';
import type { Rating } from '$lib/domain/reporting';
import type { Stage } from '$lib/domain/stages';
import type { Locale } from '$lib/paraglide/runtime.js';

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

/** Stages as the resident reads them (已上报 → 已受理 → 已派遣 → 处置中 → 已处置 → 已办结). */
export const stageLabel: Record<Stage, Message> = {
	submitted: m.report_stage_submitted,
	accepted: m.report_stage_accepted,
	dispatched: m.report_stage_dispatched,
	in_progress: m.report_stage_in_progress,
	handled: m.report_stage_handled,
	closed: m.report_stage_closed,
	declined: m.report_stage_declined,
	duplicate: m.report_stage_duplicate,
	rework: m.report_stage_rework,
	returned: m.report_stage_returned
};

export const ratingLabel: Record<Rating, () => string> = {
	satisfied: m.report_rating_satisfied,
	basically_satisfied: m.report_rating_basically_satisfied,
	dissatisfied: m.report_rating_dissatisfied
};
