/** The three shopfront duties (门前三包): 市容, 环境卫生, 秩序. */
export const duties = ['appearance', 'sanitation', 'order'] as const;
export type Duty = (typeof duties)[number];
export type DutyResult = 'pass' | 'fail';

export function isDuty(value: unknown): value is Duty {
	return typeof value === 'string' && (duties as readonly string[]).includes(value);
}
