import { getLocale } from '$lib/paraglide/runtime';
import { LANGUAGES } from '$lib/participant-profile';
import * as competences from '$lib/server/competences';
import * as runtime from '$lib/server/runtime';
import * as tags from '$lib/server/tags';

/** The choices of the Einsatz form: tags, the municipality's competences, languages. */
export async function taskChoices(municipalityId: string) {
	return {
		tags: (await tags.list(runtime.db(), getLocale())).map((t) => ({ slug: t.slug, label: t.label })),
		competences: (await competences.list(runtime.db(), [municipalityId], getLocale())).map((c) => ({ slug: c.slug, label: c.label })),
		languages: LANGUAGES
	};
}

export async function slugs(municipalityId: string) {
	return {
		tagSlugs: (await tags.list(runtime.db(), 'de')).map((t) => t.slug),
		competenceSlugs: (await competences.list(runtime.db(), [municipalityId], 'de')).map((c) => c.slug)
	};
}
