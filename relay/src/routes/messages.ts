import { Hono, type Context } from 'hono';
import { RELAY_PATHS } from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { requireSession } from '../auth/requireSession';
import type { SessionClaims } from '../auth/sessionClaims';
import { describeEgressReport, enforceEgress } from '../egress/enforceEgress';
import { RelayError } from '../errors';
import { requireJsonBody } from '../jsonBody';
import { messagesRequestSchema, type MessagesRequest } from '../llm/messagesRequest';
import {
    intVar,
    maxOutputTokens,
    pseudonymousUserId,
    upstreamDeadlineMs,
    upstreamSettings,
    zeroRetentionUnmet
} from '../llm/modelGate';
import {
    DeadlineExceeded,
    openUpstream,
    relayEventStream,
    sseErrorEvent,
    upstreamFailure
} from '../llm/upstream';
import type { RelayEnv } from '../relayEnv';

/** Header telling the client what the relay masked or removed on its way out (counts only). */
export const EGRESS_HEADER = 'x-resident-egress';
/** Header set when the relay lowered `max_tokens` to what the budget has left. */
export const MAX_TOKENS_HEADER = 'x-resident-max-tokens';

/** Seconds a client should wait after a rate-limit refusal (the limiters count per minute). */
const RATE_LIMIT_RETRY_AFTER = '60';

async function enforceRateLimits(c: Context<RelayEnv>, session: SessionClaims): Promise<void> {
    const [org, user] = await Promise.all([
        c.env.ORG_RATE_LIMITER.limit({ key: session.orgId }),
        c.env.USER_RATE_LIMITER.limit({ key: `${session.orgId}:${session.userId}` })
    ]);
    if (!org.success || !user.success) {
        throw new RelayError(
            429,
            'rate_limited',
            org.success
                ? 'You are sending requests faster than the relay allows for one user. Wait a minute and try again.'
                : 'Your org is sending requests faster than the relay allows. Wait a minute and try again.',
            { 'retry-after': RATE_LIMIT_RETRY_AFTER }
        );
    }
}

async function readRequest(c: Context<RelayEnv>): Promise<MessagesRequest> {
    let json: unknown;
    try {
        json = JSON.parse(await c.req.text());
    } catch {
        throw new RelayError(400, 'invalid_request', 'The request body is not valid JSON.');
    }
    const parsed = messagesRequestSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length ? issue.path.join('.') : 'the request';
        throw new RelayError(
            400,
            'invalid_request',
            `The request is not a Messages API request the relay accepts: ${where}: ${issue?.message ?? 'invalid'}.`
        );
    }
    return parsed.data;
}

/**
 * The org's policy and the deployment's limits, applied before anything leaves. Returns the
 * request as it will be sent and the headers that tell the client what changed.
 */
function applyPolicy(
    request: MessagesRequest,
    session: SessionClaims,
    env: Env
): { request: MessagesRequest; headers: Record<string, string> } {
    const { policy, budget } = session;
    if (!policy.models.includes(request.model)) {
        throw new RelayError(
            403,
            'policy_violation',
            `Your org's policy does not allow the model ${request.model}; allowed: ${policy.models.join(', ')}.`
        );
    }
    if (zeroRetentionUnmet(policy, env)) {
        throw new RelayError(
            403,
            'policy_violation',
            "Your org's policy requires zero data retention, which this relay's LLM account does not have. Nothing was sent; tell your relay operator."
        );
    }
    const remaining = Math.min(budget.userDayRemaining, budget.taskRemaining);
    if (remaining <= 0) {
        throw new RelayError(
            403,
            'budget_exhausted',
            budget.taskRemaining <= 0
                ? "This task has used its token budget. Start a new task, or ask an admin to raise the org's per-task budget."
                : "You have used today's token budget. It renews tomorrow, or an admin can raise it."
        );
    }
    const cap = maxOutputTokens(env);
    if (request.max_tokens > cap) {
        throw new RelayError(
            400,
            'invalid_request',
            `max_tokens is ${request.max_tokens}; this relay allows at most ${cap}.`
        );
    }
    const headers: Record<string, string> = {};
    let maxTokens = request.max_tokens;
    if (maxTokens > remaining) {
        // The reply may not outspend the budget: it ends early (stop_reason "max_tokens") instead.
        maxTokens = remaining;
        headers[MAX_TOKENS_HEADER] = String(remaining);
    }
    const { request: outbound, report } = enforceEgress(
        { ...request, max_tokens: maxTokens },
        policy
    );
    headers[EGRESS_HEADER] = describeEgressReport(report);
    return { request: outbound, headers };
}

/** Upstream response headers worth passing on; everything else (cookies, upstream ids) stays. */
const PASSED_HEADERS = ['content-type', 'anthropic-ratelimit-tokens-remaining'];

export const messagesRoutes = new Hono<RelayEnv>().post(
    RELAY_PATHS.messages,
    requireJsonBody({
        maxBytes: (env) => intVar(env.MAX_REQUEST_BYTES, 1024 * 1024),
        what: 'the request',
        tooLargeHint: 'send fewer or shorter tool results.'
    }),
    requireSession('llm'),
    async (c) => {
        const session = c.get('session')!;
        await enforceRateLimits(c, session);
        const request = await readRequest(c);
        const { request: outbound, headers } = applyPolicy(request, session, c.env);
        outbound.metadata = {
            user_id: await pseudonymousUserId(c.env, session.orgId, session.userId, session.keyId)
        };

        if (!c.env.ANTHROPIC_API_KEY) {
            throw new RelayError(
                503,
                'upstream_error',
                'The relay has no LLM API key configured. Tell your relay operator.'
            );
        }
        const deadlineMs = upstreamDeadlineMs(c.env);
        const gone = new AbortController();
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new DeadlineExceeded()), deadlineMs);
        const signal = AbortSignal.any([c.req.raw.signal, gone.signal, deadline.signal]);
        let upstream: Response;
        try {
            upstream = await openUpstream(outbound, upstreamSettings(c.env, deadlineMs), signal);
        } catch (error) {
            clearTimeout(timer);
            throw error instanceof RelayError ? error : upstreamFailure(error, signal);
        }
        for (const name of PASSED_HEADERS) {
            const value = upstream.headers.get(name);
            if (value) headers[name] = value;
        }
        headers['cache-control'] = 'no-store';
        if (!outbound.stream || !upstream.body) {
            const body = await upstream.arrayBuffer().finally(() => clearTimeout(timer));
            return c.body(body, 200, headers);
        }
        const events = relayEventStream(upstream.body, {
            onClientGone: () => gone.abort(),
            onEnd: () => clearTimeout(timer),
            // The failure event is built when the read fails, before onEnd clears the timer.
            failureEvent: () =>
                deadline.signal.aborted
                    ? sseErrorEvent('timeout_error', 'The reply took longer than the relay allows.')
                    : sseErrorEvent(
                          'api_error',
                          'The LLM service broke off the reply. Try again; what arrived so far is kept.'
                      )
        });
        return c.body(events, 200, headers);
    }
);
