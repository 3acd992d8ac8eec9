/**
 * The egress policy and its masking, written once: the browser masks what leaves it, the relay
 * applies the same code again to everything it forwards. Pure functions over strings and plain
 * JSON, free of DOM, Node and Workers APIs, so it runs in Lightning, in jest and in workerd.
 */

/** Kinds of personal data the policy can mask. The mask of a value says its kind: `<EMAIL_1>`. */
export type MaskCategory = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'SSN';

export interface CustomMaskPattern {
    /** Shown in the mask, upper-cased: `<EMPLOYEE_ID_1>`. Letters, digits and underscores. */
    name: string;
    /** A JavaScript regular expression source, matched with the `u` and `g` flags. */
    pattern: string;
}

export interface EgressPolicy {
    /** Master switch: when false, nothing is sent to the LLM at all. */
    aiEnabled: boolean;
    masking: {
        emails: boolean;
        phones: boolean;
        cards: boolean;
        ibans: boolean;
        nationalIds: boolean;
        custom: CustomMaskPattern[];
    };
    /** Fields never sent, as `Object.Field` (or `*.Field` for every object). */
    excludedFields: string[];
    /** At most this many knowledge chunks per request. */
    maxKnowledgeChunks: number;
    /** Models the org allows; the first is the default. */
    models: string[];
    /** Ask the model provider not to retain prompts (maps to the provider's zero-retention offer). */
    zeroRetention: boolean;
    tokenBudget: { perTask: number; perUserPerDay: number };
}

export const DEFAULT_POLICY: Readonly<EgressPolicy> = Object.freeze({
    aiEnabled: true,
    masking: Object.freeze({
        emails: true,
        phones: true,
        cards: true,
        ibans: true,
        nationalIds: true,
        custom: []
    }),
    excludedFields: [],
    maxKnowledgeChunks: 5,
    models: ['claude-sonnet-4-5'],
    zeroRetention: false,
    tokenBudget: Object.freeze({ perTask: 200_000, perUserPerDay: 1_000_000 })
}) as Readonly<EgressPolicy>;

/** What replaces a credential. It is dropped, not masked: no mapping back exists anywhere. */
export const CREDENTIAL_REDACTION = '[REDACTED_CREDENTIAL]';

const MASK_SHAPE = /<([A-Z][A-Z0-9_]{0,39})_(\d{1,6})>/g;
const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,29}$/;
const MAX_CUSTOM_PATTERN_LENGTH = 500;

// ---------------------------------------------------------------------------------------------
// Checksums: a digit run only counts as a card or an IBAN when its checksum holds, which is what
// keeps order numbers, invoice ids and phone numbers from being mistaken for them.

/** Luhn (mod 10) check used by every payment card network. */
export function passesLuhn(digits: string): boolean {
    let sum = 0;
    let double = false;
    for (let i = digits.length - 1; i >= 0; i--) {
        let d = digits.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return false;
        if (double) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        double = !double;
    }
    return digits.length > 0 && sum % 10 === 0;
}

/** ISO 13616 IBAN lengths by country, so a checksum-valid string of the wrong length is refused. */
// prettier-ignore
const IBAN_LENGTHS: Record<string, number> = {
    AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28, CH: 21,
    CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27,
    GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26,
    IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24,
    ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29,
    RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24,
    TR: 26, UA: 29, VA: 22, VG: 24, XK: 20
};

/** ISO 7064 mod 97-10 check of an IBAN without spaces. */
export function isValidIban(candidate: string): boolean {
    const iban = candidate.replace(/[\s-]/g, '').toUpperCase();
    const expected = IBAN_LENGTHS[iban.slice(0, 2)];
    if (!expected || iban.length !== expected || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
        return false;
    }
    const rearranged = iban.slice(4) + iban.slice(0, 4);
    let remainder = 0;
    for (const ch of rearranged) {
        const value = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
        for (const digit of value) {
            remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
        }
    }
    return remainder === 1;
}

/** US Social Security numbers: never area 000, 666 or 9xx, group 00 or serial 0000. */
function isPlausibleSsn(match: string): boolean {
    const [area, group, serial] = match.split(/[- ]/);
    if (!area || !group || !serial) return false;
    return (
        area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000'
    );
}

