/**
 * When a multilocal person is here, read from their own words: "Mai bis September", "Juli und
 * August", "im Winter", "Dezember–März", "June to August", "außer im Juli". Pure, no I/O.
 *
 * Understood: German and English month names and abbreviations (also Austrian Jänner/Feber),
 * seasons (summer 6–8, winter 12–2, spring 3–5, autumn 9–11, and their compounds such as
 * "Sommermonate"; Sommer-/Winterhalbjahr 4–9 / 10–3), ranges with bis / to / until / – / -,
 * "zwischen … und …", lists, and negation: before months ("außer Juli", "except July") or after
 * them in the same clause ("im Winter nicht"); with only negated months, the rest of the year.
 * Everything else is skipped: "jedes zweite Wochenende" says nothing about months.
 */

type Period = { first: number; last: number };

const MONTHS: Record<string, number> = {};
const monthNames: [number, string[]][] = [
	[1, ['januar', 'jänner', 'jaenner', 'janner', 'jan', 'jän', 'january']],
	[2, ['februar', 'feber', 'feb', 'febr', 'february']],
	[3, ['märz', 'maerz', 'marz', 'mär', 'mrz', 'march', 'mar']],
	[4, ['april', 'apr']],
	[5, ['mai']],
	[6, ['juni', 'jun', 'june']],
	[7, ['juli', 'jul', 'july']],
	[8, ['august', 'aug']],
	[9, ['september', 'sept', 'sep']],
	[10, ['oktober', 'okt', 'october', 'oct']],
	[11, ['november', 'nov']],
	[12, ['dezember', 'dez', 'december', 'dec']]
];
for (const [month, names] of monthNames) for (const name of names) MONTHS[name] = month;

const SEASONS: Record<string, Period> = {};
const seasonNames: [Period, string[]][] = [
	[{ first: 3, last: 5 }, ['frühling', 'fruehling', 'frühjahr', 'fruehjahr', 'spring']],
	[{ first: 6, last: 8 }, ['sommer', 'summer']],
	[{ first: 9, last: 11 }, ['herbst', 'autumn']],
	[{ first: 12, last: 2 }, ['winter']]
];
const SEASON_SUFFIXES = ['', 's', 'monate', 'monaten', 'zeit', 'wochen', 'ferien', 'time', 'months'];
for (const [period, names] of seasonNames) {
	for (const name of names) for (const suffix of SEASON_SUFFIXES) SEASONS[name + suffix] = period;
}
SEASONS['sommerhalbjahr'] = { first: 4, last: 9 };
SEASONS['winterhalbjahr'] = { first: 10, last: 3 };

const RANGE_WORDS = new Set(['bis', 'to', 'until', 'till', 'til', 'through', 'thru']);
const AND_WORDS = new Set(['und', 'and', 'sowie', 'oder', 'or']);
const BETWEEN_WORDS = new Set(['zwischen', 'between']);
const NOT_WORDS = new Set(['außer', 'ausser', 'ausgenommen', 'nicht', 'kein', 'keine', 'ohne', 'except', 'excluding', 'not', 'never', 'nie']);
const STOP_WORDS = new Set(['aber', 'sonst', 'but', 'otherwise']);
/** Words that may stand between months, connectors and negations without breaking them apart. */
const FILLER_WORDS = new Set([
	'im', 'in', 'am', 'an', 'den', 'dem', 'der', 'die', 'das', 'des', 'von', 'vom', 'ab', 'seit',
	'zum', 'zur', 'während', 'ende', 'anfang', 'mitte', 'beginn', 'einschließlich', 'inklusive',
	'inkl', 'ca', 'circa', 'etwa', 'meist', 'meistens', 'immer', 'jeweils', 'auch', 'for',
	'the', 'of', 'from', 'since', 'during', 'early', 'late', 'mid', 'end', 'beginning', 'start',
	'around', 'about', 'usually', 'mostly', 'always', 'also', 'including', 'inclusive'
]);
/** Before "may" or "fall", these make a month or season of it ("in May", "in the fall"). */
const ENGLISH_TIME_CUES = new Set([
	'in', 'the', 'from', 'of', 'since', 'until', 'till', 'to', 'through', 'and', 'or', 'between',
	'early', 'late', 'mid', 'end', 'beginning', 'this', 'next', 'every', 'each', 'except', 'not'
]);

type Token =
	| { kind: 'period'; period: Period }
	| { kind: 'range' | 'and' | 'comma' | 'between' | 'not' | 'filler' | 'stop' | 'other' };

type Mention = { period: Period; negated: boolean };

