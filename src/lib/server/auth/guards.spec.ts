import { describe, expect, it } from 'vitest';
import { safeRedirectTarget } from './guards';

describe('safeRedirectTarget', () => {
	it('keeps local paths', () => {
		expect(safeRedirectTarget('/admin/outbox?status=failed')).toBe('/admin/outbox?status=failed');
	});

	it('refuses anything that could leave the site', () => {
		for (const value of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
			expect(safeRedirectTarget(value)).toBe('/');
		}
	});
});
