import { describe, expect, it } from 'vitest';
import { counter, formatGauge, formatRegistered, histogram, observeRequest } from './metrics';

/** Samples of the exposition text: `name{labels}` → value; the checks below parse what Prometheus would. */
function samples(text: string): Map<string, number> {
	const result = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (!line || line.startsWith('#')) continue;
		const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
		expect(match, `a valid sample line: ${line}`).not.toBeNull();
		result.set(match![1]!, Number(match![2] === '+Inf' ? Infinity : match![2]));
	}
	return result;
}

describe('metrics registry', () => {
	it('counts by label set, in the declared order of labels', () => {
		const c = counter('test_things_total', 'Things.', ['kind', 'colour']);
		c.inc({ kind: 'a', colour: 'red' });
		c.inc({ colour: 'red', kind: 'a' }, 2);
		c.inc({ kind: 'b', colour: 'say "hi"\\\n' });
		const text = formatRegistered().join('\n');
		expect(text).toContain('# TYPE test_things_total counter');
		expect(samples(text).get('test_things_total{kind="a",colour="red"}')).toBe(3);
		// Quotes, backslashes and line breaks in label values are escaped.
		expect(samples(text).get('test_things_total{kind="b",colour="say \\"hi\\"\\\\\\n"}')).toBe(1);
		expect(c.get({ kind: 'a', colour: 'red' })).toBe(3);
	});

	it('keeps histograms cumulative with a +Inf bucket, a sum and a count', () => {
		const h = histogram('test_wait_seconds', 'Waits.', ['route'], [0.1, 1]);
		h.observe({ route: '/x' }, 0.05);
		h.observe({ route: '/x' }, 0.5);
		h.observe({ route: '/x' }, 3);
		const s = samples(formatRegistered().join('\n'));
		expect(s.get('test_wait_seconds_bucket{route="/x",le="0.1"}')).toBe(1);
		expect(s.get('test_wait_seconds_bucket{route="/x",le="1"}')).toBe(2);
		expect(s.get('test_wait_seconds_bucket{route="/x",le="+Inf"}')).toBe(3);
		expect(s.get('test_wait_seconds_sum{route="/x"}')).toBe(3.55);
		expect(s.get('test_wait_seconds_count{route="/x"}')).toBe(3);
	});

	it('observes requests by route id, method and status class, never the raw path', () => {
		observeRequest('/manage/[token]', 'GET', 204, 0.02);
		observeRequest(null, 'BREW', 418, 0.001);
		const s = samples(formatRegistered().join('\n'));
		expect(s.get('miteinander_http_request_duration_seconds_count{route="/manage/[token]",method="GET",status="2xx"}')).toBe(1);
		expect(s.get('miteinander_http_request_duration_seconds_count{route="(none)",method="other",status="4xx"}')).toBe(1);
	});

	it('formats gauges computed at scrape time', () => {
		const text = formatGauge('test_depth', 'Depth.', [{ labels: { status: 'queued' }, value: 4 }, { value: 0 }]).join('\n');
		expect(text).toContain('# TYPE test_depth gauge');
		expect(samples(text)).toEqual(new Map([['test_depth{status="queued"}', 4], ['test_depth', 0]]));
	});
});
