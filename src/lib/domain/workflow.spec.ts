import { describe, expect, it } from 'vitest';
import { roles, type Role } from './roles';
import { stages, type Stage } from './stages';
import {
	actions,
	availableActions,
	deadlineKind,
	decide,
	missingRequirements,
	moves,
	type Action
} from './workflow';

/*
 * The expected table, written out by hand from the issue (not derived from `moves`): every
 * (action, from stage) that is allowed, the stage it leads to, and the roles that may take it.
 * Every other combination of role × action × stage must be refused.
 */
const T: Role[] = ['community_staff', 'dispatcher', 'admin'];
const D: Role[] = ['dispatcher', 'admin'];
const H: Role[] = ['handler', 'admin'];
const C: Role[] = ['grid_worker', 'community_staff', 'dispatcher', 'admin'];
const allowed: [Action, Stage, Stage, Role[]][] = [
	['accept', 'submitted', 'accepted', T],
	['decline', 'submitted', 'declined', T],
	['decline', 'accepted', 'declined', T],
	['decline', 'returned', 'declined', T],
	['merge', 'submitted', 'duplicate', T],
	['merge', 'accepted', 'duplicate', T],
	['merge', 'returned', 'duplicate', T],
	['dispatch', 'accepted', 'dispatched', D],
	['dispatch', 'returned', 'dispatched', D],
	['return', 'dispatched', 'returned', H],
	['return', 'in_progress', 'returned', H],
	['return', 'rework', 'returned', H],
	['start', 'dispatched', 'in_progress', H],
	['start', 'rework', 'in_progress', H],
	['handle', 'in_progress', 'handled', H],
	['close', 'handled', 'closed', C],
	['rework', 'handled', 'rework', C],
	['reopen', 'handled', 'rework', ['resident']],
	['reopen', 'closed', 'rework', ['resident']]
];

describe('case state machine', () => {
	for (const action of actions) {
		for (const stage of stages) {
			const row = allowed.find(([a, s]) => a === action && s === stage);
			for (const role of roles) {
				const expected = !!row && row[3].includes(role);
				it(`${role} ${expected ? 'may' : 'may not'} ${action} a ${stage} case`, () => {
					const decision = decide(role, action, stage);
					expect(decision.ok).toBe(expected);
					if (decision.ok) expect(decision.move.to).toBe(row![2]);
					else if (!row) expect(decision.refusal).toMatch(/stage|role/);
					else expect(decision.refusal).toBe('role');
				});
			}
		}
	}

	it('refuses unknown actions', () => {
		expect(decide('admin', 'delete', 'submitted')).toEqual({
			ok: false,
			refusal: 'unknown_action'
		});
	});

	it('lets nobody move a closed, declined or merged case except a resident reopening a closed one', () => {
		for (const role of roles) {
			expect(availableActions(role, 'declined')).toEqual([]);
			expect(availableActions(role, 'duplicate')).toEqual([]);
			expect(availableActions(role, 'closed')).toEqual(role === 'resident' ? ['reopen'] : []);
		}
	});

	it('gives supervisors and volunteers no moves at all', () => {
		for (const stage of stages) {
			expect(availableActions('supervisor', stage)).toEqual([]);
			expect(availableActions('volunteer', stage)).toEqual([]);
		}
	});

	it('offers a dispatcher the triage moves on a returned case', () => {
		expect(availableActions('dispatcher', 'returned')).toEqual(['decline', 'merge', 'dispatch']);
		expect(availableActions('community_staff', 'returned')).toEqual(['decline', 'merge']);
	});

	it('keeps department moves off the returned stage', () => {
		expect(availableActions('handler', 'returned')).toEqual([]);
		expect(availableActions('handler', 'in_progress')).toEqual(['return', 'handle']);
	});
});

describe('move requirements', () => {
	it('asks for a reason to decline, return, rework and reopen', () => {
		for (const a of ['decline', 'return', 'rework', 'reopen'] as const) {
			expect(missingRequirements(a, {})).toEqual({ reason: 'required' });
			expect(missingRequirements(a, { reason: '   ' })).toEqual({ reason: 'required' });
			expect(missingRequirements(a, { reason: '不属于本部门' })).toEqual({});
		}
	});
	it('asks for the kept case to merge and a department to dispatch', () => {
		expect(missingRequirements('merge', {})).toEqual({ duplicateOf: 'required' });
		expect(missingRequirements('dispatch', { department: '' })).toEqual({
			department: 'required'
		});
		expect(missingRequirements('dispatch', { department: 'city-management' })).toEqual({});
	});
	it('asks for an after photo and a note to mark a case handled', () => {
		expect(missingRequirements('handle', {})).toEqual({ note: 'required', photo: 'required' });
		expect(missingRequirements('handle', { note: '已清理' })).toEqual({ photo: 'required' });
		expect(missingRequirements('handle', { note: '已清理', hasPhoto: true })).toEqual({});
	});
	it('asks nothing extra to accept, start or close', () => {
		for (const a of ['accept', 'start', 'close'] as const)
			expect(missingRequirements(a, {})).toEqual({});
	});
	it('keeps a return internal and every other stage change public', () => {
		expect(actions.filter((a) => !moves[a].public)).toEqual(['return']);
	});
});

describe('deadlines per stage', () => {
	it('runs the accept clock in triage, the handle clock at the department and the check clock once handled', () => {
		expect(deadlineKind('submitted')).toBe('accept');
		expect(deadlineKind('returned')).toBe('accept');
		expect(deadlineKind('dispatched')).toBe('handle');
		expect(deadlineKind('rework')).toBe('handle');
		expect(deadlineKind('handled')).toBe('check');
		expect(deadlineKind('closed')).toBeNull();
		expect(deadlineKind('declined')).toBeNull();
	});
});
