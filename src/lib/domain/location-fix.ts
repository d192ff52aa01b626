/*
 * Following GPS on the report form: the first fix is often coarse (cell towers, Wi-Fi) and a better
 * one comes seconds later. The pin follows better fixes until the resident moves it by hand.
 */

/** How long to keep watching for a better fix after the resident asks for their position. */
export const FOLLOW_GPS_MS = 60_000;
/** A fix this accurate (metres) ends the watch: a better one would change nothing. */
export const GOOD_FIX_M = 10;

export interface PinState {
	/** The resident placed the pin themselves (map tap or drag). */
	byHand: boolean;
	/** Accuracy of the fix the pin shows, or null when it shows no fix (empty, or the map's centre). */
	accuracyM: number | null;
}

/** Whether a new GPS fix should move the pin: only a more accurate one, never over a hand-placed pin. */
export function takesFix(pin: PinState, fixAccuracyM: number): boolean {
	if (pin.byHand || !Number.isFinite(fixAccuracyM) || fixAccuracyM < 0) return false;
	return pin.accuracyM === null || fixAccuracyM < pin.accuracyM;
}
