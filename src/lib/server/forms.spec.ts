import { describe, expect, it } from 'vitest';
import { formValues } from './forms';

describe('formValues', () => {
	it('echoes only the named text fields that were sent', () => {
		const form = new FormData();
		form.append('size', '2');
		form.append('__proto__', 'x');
		form.append('extra', 'y');
		form.append('notes', new Blob(['file']), 'notes.txt');
		const values = formValues(form, ['size', 'notes', 'staff']);
		expect(values).toEqual({ size: '2' });
		expect(Object.keys(values)).toEqual(['size']);
	});

	it('cuts very long values', () => {
		const form = new FormData();
		form.append('notes', 'x'.repeat(10_000));
		expect(formValues(form, ['notes']).notes).toHaveLength(6000);
	});
});
