import { getLocale } from '$lib/paraglide/runtime';
import { LANGUAGES } from '$lib/participant-profile';
import { COMMITMENTS, type Offer } from '$lib/server/clubs/offers';
import * as runtime from '$lib/server/runtime';
import * as competences from '$lib/server/competences';
import * as tags from '$lib/server/tags';

/** The choices the offer form offers (tags and the club's municipality's competences in the reader's language). */
export async function offerChoices(municipalityId: string) {
	return {
		tags: await tags.list(runtime.db(), getLocale()),
		competences: (await competences.list(runtime.db(), [municipalityId], getLocale())).map((c) => ({ slug: c.slug, label: c.label })),
		languages: LANGUAGES,
		commitments: COMMITMENTS
	};
}

export async function competenceSlugs(municipalityId: string): Promise<string[]> {
	return (await competences.list(runtime.db(), [municipalityId], 'de')).map((c) => c.slug);
}

export async function tagSlugs(): Promise<string[]> {
	return (await tags.list(runtime.db(), 'de')).map((t) => t.slug);
}

/** An offer as the form's values (checkboxes 'on' or ''). */
export function offerValues(offer: Offer): Record<string, string | string[]> {
	const flag = (on: boolean) => (on ? 'on' : '');
	return {
		title: offer.title,
		description: offer.description,
		commitment: offer.commitment,
		onWeekdays: flag(offer.onWeekdays),
		onWeekends: flag(offer.onWeekends),
		inEvenings: flag(offer.inEvenings),
		months: offer.months.map(String),
		place: offer.place,
		isRemote: flag(offer.isRemote),
		languages: offer.languages,
		minimumAge: offer.minimumAge === null ? '' : String(offer.minimumAge),
		suitsMultilocal: flag(offer.suitsMultilocal),
		capacity: offer.capacity === null ? '' : String(offer.capacity),
		tags: offer.tags,
		competences: offer.competences ?? []
	};
}

/** The form field an offer problem belongs to. */
export function problemField(problem: string): string {
	return problem === 'unknown_tag' ? 'tags' : problem === 'unknown_competence' ? 'competences' : 'form';
}
