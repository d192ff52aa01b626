import { describe, expect, it } from 'vitest';
import {
	categoryEditSchema,
	loginSchema,
	parseInput,
	signupSchema,
	staffUserSchema
} from './validation';

describe('signupSchema', () => {
	it('accepts a resident with an 11-digit mobile number', () => {
		const result = parseInput(signupSchema, {
			phone: ' 13912345678 ',
			password: 'longenough',
			name: '张三',
			role: 'resident',
			community: ''
		});
		expect(result).toEqual({
			ok: true,
			value: {
				phone: '13912345678',
				password: 'longenough',
				name: '张三',
				role: 'resident',
				community: undefined
			}
		});
	});
	it('reports every bad field by name', () => {
		const result = parseInput(signupSchema, {
			phone: '12345',
			password: 'short',
			name: '',
			role: 'admin'
		});
		expect(result.ok).toBe(false);
		if (!result.ok)
			expect(result.fields).toEqual({
				phone: 'phone',
				password: 'password',
				name: 'required',
				role: 'role'
			});
	});
	it('refuses staff roles for self sign-up', () => {
		expect(
			parseInput(signupSchema, {
				phone: '13912345678',
				password: 'longenough',
				name: 'x',
				role: 'dispatcher'
			}).ok
		).toBe(false);
	});
});

describe('loginSchema', () => {
	it('rejects wrong types without throwing', () => {
		const result = parseInput(loginSchema, { phone: 13800000001, password: ['a'] });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(Object.keys(result.fields).sort()).toEqual(['password', 'phone']);
	});
});

describe('staffUserSchema', () => {
	it('accepts every role with optional community and department', () => {
		const result = parseInput(staffUserSchema, {
			phone: '13912345678',
			password: 'longenough',
			name: 'x',
			role: 'handler',
			department: 'city-management'
		});
		expect(result.ok && result.value.department).toBe('city-management');
	});
});

describe('categoryEditSchema', () => {
	const base = {
		code: 'fire-lane',
		name: '消防通道',
		group: 'fire_safety',
		deadlineHours: '24',
		urgentDeadlineHours: '4',
		duplicateRadiusM: '150'
	};
	it('turns numbers and checkboxes into values', () => {
		const result = parseInput(categoryEditSchema, { ...base, urgent: 'on' });
		expect(result.ok && result.value).toMatchObject({
			deadlineHours: 24,
			urgent: true,
			indoor: false,
			active: false
		});
	});
	it('refuses a zero deadline and a bad code', () => {
		const result = parseInput(categoryEditSchema, {
			...base,
			deadlineHours: '0',
			code: 'Bad Code'
		});
		expect(result.ok ? {} : result.fields).toEqual({ deadlineHours: 'number', code: 'choice' });
	});
});
