/**
 * Where the app serves what club mail links to. The pages come with the clubs UI; the paths live
 * here so mail and routes agree.
 */
export const paths = {
	clubArea: '/club',
	review: '/admin/clubs',
	invitation: (token: string) => `/club/invitations/${token}`,
	clubPage: (municipalitySlug: string, clubSlug: string) => `/clubs/${municipalitySlug}/${clubSlug}`,
	logo: (clubId: string, version: string) => `/clubs/logo/${clubId}?v=${version.slice(0, 16)}`
};
