import type * as offers from '../../src/lib/server/clubs/offers';

/** A plain offer (weekdays, regular, German, in Imst); suites override what their tests are about. */
export function offerInput(over: Partial<offers.OfferInput> = {}): offers.OfferInput {
	return {
		title: 'Mithelfen',
		description: '',
		commitment: 'regular',
		onWeekdays: true,
		onWeekends: false,
		inEvenings: false,
		months: [],
		place: 'Imst',
		isRemote: false,
		languages: ['de'],
		minimumAge: null,
		suitsMultilocal: false,
		capacity: null,
		tags: [],
		...over
	};
}
