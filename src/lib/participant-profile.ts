/** What a person tells us about themselves when registering (stored as JSON on `person.profile`). */
export const RESIDENCIES = ['resident', 'incoming', 'outgoing', 'new_in_town', 'guest'] as const;
export type Residency = (typeof RESIDENCIES)[number];

export const AVAILABILITY = ['weekdays', 'weekends', 'evenings', 'daytime'] as const;
export type Availability = (typeof AVAILABILITY)[number];

export const LANGUAGES = ['de', 'en', 'tr', 'ar', 'uk', 'it', 'fr', 'es', 'bs', 'hr', 'sr', 'ro', 'pl', 'hu', 'fa'] as const;

export interface Profile {
	residency: Residency;
	homePlace: string;
	secondPlace: string;
	availability: Availability[];
	/** Free text: when a multilocal person is usually here, e.g. "Mai bis September, jedes zweite Wochenende". */
	presence: string;
	languages: string[];
	accessibilityNeeds: string;
	/** Tag slugs. */
	interests: string[];
	/** Competence slugs (Erste Hilfe …) from the hosts' lists; absent in profiles saved before. */
	competences?: string[];
}

export const emptyProfile: Profile = {
	residency: 'resident',
	homePlace: '',
	secondPlace: '',
	availability: [],
	presence: '',
	languages: ['de'],
	accessibilityNeeds: '',
	interests: []
};

export function parseProfile(json: string | null): Profile {
	if (!json) return { ...emptyProfile };
	try {
		return { ...emptyProfile, ...(JSON.parse(json) as Partial<Profile>) };
	} catch {
		return { ...emptyProfile };
	}
}

/** A participant form's raw values, to fill it again after an error: nothing typed is lost. */
export interface ParticipantValues {
	name: string;
	email?: string;
	residency: string;
	homePlace: string;
	secondPlace: string;
	presence: string;
	accessibilityNeeds: string;
	interests: string[];
	availability: string[];
	languages: string[];
	competences?: string[];
}
