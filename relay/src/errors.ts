import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
    RelayErrorBody,
    RelayErrorType
} from '../../force-app/main/default/lwc/relayContract/relayContract';
import type { RelayEnv } from './relayEnv';

/**
 * An error a route throws on purpose, carrying the contract's error type. Its message reaches the
 * client, so it must be written for the user and never contain upstream bodies or secrets.
 */
export class RelayError extends HTTPException {
    readonly type: RelayErrorType;
    /** Headers the client needs to act on the error, e.g. `retry-after` on 429. */
    readonly headers: Readonly<Record<string, string>>;

    constructor(
        status: ContentfulStatusCode,
        type: RelayErrorType,
        message: string,
        headers: Readonly<Record<string, string>> = {}
    ) {
        super(status, { message });
        this.type = type;
        this.headers = headers;
    }
}

const GENERIC_INTERNAL_MESSAGE =
    'The relay hit an unexpected error. Quote the request id to support.';

/** The error type a client can branch on, for HTTP exceptions thrown without one (e.g. by Hono). */
export function errorTypeForStatus(status: number): RelayErrorType {
    switch (status) {
        case 400:
        case 405:
        case 415:
        case 422:
            return 'invalid_request';
        case 401:
            return 'unauthorized';
        case 403:
            return 'forbidden';
        case 404:
            return 'not_found';
        case 413:
            return 'payload_too_large';
        case 429:
            return 'rate_limited';
        case 502:
        case 503:
        case 504:
        case 529:
            return 'upstream_error';
        default:
            return status >= 500 ? 'internal_error' : 'invalid_request';
    }
}

/** Answers with the one error shape the relay uses everywhere. */
export function respondWithError(
    c: Context<RelayEnv>,
    status: ContentfulStatusCode,
    type: RelayErrorType,
    message: string,
    headers: Readonly<Record<string, string>> = {}
): Response {
    const body: RelayErrorBody = { error: { type, message, requestId: c.get('requestId') ?? '' } };
    return c.json(body, status, { ...headers });
}

/** `app.notFound`: unknown paths get the error shape, not Hono's plain-text 404. */
export function handleNotFound(c: Context<RelayEnv>): Response {
    return respondWithError(c, 404, 'not_found', 'The relay has no such route.');
}

/**
 * `app.onError`: thrown HTTP exceptions keep their status and message; anything else becomes a
 * generic 500 so no stack trace, upstream body or secret ever reaches the client or the logs.
 */
export function handleError(err: Error, c: Context<RelayEnv>): Response {
    if (err instanceof RelayError) {
        return respondWithError(c, err.status, err.type, err.message, err.headers);
    }
    if (err instanceof HTTPException) {
        const type = errorTypeForStatus(err.status);
        // Hono's own 4xx messages (body limit, auth) are safe to show; a 5xx one may carry internals.
        const message = err.status < 500 && err.message ? err.message : genericMessageFor(type);
        return respondWithError(c, err.status, type, message);
    }
    return respondWithError(c, 500, 'internal_error', GENERIC_INTERNAL_MESSAGE);
}

function genericMessageFor(type: RelayErrorType): string {
    switch (type) {
        case 'internal_error':
            return GENERIC_INTERNAL_MESSAGE;
        case 'upstream_error':
            return 'The LLM service did not answer properly. Try again shortly.';
        default:
            return 'The relay could not accept this request.';
    }
}
