// A tiny in-process registry for /metrics in Prometheus' text format (version 0.0.4): counters and
// histograms, each with a fixed set of label names. Counters are per process — Prometheus scrapes
// every instance and sums them; what lives in the database (the outbox) is read at scrape time
// (see metrics-scrape.ts), so every instance reports the same, current figure.

type Labels = Record<string, string>;

function escapeLabel(value: string): string {
	return value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function labelText(labels: Labels): string {
	const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
	return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function formatNumber(value: number): string {
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

interface Metric {
	name: string;
	help: string;
	type: 'counter' | 'gauge' | 'histogram';
	lines(): string[];
}

const metrics: Metric[] = [];

function header(metric: Pick<Metric, 'name' | 'help' | 'type'>): string[] {
	return [`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`];
}

/** Orders labels as declared, so that `{a, b}` and `{b, a}` are one series. */
function keyOf(names: readonly string[], labels: Labels): string {
	return JSON.stringify(names.map((n) => labels[n] ?? ''));
}

function labelsOf(names: readonly string[], key: string): Labels {
	const values = JSON.parse(key) as string[];
	return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

export interface Counter<L extends string> {
	inc(labels: Record<L, string>, by?: number): void;
	/** The current value (for tests and the outbox page). */
	get(labels: Record<L, string>): number;
}

export function counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
	const values = new Map<string, number>();
	metrics.push({
		name,
		help,
		type: 'counter',
		lines: () => [...values].map(([key, value]) => `${name}${labelText(labelsOf(labelNames, key))} ${formatNumber(value)}`)
	});
	return {
		inc(labels, by = 1) {
			const key = keyOf(labelNames, labels);
			values.set(key, (values.get(key) ?? 0) + by);
		},
		get: (labels) => values.get(keyOf(labelNames, labels)) ?? 0
	};
}

export interface Histogram<L extends string> {
	observe(labels: Record<L, string>, value: number): void;
}

interface Series {
	counts: number[];
	sum: number;
	count: number;
}

export function histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): Histogram<L> {
	const series = new Map<string, Series>();
	metrics.push({
		name,
		help,
		type: 'histogram',
		lines: () =>
			[...series].flatMap(([key, s]) => {
				const labels = labelsOf(labelNames, key);
				return [
					...buckets.map((le, i) => `${name}_bucket${labelText({ ...labels, le: formatNumber(le) })} ${s.counts[i]}`),
					`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`,
					`${name}_sum${labelText(labels)} ${formatNumber(s.sum)}`,
					`${name}_count${labelText(labels)} ${s.count}`
				];
			})
	});
	return {
		observe(labels, value) {
			const key = keyOf(labelNames, labels);
			let s = series.get(key);
			if (!s) series.set(key, (s = { counts: buckets.map(() => 0), sum: 0, count: 0 }));
			// Cumulative, as the format wants: a value counts in every bucket at or above it.
			for (let i = 0; i < buckets.length; i++) if (value <= buckets[i]!) s.counts[i]!++;
			s.sum += value;
			s.count++;
		}
	};
}

/** A gauge whose samples the caller computes at scrape time (read from the database). */
export interface GaugeSample {
	labels?: Labels;
	value: number;
}

export function formatGauge(name: string, help: string, samples: GaugeSample[]): string[] {
	return [...header({ name, help, type: 'gauge' }), ...samples.map((s) => `${name}${labelText(s.labels ?? {})} ${formatNumber(s.value)}`)];
}

/** Every registered counter and histogram, in registration order; a metric without samples yet still shows its HELP and TYPE. */
export function formatRegistered(): string[] {
	return metrics.flatMap((metric) => [...header(metric), ...metric.lines()]);
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const requestDuration = histogram(
	'miteinander_http_request_duration_seconds',
	'Time until the response headers were ready, by SvelteKit route id (not the path), method and status class.',
	['route', 'method', 'status'],
	SECONDS
);

/** One request: the route id keeps the number of series small and the tokens in paths out. */
export function observeRequest(route: string | null, method: string, status: number, seconds: number): void {
	requestDuration.observe(
		{ route: route ?? '(none)', method: METHODS.has(method) ? method : 'other', status: `${Math.floor(status / 100)}xx` },
		seconds
	);
}

export const registrationsTotal = counter(
	'miteinander_registrations_total',
	'Registrations for events and shifts handled by this process: requested (form sent), confirmed, waitlisted.',
	['outcome']
);

export const matchingRunsTotal = counter('miteinander_matching_runs_total', 'Matching runs (plans computed) by this process, by event kind.', ['kind']);

export const matchingRunDuration = histogram(
	'miteinander_matching_run_duration_seconds',
	'Duration of a matching run, from loading the participants to storing the draft.',
	['kind'],
	[0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
);

export const outboxFailuresTotal = counter(
	'miteinander_outbox_delivery_failures_total',
	"Failed delivery attempts by this process's outbox worker: retry (attempt spent, tried again later) or failed (given up).",
	['outcome']
);
