/**
 * Ranks things a person could join — club offers and Einsätze — by the markets' scoring
 * core (`scoring.ts`), best first, with the reasons. Pure, no I/O.
 *
 * Each item is scored as a one-offer club of its municipality would be (`scoreOffer`), so an item's
 * value and reasons are exactly what the markets would say about that offer. Items the core excludes (no common
 * language, no time overlap) are left out. Reasons are built only for the items returned, and the
 * person's side is prepared once per person object by the core: ranking 5,000 items stays well
 * under 50 ms (`npm run bench:suggestions`).
 */
import { scoreOffer, scoreOfferValue, type MatchOffer, type MatchPerson, type Reason } from './scoring';

/** 'offer' for a club's offer; 'task' for an Einsatz (src/lib/server/tasks/match.ts), which scores the same way. */
export type RankKind = 'offer' | 'task';

export type RankItem = {
	kind: RankKind;
	id: string;
	/** Name of the municipality the item takes place in (compared with the person's places). */
	municipality: string;
	match: MatchOffer;
};

export type Ranked<T extends RankItem> = {
	item: T;
	/** 1..1000, see scoring.ts. */
	value: number;
	/** Why, best first. */
	reasons: Reason[];
};

export type RankOptions = {
	/** Return at most this many (default: all that are not excluded). */
	limit?: number;
	/** Leave out items scoring below this (default 1: everything not excluded). */
	minValue?: number;
};

export function rankItems<T extends RankItem>(person: MatchPerson, items: readonly T[], options: RankOptions = {}): Ranked<T>[] {
	const minValue = options.minValue ?? 1;
	const values = new Int32Array(items.length);
	const kept: number[] = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i] as T;
		const value = scoreOfferValue(person, item.match, item.municipality);
		values[i] = value;
		if (value >= minValue) kept.push(i);
	}
	// Best first; ties keep the input's order (Array.prototype.sort is stable).
	kept.sort((a, b) => (values[b] as number) - (values[a] as number));
	const top = options.limit === undefined ? kept : kept.slice(0, Math.max(0, options.limit));
	return top.map((i) => {
		const item = items[i] as T;
		return { item, value: values[i] as number, reasons: scoreOffer(person, item.match, item.municipality).reasons };
	});
}
