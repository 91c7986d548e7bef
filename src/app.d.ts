import type { SessionUser } from '$lib/server/auth/users';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
			/** Set by handleError when the database was away: the response becomes a 503. */
			databaseUnavailable: boolean;
			/** Names the request in the JSON request log, the other log lines and the `x-request-id` header. */
			requestId: string;
		}
	}
}

export {};
