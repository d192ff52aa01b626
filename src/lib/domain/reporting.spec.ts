import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { rectangle } from './geo';
import type { CategoryQuestion } from './categories';
import {
	isTrackingCode,
	maskPhone,
	publicLocation,
	publicStep,
	readAnswers,
	reportInputSchema,
	roundPoint,
	statusOf
} from './reporting';

describe('reporting rules', () => {
	it('masks a phone to 138****1234', () => {
		expect(maskPhone('13812341234')).toBe('138****1234');
		expect(maskPhone('123')).toBe('***');
	});

	it('rounds a point to a 0.0005° grid (about 50 m)', () => {
		expect(roundPoint({ lat: 31.85237, lng: 117.29191 })).toEqual({ lat: 31.8525, lng: 117.292 });
		expect(roundPoint({ lat: 31.8527, lng: 117.29224 })).toEqual({ lat: 31.8525, lng: 117.292 });
	});

	it('shows indoor problems at the compound centre, never the point', () => {
		const location = publicLocation({
			indoor: true,
			point: { lat: 31.8531, lng: 117.2921 },
			community: {
				name: '繁昌社区',
				nameEn: 'Fanchang',
				boundary: rectangle(117.29, 31.85, 117.305, 31.861)
			},
			compound: { name: '繁昌花园', boundary: rectangle(117.291, 31.852, 117.295, 31.856) }
		});
		expect(location).toEqual({
			lat: 31.854,
			lng: 117.293,
			precision: 'compound',
			community: '繁昌社区',
			communityEn: 'Fanchang',
			compound: '繁昌花园'
		});
	});

	it('maps side stages onto the public progress line', () => {
		expect(publicStep('submitted')).toBe(0);
		expect(publicStep('closed')).toBe(5);
		expect(publicStep('rework')).toBe(1);
		expect(statusOf('duplicate')).toBe('closed');
		expect(statusOf('rework')).toBe('open');
	});

	it('accepts only tracking codes without look-alike characters', () => {
		expect(isTrackingCode('K7M2Q9XP')).toBe(true);
		expect(isTrackingCode('K7M2Q9X0')).toBe(false);
		expect(isTrackingCode('k7m2q9xp')).toBe(false);
	});

	it('reads answers to extra questions and checks choices', () => {
		const questions = [
			{ code: 'floor', label: '楼层', datatype: 'string' as const, required: false },
			{
				code: 'now',
				label: '现在',
				datatype: 'singlevaluelist' as const,
				required: true,
				values: [{ key: 'yes', name: '是' }]
			}
		];
		const form: Record<string, string[]> = { q_floor: [' 3楼 '], q_now: ['yes'] };
		expect(readAnswers(questions, (n) => form[n] ?? [])).toEqual({
			answers: { floor: '3楼', now: 'yes' },
			fields: {}
		});
		expect(readAnswers(questions, () => []).fields).toEqual({ q_now: 'required' });
	});
});

describe('readAnswers: types from the question definitions', () => {
	const q = (code: string, datatype: CategoryQuestion['datatype'], values?: string[]) => ({
		code,
		label: code,
		datatype,
		required: false,
		...(values ? { values: values.map((key) => ({ key, name: key })) } : {})
	});
	const questions = [
		q('count', 'number'),
		q('seen', 'datetime'),
		q('note', 'text'),
		q('kinds', 'multivaluelist', ['a', 'b']),
		q('one', 'singlevaluelist', ['a', 'b'])
	];
	const read = (form: Record<string, string[]>) => readAnswers(questions, (n) => form[n] ?? []);

	it('keeps well-typed answers', () => {
		expect(
			read({
				q_count: ['12'],
				q_seen: ['2026-11-27T21:30:00+08:00'],
				q_note: ['n'.repeat(2000)],
				q_kinds: ['b', 'a', 'b'],
				q_one: ['a', 'a']
			})
		).toEqual({
			answers: {
				count: '12',
				seen: '2026-11-27T21:30:00+08:00',
				note: 'n'.repeat(2000),
				kinds: ['b', 'a'],
				one: 'a'
			},
			fields: {}
		});
		expect(read({ q_seen: ['2026-11-27'] }).answers).toEqual({ seen: '2026-11-27' });
	});

	it('refuses answers that do not fit their question', () => {
		expect(
			read({
				q_count: ['0x10'],
				q_seen: ['yesterday'],
				q_note: ['n'.repeat(2001)],
				q_kinds: ['a', 'c'],
				q_one: ['a', 'b']
			}).fields
		).toEqual({
			q_count: 'number',
			q_seen: 'date',
			q_note: 'too_long',
			q_kinds: 'choice',
			q_one: 'choice'
		});
		expect(read({ q_count: ['1e999'] }).fields).toEqual({ q_count: 'number' });
		expect(read({ q_seen: ['2026-13-45'] }).fields).toEqual({ q_seen: 'date' });
		expect(read({ q_count: ['1', '2'] }).fields).toEqual({ q_count: 'choice' });
	});

	it('drops NUL characters, and a NUL-only answer counts as no answer', () => {
		expect(read({ q_count: ['1\u00002'], q_note: ['\u0000'] })).toEqual({
			answers: { count: '12' },
			fields: {}
		});
	});
});

describe('reportInputSchema', () => {
	it('drops NUL characters, which PostgreSQL text cannot hold', () => {
		const result = v.safeParse(reportInputSchema, {
			category: 'street-vendors',
			description: 'a\u0000b ',
			address: '\u0000铜陵路 1 号',
			community: 'heping'
		});
		expect(result.success).toBe(true);
		if (result.success) {
			expect(result.output.description).toBe('ab');
			expect(result.output.address).toBe('铜陵路 1 号');
		}
	});
});
