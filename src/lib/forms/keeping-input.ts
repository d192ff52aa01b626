import type { SubmitFunction } from '@sveltejs/kit';

/**
 * The enhance callback of a form whose fields stay as typed: `busy(true)` while it is sent, then
 * the answer (field errors, or the saved page) applied without clearing what was typed.
 */
export const keepingInput =
	(busy: (sending: boolean) => void): SubmitFunction =>
	() => {
		busy(true);
		return async ({ update }) => {
			await update({ reset: false });
			busy(false);
		};
	};
