import { describe, expect, it } from 'vitest';
import { failedRowId, rowProblems, rowValues } from './row-editor';

const stored = { id: 'a1', code: 'water', name: '供水', active: true };

describe('admin row editor', () => {
	it('shows the stored row when nothing failed or another row failed', () => {
		expect(failedRowId(null)).toBeNull();
		expect(failedRowId({ saved: 'a1' })).toBeNull();
		const other = { id: 'b2', values: { code: 'x' }, fields: { code: '重复' } };
		expect(rowValues(other, stored, ['active'])).toEqual(stored);
		expect(rowProblems(other, 'a1')).toEqual({});
	});

	it('shows what was typed, with checkboxes back as booleans, in the row whose save failed', () => {
		const failed = {
			id: 'a1',
			values: { id: 'a1', code: 'Bad Code', name: '' },
			fields: { code: '格式' }
		};
		expect(failedRowId(failed)).toBe('a1');
		expect(rowValues(failed, stored, ['active'])).toEqual({
			id: 'a1',
			code: 'Bad Code',
			name: '',
			active: false
		});
		expect(rowProblems(failed, 'a1')).toEqual({ code: '格式' });
	});

	it('treats a failed save without an id as the new row', () => {
		const failed = { id: null, values: { code: 'new' }, fields: { name: '必填' } };
		expect(failedRowId(failed)).toBe('');
		expect(rowProblems(failed, '')).toEqual({ name: '必填' });
		expect(rowValues(failed, { ...stored, id: '' }).code).toBe('new');
	});
});
