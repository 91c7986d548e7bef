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

/** Query parameters without empty values, so "all" in a filter form means "no filter". */
export function queryParams(url: URL): Record<string, string> {
	return Object.fromEntries([...url.searchParams].filter(([, value]) => value !== ''));
}