// ---------------------------------------------------------------------------------------------
// Detectors. Each finds candidate spans; a validator keeps only real ones. Boundaries use
// lookarounds on letters/digits of any script so "abc@x.io" inside words or ids is still bounded.

interface Detector {
    category: MaskCategory;
    enabled: (policy: EgressPolicy) => boolean;
    pattern: RegExp;
    validate?: (match: string) => boolean;
}

const EMAIL =
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

// Card numbers: 13-19 digits, optionally grouped by single spaces or dashes.
const CARD = /(?<![\p{N}\p{L}.,-])\d(?:[ -]?\d){12,18}(?![\p{N}\p{L}]|[.,-]\d)/gu;

// IBAN: country, check digits, then the account in groups (spaces allowed between groups of 4).
const IBAN =
    /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/gu;

const SSN = /(?<![\p{N}\p{L}-])\d{3}([- ])\d{2}\1\d{4}(?![\p{N}\p{L}]|-\d)/gu;

// Phone numbers: an international number (+ and country code) in any common grouping, or a
// national number whose grouping looks like a phone's ((555) 123-4567, 555-123-4567, 030 1234 5678,
// 06 12 34 56 78). Bare digit runs are not phones: they are ids, amounts and years far more often.
const PHONE = new RegExp(
    [
        // +44 20 7946 0958, +1 (415) 555-0132, +49-30-1234567, +33 6 12 34 56 78, +81 3-1234-5678
        String.raw`(?<![\p{L}\p{N}+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,6}(?![\p{L}\p{N}]|[.-]\d)`,
        // (415) 555-0132, (030) 1234 5678
        String.raw`(?<![\p{L}\p{N}])\(\d{2,5}\)[ .-]?\d{2,5}(?:[ .-]\d{2,5}){0,3}(?![\p{L}\p{N}]|[.-]\d)`,
        // 415-555-0132, 415.555.0132, 415 555 0132 (the North American shape)
        String.raw`(?<![\p{L}\p{N}.,/:-])\d{3}([ .-])\d{3}\1\d{4}(?![\p{L}\p{N}]|[.,/:-]\d)`,
        // 030 1234 5678, 0171 2345678, 06 12 34 56 78, 020 7946 0958 (trunk prefix 0)
        String.raw`(?<![\p{L}\p{N}.,/:-])0\d{1,4}(?:[ ]\d{2,8}){1,4}(?![\p{L}\p{N}]|[.,/:-]\d)`
    ].join('|'),
    'gu'
);

const FILE_EXTENSIONS = new Set([
    'png',
    'jpg',
    'jpeg',
    'gif',
    'svg',
    'webp',
    'bmp',
    'ico',
    'tif',
    'tiff',
    'pdf',
    'css',
    'js',
    'ts',
    'json',
    'html',
    'htm',
    'xml',
    'csv',
    'txt',
    'doc',
    'docx',
    'xls',
    'xlsx',
    'ppt',
    'pptx'
]);

function digitCount(text: string): number {
    let n = 0;
    for (const ch of text) if (ch >= '0' && ch <= '9') n++;
    return n;
}

const DETECTORS: Detector[] = [
    {
        category: 'EMAIL',
        enabled: (p) => p.masking.emails,
        pattern: EMAIL,
        // `logo@2x.png` is an image name, not an address.
        validate: (m) => !FILE_EXTENSIONS.has(m.slice(m.lastIndexOf('.') + 1).toLowerCase())
    },
    {
        category: 'IBAN',
        enabled: (p) => p.masking.ibans,
        pattern: IBAN,
        validate: isValidIban
    },
    {
        category: 'CARD',
        enabled: (p) => p.masking.cards,
        pattern: CARD,
        validate: (m) => {
            const digits = m.replace(/[ -]/g, '');
            // Card numbers are grouped consistently if at all; "1234 5678-9012" is not a card.
            const separators = new Set(m.replace(/\d/g, ''));
            return separators.size <= 1 && passesLuhn(digits) && !/^(\d)\1+$/.test(digits);
        }
    },
    {
        category: 'SSN',
        enabled: (p) => p.masking.nationalIds,
        pattern: SSN,
        validate: isPlausibleSsn
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE,
        validate: (m) => {
            const n = digitCount(m);
            return n >= 7 && n <= 15;
        }
    }
];

