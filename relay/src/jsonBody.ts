import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { RelayError } from './errors';
import type { RelayEnv } from './relayEnv';

/**
 * The edge checks every JSON route shares, before the body is read: no request that declares both
 * a Content-Length and a Transfer-Encoding (the request-smuggling shape, refused rather than
 * guessed at), JSON only, and a size limit enforced on the bytes actually received, chunked or not.
 */
export function requireJsonBody(options: {
    maxBytes: (env: Env) => number;
    /** What the body is, for the messages: "the document description", "the request". */
    what: string;
    tooLargeHint: string;
}): MiddlewareHandler<RelayEnv> {
    const framing: MiddlewareHandler<RelayEnv> = async (c, next) => {
        if (c.req.header('content-length') !== undefined && c.req.header('transfer-encoding')) {
            throw new RelayError(
                400,
                'invalid_request',
                'The request declares both Content-Length and Transfer-Encoding; send one.'
            );
        }
        const type = c.req.header('content-type') ?? '';
        if (!/^application\/json\s*(;|$)/i.test(type)) {
            throw new RelayError(
                415,
                'invalid_request',
                `Send ${options.what} as application/json.`
            );
        }
        await next();
    };
    const size: MiddlewareHandler<RelayEnv> = async (c, next) => {
        const maxSize = options.maxBytes(c.env);
        return bodyLimit({
            maxSize,
            onError: () => {
                throw new RelayError(
                    413,
                    'payload_too_large',
                    `${capitalise(options.what)} is larger than ${formatBytes(maxSize)}; ${options.tooLargeHint}`
                );
            }
        })(c, next);
    };
    return every(framing, size);
}

function capitalise(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatBytes(bytes: number): string {
    const mb = bytes / (1024 * 1024);
    return mb >= 1
        ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`
        : `${Math.round(bytes / 1024)} KB`;
}
