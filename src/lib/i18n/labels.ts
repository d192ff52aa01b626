import { m } from '$lib/paraglide/messages.js';
import type { CategoryGroup } from '$lib/domain/categories';
import type { Role } from '$lib/domain/roles';
import { fieldMessage } from './errors';

export const roleLabel: Record<Role, () => string> = {
	resident: m.role_resident,
	volunteer: m.role_volunteer,
	grid_worker: m.role_grid_worker,
	handler: m.role_handler,
	community_staff: m.role_community_staff,
	dispatcher: m.role_dispatcher,
	supervisor: m.role_supervisor,
	admin: m.role_admin
};

export const groupLabel: Record<CategoryGroup, () => string> = {
	cleaning: m.group_cleaning,
	enforcement: m.group_enforcement,
	fire_safety: m.group_fire_safety,
	other: m.group_other
};

/** Turns per-field problem codes into text in the current language. */
export function fieldProblems(fields: Record<string, string> | undefined): Record<string, string> {
	return Object.fromEntries(
		Object.entries(fields ?? {}).map(([key, code]) => [key, fieldMessage(code)])
	);
}

/** Name in the current language, falling back to the Chinese name. */
export function localName(item: { name: string; nameEn?: string | null }, locale: string): string {
	return locale === 'en' && item.nameEn ? item.nameEn : item.name;
}

/** The post of a row that carries it as `postName` and `postNameEn`. */
export function localPostName(
	row: { postName: string; postNameEn?: string | null },
	locale: string
): string {
	return localName({ name: row.postName, nameEn: row.postNameEn }, locale);
}

export const kindLabel: Record<'internal' | 'community' | 'external', () => string> = {
	internal: m.kind_internal,
	community: m.kind_community,
	external: m.kind_external
};
