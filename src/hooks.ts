import type { Reroute } from '@sveltejs/kit';
import { deLocalizeHref } from '$lib/i18n';

export const reroute: Reroute = ({ url }) => deLocalizeHref(url.pathname);
