import { describe, expect, it } from 'vitest';
import { formatRequestLine, requestId } from './request-log';

describe('request log', () => {
	it('keeps an incoming request id only when it is a plain token', () => {
		expect(requestId('proxy-7f3a.42:1')).toBe('proxy-7f3a.42:1');
		for (const odd of [null, '', 'a b', 'x"}\n{"forged":1', 'ä', 'x'.repeat(129)]) {
			expect(requestId(odd)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		}
	});

	it('writes one JSON line with the route id, never more than it is given', () => {
		const now = new Date('2026-12-07T10:00:00Z');
		const line = formatRequestLine({ requestId: 'r1', method: 'GET', route: '/manage/[token]', status: 200, durationMs: 12.345 }, now);
		expect(line).not.toContain('\n');
		expect(JSON.parse(line)).toEqual({
			time: '2026-12-07T10:00:00.000Z',
			level: 'info',
			msg: 'request',
			requestId: 'r1',
			method: 'GET',
			route: '/manage/[token]',
			status: 200,
			durationMs: 12.3
		});
		expect(JSON.parse(formatRequestLine({ requestId: 'r2', method: 'POST', route: null, status: 503, durationMs: 1 }, now))).toMatchObject({ level: 'error', route: null });
	});
});
