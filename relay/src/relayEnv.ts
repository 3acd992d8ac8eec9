import type { SessionClaims } from './auth/sessionClaims';

/** The Hono environment every relay route and middleware shares. `Env` comes from `wrangler types`. */
export interface RelayEnv {
    Bindings: Env;
    Variables: {
        /** This request's id, echoed in the `x-request-id` header and in every error body. */
        requestId: string;
        /** Set by `requireSession(scope)` once the bearer token is verified; absent before. */
        session?: SessionClaims;
    };
}
