/** The ids a field's hint and error carry, joined for aria-describedby (undefined when there are none). */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
	return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}
