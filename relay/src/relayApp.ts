import { Hono } from 'hono';
import { requireSession } from './auth/requireSession';
import { salesforceCors } from './cors';
import { handleError, handleNotFound } from './errors';
import type { RelayEnv } from './relayEnv';
import { requestContext } from './requestContext';
import { connectionRoutes } from './routes/connection';
import { healthRoutes } from './routes/health';
import { messagesRoutes } from './routes/messages';
import { createPdfRoutes } from './routes/pdf';

/**
 * The relay's HTTP app: request id and log line first (so they cover errors and CORS refusals),
 * then CORS, then one sub-app per resource.
 */
export function createRelayApp(): Hono<RelayEnv> {
    const app = new Hono<RelayEnv>();
    app.use('*', requestContext());
    app.use('*', salesforceCors());
    app.route('/', healthRoutes);
    app.route('/', connectionRoutes);
    app.route('/', messagesRoutes);
    app.route('/', createPdfRoutes(requireSession('pdf')));
    app.notFound(handleNotFound);
    app.onError(handleError);
    return app;
}
