/** The Hono environment every relay route and middleware shares. `Env` comes from `wrangler types`. */
export interface RelayEnv {
    Bindings: Env;
    Variables: {
        /** This request's id, echoed in the `x-request-id` header and in every error body. */
        requestId: string;
    };
}
