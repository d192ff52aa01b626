/** The plan's actions, which group the categories. */
export const categoryGroups = ['cleaning', 'enforcement', 'fire_safety', 'other'] as const;
export type CategoryGroup = (typeof categoryGroups)[number];

export function isCategoryGroup(value: unknown): value is CategoryGroup {
	return typeof value === 'string' && (categoryGroups as readonly string[]).includes(value);
}

export type QuestionDatatype =
	'string' | 'text' | 'number' | 'datetime' | 'singlevaluelist' | 'multivaluelist';

/** An extra question a category asks (an Open311 attribute). */
export interface CategoryQuestion {
	code: string;
	label: string;
	labelEn?: string;
	datatype: QuestionDatatype;
	required: boolean;
	values?: { key: string; name: string; nameEn?: string }[];
}
