import { languageName } from '$lib/language-names';
import * as m from '$lib/paraglide/messages';

const commitments: Record<string, () => string> = {
	one_off: m.directory_commitment_one_off,
	occasional: m.directory_commitment_occasional,
	regular: m.directory_commitment_regular
};

export function commitmentLabel(commitment: string): string {
	return commitments[commitment]?.() ?? commitment;
}

export function languageLabel(code: string): string {
	return languageName(code);
}

/** Tag slugs as the reader's labels, from the vocabulary the page was given. */
export function tagLabels(slugs: string[], vocabulary: { slug: string; label: string }[]): string[] {
	return slugs.map((slug) => vocabulary.find((t) => t.slug === slug)?.label ?? slug);
}
