import { DateTime } from 'luxon';

// The filters of the public Einsätze list (/einsaetze): read leniently from the query string, so
// an old bookmark with a choice that no longer exists still shows something instead of an error.

export const PERIODS = ['week', 'weekend', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface PublicTaskQuery {
	municipality?: string;
	tag?: string;
	period?: Period;
	freeOnly?: boolean;
	page: number;
}

export function parsePublicTaskQuery(params: URLSearchParams, scope: { tagSlugs: string[]; municipalitySlugs: string[] }): PublicTaskQuery {
	const one = (key: string) => (params.get(key) ?? '').trim();
	const page = Number(one('page'));
	const period = one('when');
	return {
		municipality: scope.municipalitySlugs.includes(one('municipality')) ? one('municipality') : undefined,
		tag: scope.tagSlugs.includes(one('tag')) ? one('tag') : undefined,
		period: (PERIODS as readonly string[]).includes(period) ? (period as Period) : undefined,
		freeOnly: ['on', 'true', '1'].includes(one('free')) || undefined,
		page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1
	};
}

/**
 * The time a quick choice stands for, as a half-open range [from, to) in the region's local time:
 * "this week" runs to Sunday midnight, "this weekend" is Saturday and Sunday (the rest of it once
 * it has begun), "next 30 days" is thirty times 24 hours from now.
 */
export function periodRange(period: Period, now: Date, timeZone: string): { from: Date; to: Date } {
	const local = DateTime.fromJSDate(now, { zone: timeZone });
	const nextMonday = local.startOf('day').plus({ days: 8 - local.weekday });
	switch (period) {
		case 'week':
			return { from: now, to: nextMonday.toJSDate() };
		case 'weekend': {
			const saturday = nextMonday.minus({ days: 2 }).toJSDate();
			return { from: saturday > now ? saturday : now, to: nextMonday.toJSDate() };
		}
		case 'month':
			return { from: now, to: local.plus({ days: 30 }).toJSDate() };
	}
}
