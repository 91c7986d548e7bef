// Two requests that insert the same unique key at the same moment (one person registering twice
// from two tabs, two instances): the loser's transaction fails on the key. Running it again is the
// fix, because the second run finds the winner's row and takes the path the code already has for
// an existing one (the known person, the existing request).

/** A unique key taken by a concurrent writer, or PostgreSQL giving up a transaction to a concurrent one. */
export function isConflict(cause: unknown): boolean {
	const code = String((cause as { code?: unknown } | null)?.code ?? '');
	return (
		code === '23505' || // unique_violation
		code === '40001' || // serialization_failure
		code === '40P01' || // deadlock_detected
		code === 'SQLITE_CONSTRAINT_UNIQUE' ||
		code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
	);
}

/**
 * Runs `transaction` (a whole transaction: on PostgreSQL a failed statement spoils the rest of it)
 * and once more when it lost such a race. A conflict that persists is a bug and is thrown.
 */
export async function retryOnConflict<T>(transaction: () => Promise<T>, attempts = 3): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await transaction();
		} catch (cause) {
			if (attempt >= attempts || !isConflict(cause)) throw cause;
		}
	}
}
