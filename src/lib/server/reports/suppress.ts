import { HIDDEN, SUPPRESSED, type Figure } from '../../report-format';

export { HIDDEN, SUPPRESSED, type Figure };
/** Counts of people below this are suppressed (counts of clubs and offers never are). */
export const THRESHOLD = 5;

export const isSmall = (n: number) => n > 0 && n < THRESHOLD;

/** A count that must not be shown: "< 5" if it is small, otherwise HIDDEN. */
export function hide(n: number): Figure {
	return isSmall(n) ? SUPPRESSED : HIDDEN;
}

export function suppress(n: number): Figure {
	return isSmall(n) ? SUPPRESSED : n;
}

/**
 * Parts of a shown total (the residency breakdown of registrations, the events of a column): each
 * small part is suppressed, and when exactly one part is, the smallest other non-zero part goes
 * too, so that "total − the rest" does not give it away. The total itself follows the per-cell rule.
 *
 * Limitation: this is applied per row and per column separately, not over the whole table at once
 * (no full complementary suppression); a determined reader with several tables of overlapping
 * periods could still narrow a suppressed cell down.
 */
export function hiddenParts(parts: number[], total = parts.reduce((a, b) => a + b, 0)): boolean[] {
	const hidden = parts.map(isSmall);
	if (!isSmall(total) && hidden.filter(Boolean).length === 1) {
		let smallest = -1;
		parts.forEach((n, i) => {
			if (!hidden[i] && n > 0 && (smallest < 0 || n < parts[smallest]!)) smallest = i;
		});
		if (smallest >= 0) hidden[smallest] = true;
	}
	return hidden;
}

export function suppressParts(parts: number[], total?: number): Figure[] {
	const hidden = hiddenParts(parts, total);
	return parts.map((n, i) => (hidden[i] ? hide(n) : n));
}

/** The share a / b in per cent, unless either count is suppressed or b is zero. */
export function rate(a: number, b: number): number | null {
	if (b === 0 || isSmall(a) || isSmall(b)) return null;
	return Math.round((a / b) * 100);
}
