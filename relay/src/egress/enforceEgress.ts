import {
    findSensitiveSpans,
    isFieldAllowed,
    stripCredentials,
    validateCustomPattern,
    type EgressPolicy
} from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { RelayError } from '../errors';

/**
 * Defense in depth: the browser masks before anything leaves it, and the relay applies the same
 * shared module again to everything it forwards. A value the browser missed is masked here with a
 * number after every mask of its kind already in the request (so `<EMAIL_3>` never names two
 * addresses); a credential is dropped; what the policy forbids outright is refused.
 */

/** What the relay changed in one request; only counts, never a value. */
export interface EgressReport {
    masked: Record<string, number>;
    credentialsRemoved: number;
}

/** The parts of an Anthropic Messages request that carry text to the model. */
export interface OutboundMessagesRequest {
    system?: string | { type: string; text?: string; [key: string]: unknown }[];
    messages: { role: string; content: string | ContentBlock[] }[];
    [key: string]: unknown;
}

interface ContentBlock {
    type: string;
    [key: string]: unknown;
}

const MASK_SHAPE = /<([A-Z][A-Z0-9_]{0,39})_(\d{1,6})>/g;

class RelayMasker {
    readonly report: EgressReport = { masked: {}, credentialsRemoved: 0 };
    private readonly next = new Map<string, number>();
    private readonly assigned = new Map<string, string>();

    constructor(
        private readonly policy: EgressPolicy,
        highestExisting: Map<string, number>
    ) {
        for (const [category, n] of highestExisting) this.next.set(category, n);
    }

    text(value: string): string {
        const { text: clean, found } = stripCredentials(value);
        this.report.credentialsRemoved += found.length;
        const spans = findSensitiveSpans(clean, this.policy);
        if (spans.length === 0) return clean;
        let out = '';
        let at = 0;
        for (const span of spans) {
            out += clean.slice(at, span.start) + this.maskFor(span.category, span.value);
            at = span.end;
        }
        return out + clean.slice(at);
    }

    private maskFor(category: string, value: string): string {
        const key = `${category}\u0000${value}`;
        const known = this.assigned.get(key);
        if (known) return known;
        const n = (this.next.get(category) ?? 0) + 1;
        this.next.set(category, n);
        const mask = `<${category}_${n}>`;
        this.assigned.set(key, mask);
        this.report.masked[category] = (this.report.masked[category] ?? 0) + 1;
        return mask;
    }
}

/** Every string in the request, for finding the masks the browser already assigned. */
function* stringsOf(value: unknown): Generator<string> {
    if (typeof value === 'string') yield value;
    else if (Array.isArray(value)) for (const v of value) yield* stringsOf(v);
    else if (value && typeof value === 'object') {
        for (const v of Object.values(value)) yield* stringsOf(v);
    }
}

function highestMasks(request: OutboundMessagesRequest): Map<string, number> {
    const highest = new Map<string, number>();
    for (const s of stringsOf([request.system, request.messages])) {
        for (const m of s.matchAll(MASK_SHAPE)) {
            const category = m[1]!;
            highest.set(category, Math.max(highest.get(category) ?? 0, Number(m[2])));
        }
    }
    return highest;
}

/**
 * Refuses a record field the policy excludes, wherever a tool result or tool input carries it as
 * a JSON key. With Salesforce's `attributes.type` the rule `Object.Field` applies to that object;
 * without it, any rule naming the field does (`*.Field`, or `Object.Field` for any object), since
 * the relay cannot tell which object an anonymous row came from and must not guess in its favour.
 */
