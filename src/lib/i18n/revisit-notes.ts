import { m } from '$lib/paraglide/messages.js';
import type { Locale } from '$lib/paraglide/runtime.js';

/** What a revisit (回头看) found, as the public is told it. */
export type RevisitFinding = { revisit: 'confirmed' } | { revisit: 'reopened'; newCode: string };

/** The note the system writes for the public on a revisit, in the reader's language. */
export function revisitNote(outcome: RevisitFinding, locale: Locale): string {
	return outcome.revisit === 'confirmed'
		? m.staff_revisit_public_confirmed({}, { locale })
		: m.staff_revisit_public_reopened({ code: outcome.newCode }, { locale });
}

/** The outcome a case event records, if it is a revisit's (its stored note is the Chinese). */
export function revisitOutcomeOf(event: { action: string; data?: unknown }): RevisitFinding | null {
	if (event.action === 'revisit_confirm') return { revisit: 'confirmed' };
	const newCase = (event.data as { newCase?: unknown } | null | undefined)?.newCase;
	if (event.action === 'revisit_reopen' && typeof newCase === 'string')
		return { revisit: 'reopened', newCode: newCase };
	return null;
}

/** A case event's note for the public, in the reader's language: a staff reply is shown as written. */
export function publicNoteOf(
	event: { action: string; data?: unknown; publicNote: string | null },
	locale: Locale
): string | null {
	const revisit = revisitOutcomeOf(event);
	return revisit ? revisitNote(revisit, locale) : event.publicNote;
}
