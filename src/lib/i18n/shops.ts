import type { Duty } from '$lib/domain/shops';
import { m } from '$lib/paraglide/messages.js';

export const dutyLabel: Record<Duty, () => string> = {
	appearance: m.shops_duty_appearance,
	sanitation: m.shops_duty_sanitation,
	order: m.shops_duty_order
};

// Shop pages are for staff, so a case's stage reads as in the staff queue.
export { stageLabel } from './workflow-labels';
