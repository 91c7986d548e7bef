import Holidays from 'date-holidays';

const calendars = new Map<string, Holidays>();

function calendarFor(country: string, language: string): Holidays | null {
	const key = `${country}:${language}`;
	if (!calendars.has(key)) {
		const holidays = new Holidays();
		// A country the library does not know gets no marks: none are better than wrong ones.
		if (!(country in holidays.getCountries())) return null;
		holidays.init(country, { languages: [language], types: ['public'] });
		calendars.set(key, holidays);
	}
	return calendars.get(key)!;
}

/**
 * Public holidays (gesetzliche Feiertage) of a country on the given local dates (`YYYY-MM-DD`),
 * named in the given language: date → name. Regional holidays are left out: the municipality
 * table knows the country, not the state.
 */
export function publicHolidays(country: string, dates: string[], language: string): Map<string, string> {
	const found = new Map<string, string>();
	const holidays = calendarFor(country.toUpperCase(), language);
	if (!holidays) return found;
	const years = new Set(dates.map((d) => Number(d.slice(0, 4))));
	const wanted = new Set(dates);
	for (const year of years) {
		for (const holiday of holidays.getHolidays(year, language)) {
			const day = holiday.date.slice(0, 10);
			if (holiday.type === 'public' && wanted.has(day) && !found.has(day)) found.set(day, holiday.name);
		}
	}
	return found;
}
