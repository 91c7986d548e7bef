import * as m from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import { dateTimeFormat } from '../../format';
import { toCsv } from '../csv';
import { HIDDEN, RESIDENCY_KEYS, residencyLabel, type Figure } from '../../report-format';
import type { Figures, Report } from './index';

/** The report as CSV for German Excel (BOM, `;`, CRLF, formulas neutralised): one row per event and a total. */
export function reportCsv(report: Report, locale: Locale): string {
	const o = { locale };
	const header = [
		m.report_col_event({}, o),
		m.report_col_date({}, o),
		m.report_col_series({}, o),
		m.report_col_registered({}, o),
		...RESIDENCY_KEYS.map((k) => residencyLabel(k, locale)),
		m.report_col_attended({}, o),
		m.report_col_rate({}, o),
		m.report_col_matched({}, o),
		m.report_col_talked({}, o),
		m.report_col_leads({}, o),
		m.report_col_joined({}, o),
		m.report_col_clubs({}, o),
		m.report_col_offers_changed({}, o)
	];
	// Plain digits (no thousands separator) so that Excel reads numbers as numbers.
	const figure = (value: Figure) => (value === HIDDEN ? m.report_hidden({}, o) : String(value));
	const cells = (f: Figures) => [
		figure(f.registered),
		...RESIDENCY_KEYS.map((k) => figure(f.residency[k])),
		figure(f.attended),
		f.attendanceRate === null ? '' : `${f.attendanceRate} %`,
		figure(f.matched),
		figure(f.talked),
		figure(f.leads),
		figure(f.joined),
		String(f.clubs),
		String(f.offersChanged)
	];
	const rows = report.events.map((e) => {
		const date = dateTimeFormat(locale, { dateStyle: 'medium', timeZone: e.timeZone }).format(e.startsAt);
		return [e.title, date, e.series ?? '', ...cells(e)];
	});
	rows.push([m.report_totals({}, o), `${report.from} – ${report.to}`, report.series?.title ?? '', ...cells(report.totals)]);
	if (report.offerLeads) {
		// Contacts through an offer belong to no event: their own row, with only the lead columns filled.
		const blanks = (n: number) => Array<string>(n).fill('');
		rows.push([
			m.report_offer_leads_title({}, o),
			`${report.from} – ${report.to}`,
			'',
			...blanks(1 + RESIDENCY_KEYS.length + 4),
			figure(report.offerLeads.leads),
			figure(report.offerLeads.joined),
			...blanks(2)
		]);
	}
	return toCsv([header, ...rows]);
}
