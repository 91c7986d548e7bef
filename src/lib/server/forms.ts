import * as v from 'valibot';

export type FieldErrors = Record<string, string>;

/** Validates form data against a Valibot object schema; on failure returns one message per field. */
export function parseForm<TSchema extends v.GenericSchema>(
	schema: TSchema,
	formData: FormData
): { ok: true; data: v.InferOutput<TSchema> } | { ok: false; errors: FieldErrors } {
	const input: Record<string, string> = {};
	for (const [key, value] of formData) if (typeof value === 'string') input[key] = value;
	const result = v.safeParse(schema, input);
	if (result.success) return { ok: true, data: result.output };
	const errors: FieldErrors = {};
	for (const issue of result.issues) {
		const key = v.getDotPath(issue) ?? 'form';
		errors[key] ??= issue.message;
	}
	return { ok: false, errors };
}

/**
 * The submitted text of the named fields, to fill the form in again after an error. Only these: an
 * echo of every key sent would return whatever a client adds (a `__proto__` field cannot even be
 * serialised, which ended in a 500).
 */
export function formValues(formData: FormData, keys: readonly string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const key of keys) {
		const value = formData.get(key);
		if (typeof value === 'string') values[key] = value.slice(0, 6000);
	}
	return values;
}

/** Query parameters without empty values, so "all" in a filter form means "no filter". */
export function queryParams(url: URL): Record<string, string> {
	return Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
}