export function monthsFromPresence(text: string): number[] {
	const tokens = tokenise(text);
	const mentions: Mention[] = [];
	// Months named since the last comma or full stop: a "nicht" after them negates them.
	let clause: Mention[] = [];
	// 'pending': a negation word waits for months after it ("außer Juli") or negates the clause
	// before it ("im Winter nicht"); 'active': months after it are negated until other words come.
	let negation: 'none' | 'pending' | 'active' = 'none';
	let between = false;

	const settle = () => {
		if (negation === 'pending') for (const mention of clause) mention.negated = true;
		negation = 'none';
	};

	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i] as Token;
		switch (token.kind) {
			case 'period': {
				let period = token.period;
				const to = nextSignificant(tokens, i + 1);
				const toToken = tokens[to];
				if (toToken?.kind === 'range' || (between && toToken?.kind === 'and')) {
					const end = nextSignificant(tokens, to + 1);
					const endToken = tokens[end];
					if (endToken?.kind === 'period') {
						period = { first: period.first, last: endToken.period.last };
						i = end;
					}
				}
				const mention = { period, negated: negation !== 'none' };
				mentions.push(mention);
				if (negation === 'none') clause.push(mention);
				else negation = 'active';
				between = false;
				break;
			}
			case 'not':
				if (negation === 'none') negation = 'pending';
				break;
			case 'between':
				settle();
				between = true;
				break;
			case 'and':
				if (negation === 'pending') settle();
				break;
			case 'comma':
				if (negation === 'pending') settle();
				clause = [];
				break;
			case 'other':
				settle();
				between = false;
				break;
			case 'stop':
				settle();
				clause = [];
				between = false;
				break;
			case 'range':
			case 'filler':
				break;
		}
	}
	settle();

	const present = new Set<number>();
	const absent = new Set<number>();
	for (const { period, negated } of mentions) addPeriod(negated ? absent : present, period);
	if (present.size === 0 && absent.size === 0) return [];
	const months: number[] = [];
	for (let m = 1; m <= 12; m++) {
		if ((present.size === 0 || present.has(m)) && !absent.has(m)) months.push(m);
	}
	return months;
}

function addPeriod(months: Set<number>, { first, last }: Period): void {
	for (let m = first; ; m = (m % 12) + 1) {
		months.add(m);
		if (m === last) break;
	}
}

function nextSignificant(tokens: Token[], from: number): number {
	let i = from;
	while (tokens[i]?.kind === 'filler') i++;
	return i;
}

function tokenise(text: string): Token[] {
	const words: { word: string; raw: string }[] = [];
	for (const match of text.normalize('NFC').matchAll(/\p{L}+|\d+|[–—-]|[;!?\n,/&.]/gu)) {
		words.push({ word: match[0].toLowerCase(), raw: match[0] });
	}
	return words.map(({ word, raw }, i) => classify(word, raw, words[i - 1]?.word, words[i + 1]?.word));
}

function classify(word: string, raw: string, previous: string | undefined, next: string | undefined): Token {
	const month = MONTHS[word];
	if (month !== undefined) return { kind: 'period', period: { first: month, last: month } };
	const season = SEASONS[word];
	if (season !== undefined) return { kind: 'period', period: season };
	// English words that are also everyday words ("you may", "auf jeden Fall") need a cue.
	if (word === 'may' || word === 'fall') {
		const cued =
			(word === 'may' && raw === 'May') ||
			(previous !== undefined && ENGLISH_TIME_CUES.has(previous)) ||
			(next !== undefined && (RANGE_WORDS.has(next) || isDash(next) || MONTHS[next] !== undefined));
		if (cued) return { kind: 'period', period: word === 'may' ? { first: 5, last: 5 } : { first: 9, last: 11 } };
		return { kind: 'other' };
	}
	if (RANGE_WORDS.has(word) || isDash(word)) return { kind: 'range' };
	if (AND_WORDS.has(word) || word === '&' || word === '/') return { kind: 'and' };
	if (word === ',') return { kind: 'comma' };
	if (BETWEEN_WORDS.has(word)) return { kind: 'between' };
	if (NOT_WORDS.has(word)) return { kind: 'not' };
	if (STOP_WORDS.has(word) || word === ';' || word === '!' || word === '?' || word === '\n') return { kind: 'stop' };
	if (FILLER_WORDS.has(word) || word === '.' || /^\d+$/.test(word)) return { kind: 'filler' };
	return { kind: 'other' };
}

function isDash(word: string): boolean {
	return word === '-' || word === '–' || word === '—';
}
