/** Case stages (数字城管 practice, see DOMAIN.md "The closed loop"). The workflow module owns the moves. */
export const stages = [
	'submitted',
	'accepted',
	'declined',
	'duplicate',
	'dispatched',
	'in_progress',
	'handled',
	'closed',
	'rework',
	'returned'
] as const;
export type Stage = (typeof stages)[number];

export const priorities = ['normal', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export function isStage(value: unknown): value is Stage {
	return typeof value === 'string' && (stages as readonly string[]).includes(value);
}
