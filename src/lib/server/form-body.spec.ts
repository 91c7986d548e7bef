import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { guardFormBody } from './form-body';

function post(body: BodyInit, type: string | null): Request {
	const request = new Request('http://localhost/de/sign-in', { method: 'POST', body, headers: type ? { 'content-type': type } : {} });
	guardFormBody(request, 'POST /de/sign-in');
	return request;
}

async function statusOf(request: Request): Promise<number | 'ok'> {
	try {
		await request.formData();
		return 'ok';
	} catch (cause) {
		if (isHttpError(cause)) return cause.status;
		throw cause;
	}
}

describe('reading a posted form', () => {
	it('passes a proper form through, and the same one on a second read', async () => {
		const request = post('email=maria%40example.org', 'application/x-www-form-urlencoded');
		expect((await request.formData()).get('email')).toBe('maria@example.org');
		expect((await request.formData()).get('email')).toBe('maria@example.org');
	});

	it('answers 400 to a broken multipart body or a NUL in a field, 415 to what is no form', async () => {
		expect(await statusOf(post('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', 'multipart/form-data; boundary=x'))).toBe(400);
		expect(await statusOf(post('name=Maria%00', 'application/x-www-form-urlencoded'))).toBe(400);
		expect(await statusOf(post('na%00me=Maria', 'application/x-www-form-urlencoded'))).toBe(400);
		expect(await statusOf(post('email=maria', 'text/plain'))).toBe(415);
		expect(await statusOf(post('{"email":"maria"}', 'application/json'))).toBe(415);
		expect(await statusOf(post('email=maria', null))).toBe(415);
	});
});
