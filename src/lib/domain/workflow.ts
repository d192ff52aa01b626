import type { Role } from './roles';
import type { Stage } from './stages';

/*
 * The case state machine (DOMAIN.md, "The closed loop"): which action moves a case from which stage
 * to which, who may take it, and what it needs. Pure: the server applies it inside a transaction and
 * checks the actor's scope per case; the UI uses it to offer only the moves that can succeed.
 */

export const actions = [
	'accept',
	'decline',
	'merge',
	'dispatch',
	'return',
	'start',
	'handle',
	'close',
	'rework',
	'reopen'
] as const;
export type Action = (typeof actions)[number];

/** What a move needs besides the actor. */
export type Requirement = 'reason' | 'duplicateOf' | 'department' | 'note' | 'photo';

export interface Move {
	from: readonly Stage[];
	to: Stage;
	roles: readonly Role[];
	requires: readonly Requirement[];
	/** Whether the stage change is shown to the reporter (tracking page, notification). */
	public: boolean;
}

const triage = ['community_staff', 'dispatcher', 'admin'] as const satisfies readonly Role[];
const dispatchers = ['dispatcher', 'admin'] as const satisfies readonly Role[];
const departmentStaff = ['handler', 'admin'] as const satisfies readonly Role[];
const checkers = [
	'grid_worker',
	'community_staff',
	'dispatcher',
	'admin'
] as const satisfies readonly Role[];

/** Stages waiting for triage: new cases, and cases a department returned. */
const triageStages = ['submitted', 'accepted', 'returned'] as const satisfies readonly Stage[];

export const moves: Record<Action, Move> = {
	/** Check and accept (核实/立案); routing proposes the category's department. */
	accept: { from: ['submitted'], to: 'accepted', roles: triage, requires: [], public: true },
	/** Decline (不予立案), always with a reason. */
	decline: {
		from: triageStages,
		to: 'declined',
		roles: triage,
		requires: ['reason'],
		public: true
	},
	/** Merge into another case as a duplicate; its reporters follow the kept case. */
	merge: {
		from: triageStages,
		to: 'duplicate',
		roles: triage,
		requires: ['duplicateOf'],
		public: true
	},
	/** Dispatch (派遣) to a department: the handling deadline starts. */
	dispatch: {
		from: ['accepted', 'returned'],
		to: 'dispatched',
		roles: dispatchers,
		requires: ['department'],
		public: true
	},
	/** Return (退单) by the department: wrongly routed, back to triage with a reason. */
	return: {
		from: ['dispatched', 'in_progress', 'rework'],
		to: 'returned',
		roles: departmentStaff,
		requires: ['reason'],
		public: false
	},
	start: {
		from: ['dispatched', 'rework'],
		to: 'in_progress',
		roles: departmentStaff,
		requires: [],
		public: true
	},
	/** Handled (已处置), with an "after" photo and a note. */
	handle: {
		from: ['in_progress'],
		to: 'handled',
		roles: departmentStaff,
		requires: ['note', 'photo'],
		public: true
	},
	/** Closed (结案) after the on-site check (核查). */
	close: { from: ['handled'], to: 'closed', roles: checkers, requires: [], public: true },
	/** The check finds the fix not real: rework (返工) back to the department. */
	rework: {
		from: ['handled'],
		to: 'rework',
		roles: checkers,
		requires: ['reason'],
		public: true
	},
	/** The resident's reopen of a handled or closed case also becomes rework. */
	reopen: {
		from: ['handled', 'closed'],
		to: 'rework',
		roles: ['resident'],
		requires: ['reason'],
		public: true
	}
};

/** Stages in which the reporter may rate the handling or reopen the case (within the reopen window). */
export const feedbackStages = moves.reopen.from;

export function acceptsFeedback(stage: Stage): boolean {
	return feedbackStages.includes(stage);
}

/** Stages still open: a deadline runs and the case can be overdue. */
export const openStages = [
	'submitted',
	'accepted',
	'returned',
	'dispatched',
	'in_progress',
	'rework',
	'handled'
] as const satisfies readonly Stage[];
export const finalStages = ['closed', 'declined', 'duplicate'] as const satisfies readonly Stage[];

export function isOpenStage(stage: Stage): boolean {
	return (openStages as readonly Stage[]).includes(stage);
}

/** Stages a department sees: from dispatch on. Before that a proposed department is not yet in charge. */
export const departmentStages = [
	'dispatched',
	'in_progress',
	'rework',
	'handled',
	'closed'
] as const satisfies readonly Stage[];

/** Which deadline runs in a stage: to accept, to handle or to check. */
export type DeadlineKind = 'accept' | 'handle' | 'check';
export function deadlineKind(stage: Stage): DeadlineKind | null {
	switch (stage) {
		case 'submitted':
		case 'accepted':
		case 'returned':
			return 'accept';
		case 'dispatched':
		case 'in_progress':
		case 'rework':
			return 'handle';
		case 'handled':
			return 'check';
		default:
			return null;
	}
}

export type Refusal = 'unknown_action' | 'stage' | 'role';
export type Decision = { ok: true; move: Move } | { ok: false; refusal: Refusal };

/** Whether a role may take an action on a case in a stage (scope is checked by the caller). */
export function decide(role: Role, action: string, stage: Stage): Decision {
	if (!(actions as readonly string[]).includes(action))
		return { ok: false, refusal: 'unknown_action' };
	const move = moves[action as Action];
	if (!(move.roles as readonly Role[]).includes(role)) return { ok: false, refusal: 'role' };
	if (!(move.from as readonly Stage[]).includes(stage)) return { ok: false, refusal: 'stage' };
	return { ok: true, move };
}

export function canMove(role: Role, action: Action, stage: Stage): boolean {
	return decide(role, action, stage).ok;
}

/** The actions a role may take on a case in a stage, in table order. */
export function availableActions(role: Role, stage: Stage): Action[] {
	return actions.filter((a) => canMove(role, a, stage));
}

export interface MoveInput {
	reason?: string | null;
	duplicateOf?: string | null;
	department?: string | null;
	note?: string | null;
	hasPhoto?: boolean;
}

/** The requirements of a move the input leaves unmet, as field name → problem code. */
export function missingRequirements(action: Action, input: MoveInput): Record<string, string> {
	const missing: Record<string, string> = {};
	for (const need of moves[action].requires) {
		if (need === 'photo') {
			if (!input.hasPhoto) missing.photo = 'required';
		} else if (!input[need]?.trim()) missing[need] = 'required';
	}
	return missing;
}
