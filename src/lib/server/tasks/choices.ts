import { getLocale } from '$lib/paraglide/runtime';
import { LANGUAGES } from '$lib/participant-profile';
import * as competences from '$lib/server/competences';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';

async function timeZoneOf(municipalityId: string): Promise<string> {
	return (await runtime.db().selectFrom('municipality').select('time_zone').where('id', '=', municipalityId).executeTakeFirstOrThrow()).time_zone;
}

/** The choices of the Einsatz form: tags, the municipality's competences, languages, and its zone for the shift times. */
export async function taskChoices(municipalityId: string) {
	return {
		tags: (await tags.list(runtime.db(), getLocale())).map((t) => ({ slug: t.slug, label: t.label })),
		competences: (await competences.list(runtime.db(), [municipalityId], getLocale())).map((c) => ({ slug: c.slug, label: c.label })),
		languages: LANGUAGES,
		timeZone: await timeZoneOf(municipalityId)
	};
}

/** What the Einsatz form is checked against: the slugs it may name and the zone its times are in. */
export async function formOptions(municipalityId: string) {
	return {
		tagSlugs: (await tags.list(runtime.db(), 'de')).map((t) => t.slug),
		competenceSlugs: (await competences.list(runtime.db(), [municipalityId], 'de')).map((c) => c.slug),
		timeZone: await timeZoneOf(municipalityId)
	};
}