function assertNoExcludedFields(value: unknown, policy: EgressPolicy, where: string): void {
    if (policy.excludedFields.length === 0) return;
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) {
            node.forEach(visit);
            return;
        }
        if (!node || typeof node !== 'object') return;
        const record = node as Record<string, unknown>;
        const attributes = record.attributes as { type?: unknown } | undefined;
        const objectName = typeof attributes?.type === 'string' ? attributes.type : undefined;
        for (const [key, child] of Object.entries(record)) {
            if (key !== 'attributes') {
                const excluded = objectName
                    ? !isFieldAllowed(objectName, key, policy)
                    : policy.excludedFields.some(
                          (rule) => rule.split('.').pop()?.toLowerCase() === key.toLowerCase()
                      );
                if (excluded) {
                    throw new RelayError(
                        403,
                        'policy_violation',
                        `The ${where} carries the field ${objectName ? `${objectName}.` : ''}${key}, which your org's egress policy never sends to the AI. Nothing was sent.`
                    );
                }
            }
            visit(child);
        }
    };
    visit(value);
}

/** JSON in a text tool result, or undefined when it is plain text. */
function parseJsonText(text: string): unknown {
    const trimmed = text.trimStart();
    if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

function maskJsonStrings(value: unknown, masker: RelayMasker): unknown {
    if (typeof value === 'string') return masker.text(value);
    if (Array.isArray(value)) return value.map((v) => maskJsonStrings(v, masker));
    if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = maskJsonStrings(v, masker);
        return out;
    }
    return value;
}

function enforceBlock(
    block: ContentBlock,
    policy: EgressPolicy,
    masker: RelayMasker
): ContentBlock {
    switch (block.type) {
        case 'text':
            return typeof block.text === 'string'
                ? { ...block, text: masker.text(block.text) }
                : block;
        case 'tool_use':
            assertNoExcludedFields(block.input, policy, 'tool call');
            return { ...block, input: maskJsonStrings(block.input, masker) };
        case 'tool_result': {
            const content = block.content;
            if (typeof content === 'string') {
                assertNoExcludedFields(parseJsonText(content), policy, 'tool result');
                return { ...block, content: masker.text(content) };
            }
            if (Array.isArray(content)) {
                return {
                    ...block,
                    content: content.map((inner: ContentBlock) => {
                        if (inner.type === 'text' && typeof inner.text === 'string') {
                            assertNoExcludedFields(
                                parseJsonText(inner.text),
                                policy,
                                'tool result'
                            );
                        }
                        return enforceBlock(inner, policy, masker);
                    })
                };
            }
            return block;
        }
        default:
            // Images and documents pass as they are: masking applies to text.
            return block;
    }
}

/** Applies the org's egress policy to a request about to leave for the LLM. Pure; input untouched. */
export function enforceEgress<T extends OutboundMessagesRequest>(
    request: T,
    policy: EgressPolicy
): { request: T; report: EgressReport } {
    if (!policy.aiEnabled) {
        throw new RelayError(
            403,
            'policy_violation',
            "Your org's egress policy turns AI off. An admin can turn it on in Resident's trust settings."
        );
    }
    for (const custom of policy.masking.custom) {
        const problem = validateCustomPattern(custom);
        if (problem) {
            throw new RelayError(
                403,
                'policy_violation',
                `Your org's egress policy has a custom pattern the relay cannot apply (${problem}). Nothing was sent; an admin can fix it in the trust settings.`
            );
        }
    }
    const masker = new RelayMasker(policy, highestMasks(request));
    const system =
        typeof request.system === 'string'
            ? masker.text(request.system)
            : request.system?.map((block) => enforceBlock(block, policy, masker));
    const messages = request.messages.map((message) => ({
        ...message,
        content:
            typeof message.content === 'string'
                ? masker.text(message.content)
                : message.content.map((block) => enforceBlock(block, policy, masker))
    }));
    const out = { ...request, messages } as T;
    if (system !== undefined) out.system = system;
    return { request: out, report: masker.report };
}

/** The `x-resident-egress` header: `clean`, or `masked=EMAIL:1,PHONE:2; credentials=1`. */
export function describeEgressReport(report: EgressReport): string {
    const masked = Object.entries(report.masked)
        .filter(([, n]) => n > 0)
        .map(([category, n]) => `${category}:${n}`);
    const parts: string[] = [];
    if (masked.length) parts.push(`masked=${masked.join(',')}`);
    if (report.credentialsRemoved > 0) parts.push(`credentials=${report.credentialsRemoved}`);
    return parts.length ? parts.join('; ') : 'clean';
}
