/**
 * How well a person fits a club: `score(person, club) → { value, reasons }`.
 * Pure, no I/O. Values are integers 0..1000; a hard mismatch (no common language, no time
 * overlap) is `excluded` and never becomes a candidate pair.
 */

export type MatchPerson = {
	id: string;
	/** 'resident' | 'incoming' | 'outgoing' | 'new_in_town' | 'guest' (see participant-profile.ts). */
	residency: string;
	/** Interest tag slug → weight (> 0); the person's own order gives weights in the app. */
	interests: Record<string, number>;
	/** Any of 'weekdays' | 'weekends' | 'evenings' | 'daytime'; [] = not said (no constraint). */
	availability: string[];
	/** Months 1–12 in which the person is here; [] = all year / not said. */
	presentMonths: number[];
	/** Language codes; [] = not said (no constraint). */
	languages: string[];
	/** Place names as typed (compared case- and accent-insensitively); '' = not said. */
	homePlace: string;
	secondPlace: string;
};

export type MatchOffer = {
	id: string;
	title: string;
	tags: string[];
	commitment: 'one_off' | 'occasional' | 'regular';
	onWeekdays: boolean;
	onWeekends: boolean;
	inEvenings: boolean;
	/** Months 1–12; [] = all year. */
	months: number[];
	isRemote: boolean;
	/** Language codes; [] = not said. */
	languages: string[];
	suitsMultilocal: boolean;
};

export type MatchClub = {
	id: string;
	/** Name of the club's municipality (compared with the person's places). */
	municipality: string;
	/** The club's own tags (used when it has no offers). */
	tags: string[];
	offers: MatchOffer[];
};

export type Reason =
	| { code: 'interests'; tags: string[] }
	| { code: 'time'; when: string[]; months: number[] }
	| { code: 'language'; languages: string[] }
	| { code: 'place'; place: string; which: 'home' | 'second' }
	| { code: 'remote' }
	| { code: 'multilocal' };

export type Exclusion = 'no_common_language' | 'no_time_overlap';

export type Score = {
	/** 0..1000, integer. 0 when excluded. */
	value: number;
	/** Why, best first; the app translates them. */
	reasons: Reason[];
	/** The offer the value comes from (the club's best), or null when the club has none. */
	offerId: string | null;
	/** Set when the pair must never be matched. */
	excluded?: Exclusion;
};

export function score(person: MatchPerson, club: MatchClub): Score {
	void person;
	void club;
	throw new Error('not implemented');
}