// ---------------------------------------------------------------------------------------------
// Credentials are never masked (a mask can be reversed by whoever holds the map): they are
// dropped, in the browser and again in the relay, and the relay refuses a request carrying one.

const CREDENTIAL_PATTERNS: { kind: string; pattern: RegExp }[] = [
    {
        kind: 'private key',
        pattern:
            /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g
    },
    // A Salesforce session id / access token: the org id, '!', then a long opaque string.
    { kind: 'Salesforce session', pattern: /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{40,}/g },
    {
        kind: 'JSON web token',
        pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g
    },
    { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
    { kind: 'API key', pattern: /\bsk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{32,}/g },
    { kind: 'AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
    { kind: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
    { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
    { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
    { kind: 'Stripe key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
    // Resident's own org keys and sealed values: `v1:<keyId>:<secret>`.
    { kind: 'Resident key', pattern: /\bv1:[A-Za-z0-9_-]{2,32}:[A-Za-z0-9_-]{32,}/g },
    // An Authorization header value or "bearer <token>" in prose.
    { kind: 'bearer token', pattern: /\b[Bb]earer\s+[A-Za-z0-9._~+/-]{20,}=*/g },
    // key=value / key: value pairs whose key says secret (password: hunter2, api_key=...).
    {
        kind: 'secret assignment',
        pattern:
            /\b(?:password|passwd|pwd|secret|client_secret|api[_-]?key|access[_-]?token|refresh[_-]?token|private[_-]?key)\s*[:=]\s*["']?[^\s"',;]{6,}["']?/gi
    }
];

/** Removes anything that looks like a credential. Returns the cleaned text and what was found. */
export function stripCredentials(text: string): { text: string; found: string[] } {
    const found: string[] = [];
    let out = text;
    for (const { kind, pattern } of CREDENTIAL_PATTERNS) {
        out = out.replace(pattern, () => {
            found.push(kind);
            return CREDENTIAL_REDACTION;
        });
    }
    return { text: out, found };
}

/** Whether the text carries a credential (what the relay refuses outright). */
export function findCredentials(text: string): string[] {
    return stripCredentials(text).found;
}

// ---------------------------------------------------------------------------------------------

export interface CompiledCustomPattern {
    category: string;
    pattern: RegExp;
}

/** Checks an admin's custom pattern; returns a readable reason when it cannot be used. */
export function validateCustomPattern(custom: CustomMaskPattern): string | null {
    if (!CUSTOM_NAME.test(custom.name ?? '')) {
        return `"${custom.name}" is not a valid name: use letters, digits and underscores, starting with a letter (at most 30).`;
    }
    if (typeof custom.pattern !== 'string' || custom.pattern.length === 0) {
        return `The pattern for ${custom.name} is empty.`;
    }
    if (custom.pattern.length > MAX_CUSTOM_PATTERN_LENGTH) {
        return `The pattern for ${custom.name} is longer than ${MAX_CUSTOM_PATTERN_LENGTH} characters.`;
    }
    let re: RegExp;
    try {
        re = new RegExp(custom.pattern, 'gu');
    } catch (error) {
        return `The pattern for ${custom.name} is not a valid regular expression: ${(error as Error).message}`;
    }
    if (re.test('')) {
        return `The pattern for ${custom.name} matches empty text, so it would mask nothing useful.`;
    }
    return null;
}

function compileCustomPatterns(policy: EgressPolicy): CompiledCustomPattern[] {
    return (policy.masking.custom ?? [])
        .filter((c) => validateCustomPattern(c) === null)
        .map((c) => ({ category: c.name.toUpperCase(), pattern: new RegExp(c.pattern, 'gu') }));
}

interface Span {
    start: number;
    end: number;
    category: string;
    value: string;
}

/** Finds every maskable span, earlier and longer matches winning where detectors overlap. */
export function findSensitiveSpans(text: string, policy: EgressPolicy = DEFAULT_POLICY): Span[] {
    const spans: Span[] = [];
    const add = (category: string, pattern: RegExp, validate?: (m: string) => boolean) => {
        pattern.lastIndex = 0;
        for (const m of text.matchAll(pattern)) {
            const value = m[0];
            if (!value || (validate && !validate(value))) continue;
            spans.push({
                start: m.index ?? 0,
                end: (m.index ?? 0) + value.length,
                category,
                value
            });
        }
    };
    for (const custom of compileCustomPatterns(policy)) add(custom.category, custom.pattern);
    for (const d of DETECTORS) if (d.enabled(policy)) add(d.category, d.pattern, d.validate);
    spans.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
    const chosen: Span[] = [];
    let lastEnd = -1;
    for (const s of spans) {
        if (s.start >= lastEnd) {
            chosen.push(s);
            lastEnd = s.end;
        }
    }
    return chosen;
}

/** Values compare equal when they differ only in spacing, punctuation or case (a phone written two ways). */
function canonical(category: string, value: string): string {
    if (category === 'EMAIL') return value.toLowerCase();
    if (category === 'CARD' || category === 'IBAN' || category === 'SSN' || category === 'PHONE') {
        return value.replace(/[^A-Za-z0-9+]/g, '').toUpperCase();
    }
    return value;
}

/**
 * A task's masks: the same value always gets the same mask within the task, so the model can
 * reason with `<EMAIL_1>` across turns. The map lives where the task lives (the browser) and is
 * never sent anywhere.
 */
export class Masker {
    private readonly policy: EgressPolicy;
    private readonly byValue = new Map<string, string>();
    private readonly byMask = new Map<string, string>();
    private readonly counters = new Map<string, number>();

    constructor(policy: EgressPolicy = DEFAULT_POLICY, saved?: Record<string, string>) {
        this.policy = policy;
        for (const [mask, value] of Object.entries(saved ?? {})) {
            const m = /^<([A-Z][A-Z0-9_]*)_(\d+)>$/.exec(mask);
            if (!m) continue;
            const [, category = '', n = '0'] = m;
            this.remember(mask, category, value);
            this.counters.set(category, Math.max(this.counters.get(category) ?? 0, Number(n)));
        }
    }

    private remember(mask: string, category: string, value: string): void {
        this.byMask.set(mask, value);
        this.byValue.set(`${category}\u0000${canonical(category, value)}`, mask);
    }

    private maskFor(category: string, value: string): string {
        const key = `${category}\u0000${canonical(category, value)}`;
        const existing = this.byValue.get(key);
        if (existing) return existing;
        const n = (this.counters.get(category) ?? 0) + 1;
        this.counters.set(category, n);
        const mask = `<${category}_${n}>`;
        this.remember(mask, category, value);
        return mask;
    }

    /** Masks personal data and drops credentials. */
    mask(text: string): string {
        const { text: clean } = stripCredentials(text);
        const spans = findSensitiveSpans(clean, this.policy);
        let out = '';
        let at = 0;
        for (const s of spans) {
            out += clean.slice(at, s.start) + this.maskFor(s.category, s.value);
            at = s.end;
        }
        return out + clean.slice(at);
    }

    /** Puts the real values back into a reply or a tool call's input; unknown masks stay as written. */
    unmask(text: string): string {
        return text.replace(MASK_SHAPE, (mask) => this.byMask.get(mask) ?? mask);
    }

    /** Masks every string inside a JSON value (tool results, message content blocks). */
    maskJson<T>(value: T): T {
        return mapStrings(value, (s) => this.mask(s)) as T;
    }

    unmaskJson<T>(value: T): T {
        return mapStrings(value, (s) => this.unmask(s)) as T;
    }

    /** The mask map, for keeping with the task in the browser. Never send it. */
    toJSON(): Record<string, string> {
        return Object.fromEntries(this.byMask);
    }
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
    if (typeof value === 'string') return fn(value);
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
    if (value && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
        return out;
    }
    return value;
}

/** Whether a field may be sent under the policy (`Account.AnnualRevenue`, or `*.SSN__c`). */
export function isFieldAllowed(
    objectApiName: string,
    fieldApiName: string,
    policy: EgressPolicy
): boolean {
    const wanted = `${objectApiName}.${fieldApiName}`.toLowerCase();
    const anyObject = `*.${fieldApiName}`.toLowerCase();
    return !policy.excludedFields.some((f) => {
        const rule = f.toLowerCase();
        return rule === wanted || rule === anyObject;
    });
}
