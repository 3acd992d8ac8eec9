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
    models: ['claude-sonnet-5-5'],
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

/**
 * Payment card numbers: the issuer prefix must belong to a card network and the length must be
 * one that network issues, which keeps Luhn-valid device ids (IMEIs are Luhn-checked too), SIRETs
 * and internal numbers out.
 */
export function isPlausibleCardNumber(digits: string): boolean {
    const n = digits.length;
    const p2 = Number(digits.slice(0, 2));
    const p3 = Number(digits.slice(0, 3));
    const p4 = Number(digits.slice(0, 4));
    let lengthOk: boolean;
    if (digits[0] === '4')
        lengthOk = n === 13 || n === 16 || n === 19; // Visa
    else if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
        lengthOk = n === 16; // Mastercard
    else if (p2 === 34 || p2 === 37)
        lengthOk = n === 15; // American Express
    else if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) {
        lengthOk = n >= 14 && n <= 19; // Diners Club
    } else if (p4 >= 3528 && p4 <= 3589)
        lengthOk = n >= 16 && n <= 19; // JCB
    else if (p4 >= 2200 && p4 <= 2204)
        lengthOk = n >= 16 && n <= 19; // Mir
    else if (p2 === 50 || (p2 >= 56 && p2 <= 69))
        lengthOk = n >= 12 && n <= 19; // Discover, UnionPay, Maestro, RuPay
    else lengthOk = false;
    return lengthOk && passesLuhn(digits) && !/^(\d)\1+$/.test(digits);
}

/** How card numbers are printed: 4-4-4-4, Amex 4-6-5, Diners 4-6-4, 19 digits 4-4-4-4-3. */
const CARD_GROUPINGS = new Set(['4-4-4-4', '4-6-5', '4-6-4', '4-4-4-4-3', '4-4-4-3', '4-4-5']);

/** US Social Security numbers: never area 000, 666 or 9xx, group 00 or serial 0000. */
export function isPlausibleSsn(candidate: string): boolean {
    const digits = candidate.replace(/\D/g, '');
    if (digits.length !== 9) return false;
    const area = digits.slice(0, 3);
    return (
        area !== '000' &&
        area !== '666' &&
        area[0] !== '9' &&
        digits.slice(3, 5) !== '00' &&
        digits.slice(5) !== '0000'
    );
}

// ---------------------------------------------------------------------------------------------
// Phone numbers. An international number is checked against its country code: the code must
// exist and the national number must have a length that country uses, so "+12 500 000 USD" (a
// NANP number needs ten digits) is an amount, not a phone.

/** Two-digit country calling codes; 1 and 7 are one digit and every other code has three. */
// prettier-ignore
const TWO_DIGIT_COUNTRY_CODES = new Set([
    '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47',
    '48', '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65',
    '66', '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98'
]);

/** National (significant) number lengths, min and max, where a country's plan is well known. */
// prettier-ignore
const NATIONAL_NUMBER_LENGTHS: Record<string, readonly [number, number]> = {
    '1': [10, 10], '7': [10, 10], '20': [8, 10], '27': [9, 9], '30': [10, 10], '31': [9, 9],
    '32': [8, 9], '33': [9, 9], '34': [9, 9], '36': [8, 9], '39': [6, 11], '40': [9, 9],
    '41': [9, 9], '43': [7, 13], '44': [9, 10], '45': [8, 8], '46': [7, 9], '47': [8, 8],
    '48': [9, 9], '49': [7, 13], '51': [8, 9], '52': [10, 10], '54': [10, 11], '55': [10, 11],
    '56': [9, 9], '57': [10, 10], '60': [8, 10], '61': [9, 9], '62': [8, 12], '63': [8, 10],
    '64': [8, 10], '65': [8, 8], '66': [8, 9], '81': [9, 10], '82': [8, 10], '84': [9, 10],
    '86': [10, 11], '90': [10, 10], '91': [10, 10], '92': [9, 10], '98': [10, 10],
    '351': [9, 9], '353': [7, 9], '358': [6, 12], '380': [9, 9], '420': [9, 9], '421': [9, 9],
    '852': [8, 8], '886': [8, 9], '966': [9, 9], '971': [8, 9], '972': [8, 9], '974': [8, 8]
};

/** Whether the digits after `+` (or `00`) form a number that can exist: a real code, a fitting length. */
export function isPlausibleInternationalNumber(digitsAfterPlus: string): boolean {
    const d = digitsAfterPlus;
    if (!/^[1-9]\d{6,14}$/.test(d)) return false;
    const ccLength =
        d[0] === '1' || d[0] === '7' ? 1 : TWO_DIGIT_COUNTRY_CODES.has(d.slice(0, 2)) ? 2 : 3;
    const [min, max] = NATIONAL_NUMBER_LENGTHS[d.slice(0, ccLength)] ?? [6, 12];
    const national = d.length - ccLength;
    return national >= min && national <= max;
}

// A number followed by a currency or a percent sign is an amount ("+12 500 000 USD").
const AMOUNT_AFTER =
    /^\s?(?:%|‰|[$€£¥₹₽₪₩]|(?:USD|EUR|GBP|CHF|JPY|CNY|PLN|SEK|NOK|DKK|CZK|HUF|RUB|BRL|CAD|AUD|ILS|AED|INR|zł|Kč|kr|Ft|руб)(?![\p{L}]))/u;

function digitsOf(text: string): string {
    return text.replace(/\D/g, '');
}

function groupLengths(value: string): number[] {
    return value
        .split(/[^\d]+/)
        .filter((g) => g.length > 0)
        .map((g) => g.length);
}

/** Separators of one number: dots only when every separator is a dot (else it is a date or version). */
function hasConsistentSeparators(value: string): boolean {
    const separators = value.replace(/[\d()+]/g, '');
    return !separators.includes('.') || /^\.+$/.test(separators);
}

// Words that announce a phone number, in the sample's languages. A number of 8 to 12 digits
// right after one of these is a phone even without a phone's usual grouping (手机 13800138000).
// prettier-ignore
const PHONE_WORDS = [
    // English
    'phone', 'phone number', 'telephone', 'tel', 'mobile', 'mob', 'cell', 'cellphone', 'call',
    'called', 'calling', 'call me on', 'callback', 'call back', 'fax', 'whatsapp', 'hotline',
    'landline', 'direct line', 'contact number',
    // German
    'telefon', 'telefonnummer', 'telefonnotiz', 'rufnummer', 'handy', 'handynummer', 'mobil',
    'mobilnummer', 'festnetz', 'erreichbar unter', 'rückruf unter', 'anrufen unter',
    // French
    'téléphone', 'tél', 'portable', 'fixe', 'appeler', 'rappeler', 'joindre au',
    // Spanish, Portuguese, Italian
    'teléfono', 'móvil', 'celular', 'fijo', 'llamar al', 'llame al', 'llamó desde', 'telefone',
    'telemóvel', 'ligar para', 'ligue para', 'fixo', 'telefono', 'cellulare', 'fisso',
    'chiamare il', 'richiamare il',
    // Dutch, Polish
    'telefoon', 'telefoonnummer', 'mobiel', 'bel', 'bellen', 'gsm', 'vaste lijn', 'telefon',
    'komórka', 'komórkowy', 'stacjonarny', 'zadzwoń pod', 'kom',
    // Greek, Russian
    'τηλέφωνο', 'τηλ', 'κινητό', 'σταθερό', 'телефон', 'тел', 'моб', 'мобильный', 'звонить по номеру'
];
// Scripts without spaces or with attached prefixes: matched without word boundaries.
const PHONE_WORDS_UNBOUNDED = [
    '電話',
    '携帯',
    '連絡先',
    '手机',
    '电话',
    '座机',
    '联系电话',
    'טלפון',
    'טל',
    'נייד',
    'هاتف',
    'جوال',
    'موبايل'
];

const PHONE_WORD_SET = new Set(PHONE_WORDS);

/**
 * Context is read from the words just before a number: looked up in sets, not matched with one
 * big alternation at every position, so the cost stays with the few numbers a text holds.
 */
function wordsOf(context: string): { word: string; end: number }[] {
    return [...context.matchAll(/\p{L}+/gu)].map((m) => ({
        word: m[0].toLowerCase(),
        end: (m.index ?? 0) + m[0].length
    }));
}

/** A phrase of one to three words ending with words[i], as written in the word lists. */
function phrasesEndingAt(words: { word: string }[], i: number): string[] {
    const phrases: string[] = [];
    let phrase = '';
    for (let j = i; j >= 0 && j > i - 3; j--) {
        phrase = j === i ? (words[j]?.word ?? '') : `${words[j]?.word ?? ''} ${phrase}`;
        phrases.push(phrase);
    }
    return phrases;
}

/** A phone word at most 3 words and 25 characters (none a digit or a line break) before `start`. */
function hasPhoneWordBefore(text: string, start: number): boolean {
    let from = start;
    const limit = Math.max(0, start - 60);
    while (from > limit && !/[\d\n+]/.test(text[from - 1] ?? '')) from--;
    const context = text.slice(from, start);
    if (
        PHONE_WORDS_UNBOUNDED.some((w) => {
            const at = context.lastIndexOf(w);
            return at >= 0 && context.length - (at + w.length) <= 25;
        })
    ) {
        return true;
    }
    const words = wordsOf(context);
    for (let i = words.length - 1; i >= 0 && i >= words.length - 4; i--) {
        if (context.length - (words[i]?.end ?? 0) > 25) break;
        if (phrasesEndingAt(words, i).some((p) => PHONE_WORD_SET.has(p))) return true;
    }
    return false;
}

// Letters and digits that bound a number. Chinese and Japanese (and Korean particles) run words and
// numbers together, so their characters do not: 携帯080-1234-5678、手机13800138000已验证.
const ALNUM = String.raw`(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}])`;
// Group separators: space, no-break and narrow no-break space (Word, Outlook, French typography).
const SPACE = String.raw`[ \u00a0\u202f]`;
const SEP = String.raw`[ \u00a0\u202f.-]`;
const numberPattern = (source: string) => new RegExp(source, 'gu');

const PHONE_PATTERNS = {
    // +44 20 7946 0958, +1 (415) 555-0132, +44 (0)20 7946 0321, +4930123456, 0049 30 1234567.
    // Separators are mandatory between digit groups, so each text has one parse (no backtracking blow-up).
    international: numberPattern(
        String.raw`(?<!${ALNUM}|\+|\d${SPACE})(?:\+|00(?=[1-9]))\d+(?:${SEP}?\(\d{1,4}\)${SEP}?\d+)?(?:${SEP}\d+)*(?!${ALNUM}|[.-]\d)`
    ),
    // (415) 555-0132, (020) 7946 0958, (11) 91234-5678, 8 (495) 123-45-67, 1 (800) 555-0100
    parenthesised: numberPattern(
        String.raw`(?<!${ALNUM}|\+)(?:[18][ -]?)?\(\d{2,5}\)${SEP}?\d{2,5}(?:${SEP}\d{2,5}){0,3}(?!${ALNUM}|[.-]\d)`
    ),
    // 415-555-0132, 415.555.0132, 415 555 0132, 1-800-555-0199 (the North American shape)
    northAmerican: numberPattern(
        String.raw`(?<!${ALNUM}|[.,/:+-]|\d${SPACE})(?:1${SEP})?[2-9]\d{2}(${SEP})\d{3}\1\d{4}(?!${ALNUM}|[.,/:-]\d)`
    ),
    // A trunk prefix 0 then groups: 030 1234 5678, 06 12 34 56 78, 03-1234-5678, 020-123 4567,
    // 06-12345678, 01.42.68.53.00, 089/12345678. Not preceded by a digit group (part of a longer run).
    trunkPrefixed: numberPattern(
        String.raw`(?<!${ALNUM}|[.,/:+-]|\d${SPACE})0[1-9]\d{0,4}(?:${SEP}|\/ ?)\d+(?:${SEP}\d+){0,4}(?!${ALNUM}|[.,/:-]\d)`
    ),
    // Any run of 8 to 12 digits, kept only when a phone word comes right before it (手机 13800138000).
    afterPhoneWord: numberPattern(
        String.raw`(?<!${ALNUM}|[.,/:+-]|\d${SPACE})\d[\d \u00a0\u202f.-]{6,16}\d(?!${ALNUM}|[.,]\d)`
    )
};

// 12 345 678 and 1.234.567 are counts and amounts (a phone's first group is not that short).
const THOUSANDS = /^\d{1,2}(?:[ \u00a0\u202f.,']\d{3})+$/u;

/** The text just before a position: what context rules look at. */
function before(text: string, start: number, length = 48): string {
    return text.slice(Math.max(0, start - length), start);
}

function followedByAmount(text: string, end: number): boolean {
    return AMOUNT_AFTER.test(text.slice(end, end + 6));
}

function isPlausibleInternational(value: string, text: string, end: number): boolean {
    if (followedByAmount(text, end)) return false;
    const usesZeroZero = value.startsWith('00');
    // "(0)" is the trunk prefix written for national callers: +44 (0)20 ... is +44 20 ...
    const digits = digitsOf(value.replace(/\(0\)/, '')).slice(usesZeroZero ? 2 : 0);
    if (!isPlausibleInternationalNumber(digits)) return false;
    // 0049 30 1234567: the country code stands alone, else "0012 3456 7890" would be a phone.
    if (usesZeroZero) {
        const firstGroup = /^00(\d+)/.exec(value)?.[1] ?? '';
        if (firstGroup.length > 3 || !isPlausibleInternationalNumber(digits)) return false;
        const ccLength =
            firstGroup[0] === '1' || firstGroup[0] === '7'
                ? 1
                : TWO_DIGIT_COUNTRY_CODES.has(firstGroup.slice(0, 2))
                  ? 2
                  : 3;
        if (firstGroup.length !== ccLength) return false;
    }
    return hasConsistentSeparators(value);
}

function isPlausibleNationalNumber(value: string, text: string, end: number, min: number): boolean {
    // One pass: digit count, no 1-digit group after the first (only a trunk or country prefix is
    // that short: "8 (495) ...", "1-800-..."), dots only as the sole separator (else a date).
    let digits = 0;
    let group = 0;
    let groups = 0;
    let dots = 0;
    let others = 0;
    for (let i = 0; i <= value.length; i++) {
        const c = i < value.length ? value.charCodeAt(i) : 32;
        if (c >= 48 && c <= 57) {
            digits++;
            group++;
            continue;
        }
        if (group > 0) {
            if (group < 2 && groups > 0) return false;
            groups++;
            group = 0;
        }
        if (i === value.length) break;
        if (c === 46) dots++;
        else if (c !== 40 && c !== 41 && c !== 43) others++;
    }
    if (digits < min || digits > 12 || (dots > 0 && others > 0)) return false;
    return !followedByAmount(text, end);
}

// IBAN: country, check digits, then the account in groups (spaces allowed between groups of 4).
// Written in upper or lower case throughout (the checksum ignores case).
const IBAN = numberPattern(
    String.raw`(?<!${ALNUM})(?:[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?|[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?)(?!${ALNUM})`
);

/**
 * The IBAN a candidate starts with: the candidate itself, or without trailing groups that belong
 * to the sentence ("BE68 5390 0754 7034 ABCD" where ABCD is the next word). Null when none holds.
 */
function ibanAtStartOf(candidate: string): string | null {
    let value = candidate;
    for (;;) {
        if (isValidIban(value)) return value;
        const cut = value.lastIndexOf(' ');
        if (cut < 9) return null;
        value = value.slice(0, cut);
    }
}

// ---------------------------------------------------------------------------------------------
// Shields: text that is certainly not personal data (dates, times, IP addresses, UUIDs, IBAN-shaped
// strings failing their checksum). A digit-based finding (phone, card, SSN) that overlaps a shield
// without containing it is dropped, and so is one right after "Order", "Invoice", "IMEI"...: so
// "Rechnungsnummer 0815 4711 2024" and "DE59 7900 7151 0758 2877 03" stay as written.

// Each alternative starts at a digit whose predecessor is no letter or digit: the lookbehind sits
// after that first digit so the scan skips letters cheaply.
const DATE_TIME_ADDRESS = new RegExp(
    String.raw`\d(?<![\p{L}\p{N}].)(?:` +
        [
            // 2024-03-15, 2024-03-15T14:30:00Z, 2024-03-15 14:30:00.123+01:00
            String.raw`\d{3}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?`,
            // 15.03.2024, 03/15/2024, 15-03-24, 2024/03/15, 2024.03.15
            String.raw`\d?([./-])\d{1,2}\1(?:\d{4}|\d{2})`,
            String.raw`\d{3}([./])\d{1,2}\2\d{1,2}`,
            // 14:30, 09:42:10
            String.raw`\d?:\d{2}(?::\d{2})?`,
            // 192.168.10.25, 10.0.0.1:8080
            String.raw`\d{0,2}(?:\.\d{1,3}){3}(?::\d{1,5})?`
        ].join('|') +
        String.raw`)(?![\p{L}\p{N}])`,
    'gu'
);
// 3f2504e0-4f89-11d3-9a0c-0305e82c3301, found from its dashes: most texts hold none, and a scan
// led by a literal skips the hex letters of ordinary words.
const UUID_TAIL = /-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![\p{L}\p{N}])/gu;
const UUID_HEAD = /(?<![\p{L}\p{N}-])[0-9A-Fa-f]{8}$/u;

// Words after which a number is an identifier (order, invoice, case, tracking, device...).
// prettier-ignore
const IDENTIFIER_WORDS = [
    // English
    'order', 'order no', 'order number', 'purchase order', 'invoice', 'invoice no', 'ticket',
    'incident', 'case', 'case number', 'reference', 'ref', 'serial', 'serial number', 'tracking',
    'tracking number', 'shipment', 'parcel', 'waybill', 'imei', 'isbn', 'issn', 'ean', 'upc', 'sku',
    'part no', 'part number', 'contract', 'policy', 'policy number', 'quote', 'build', 'version',
    'release', 'batch', 'lot', 'claim', 'rma', 'transaction', 'confirmation', 'booking',
    'reservation', 'receipt', 'customer number', 'account id', 'record id', 'job', 'request id',
    // German
    'bestellnummer', 'bestellung', 'auftrag', 'auftragsnummer', 'rechnung', 'rechnungsnummer',
    'rechnungsnr', 'vertrag', 'vertragsnummer', 'kundennummer', 'kundennr', 'sendungsnummer',
    'seriennummer', 'vorgang', 'vorgangsnummer', 'aktenzeichen', 'lieferschein', 'belegnummer',
    // French
    'commande', 'facture', 'dossier', 'contrat', 'suivi', 'colis', 'référence', 'réf',
    'numéro de commande', 'numéro de série',
    // Spanish, Portuguese
    'pedido', 'factura', 'seguimiento', 'contrato', 'expediente', 'referencia', 'fatura',
    'encomenda', 'processo', 'rastreio', 'referência', 'nota fiscal',
    // Italian
    'ordine', 'fattura', 'pratica', 'contratto', 'spedizione', 'riferimento', 'rif',
    // Dutch
    'ordernummer', 'bestelling', 'factuur', 'factuurnummer', 'zending', 'referentie',
    'klantnummer', 'dossiernummer',
    // Polish
    'zamówienie', 'zamówienia', 'faktura', 'umowa', 'przesyłka', 'zgłoszenie', 'przesyłki',
    // Greek, Russian
    'παραγγελία', 'παραγγελίας', 'τιμολόγιο', 'σύμβαση', 'заказ', 'заказа', 'счёт', 'счет',
    'договор', 'накладная', 'заявка', 'номер заказа'
];
const IDENTIFIER_WORDS_UNBOUNDED = [
    '注文番号',
    '請求書番号',
    '伝票番号',
    '問い合わせ番号',
    '追跡番号',
    '契約番号',
    '製造番号',
    '订单号',
    '发票号码',
    '发票号',
    '运单号',
    '合同号',
    '快递单号',
    'מספר הזמנה',
    'חשבונית',
    'מספר משלוח',
    'מספר תיק',
    'رقم الطلب',
    'الفاتورة',
    'رقم الشحنة',
    'رقم التتبع'
];

const IDENTIFIER_WORD_SET = new Set(IDENTIFIER_WORDS);
const NUMBER_WORD =
    /(?<![\p{L}])(?:no|nr|n|num|number|nummer|numéro|número|numero|numer|номер|id)$/u;
const ID_SEPARATORS = /[\s:#№.°º-]+$/u;
// Upper-case abbreviations that are ordinary words in other languages when lower-case ("po" in Polish).
const IDENTIFIER_ABBREVIATION_BEFORE = /(?<![\p{L}\p{N}])(?:PO|SN|S\/N|INV|AWB)[\s:#.-]{0,3}$/u;

/** "Order 4000123456", "IMEI 490154203237518", "Rechnungsnummer 0815 4711 2024": an identifier. */
function isIdentifierAfterWord(text: string, start: number): boolean {
    const context = before(text, start, 40);
    if (IDENTIFIER_ABBREVIATION_BEFORE.test(context)) return true;
    // Drop "no.", "#", "n°", ":" between the word and the number.
    let head = context.toLowerCase().replace(ID_SEPARATORS, '');
    const numberWord = NUMBER_WORD.exec(head);
    if (numberWord) head = head.slice(0, numberWord.index).replace(ID_SEPARATORS, '');
    if (IDENTIFIER_WORDS_UNBOUNDED.some((w) => head.endsWith(w))) return true;
    if (!/\p{L}$/u.test(head)) return false;
    const words = wordsOf(head);
    const last = words.length - 1;
    // "in case 030 1234 5678 is busy" is not a case number.
    if (words[last]?.word === 'case') return words[last - 1]?.word !== 'in';
    return phrasesEndingAt(words, last).some((p) => IDENTIFIER_WORD_SET.has(p));
}

interface Range {
    start: number;
    end: number;
}

/** Shields, merged into sorted, disjoint ranges. */
function findShields(text: string): Range[] {
    const ranges: Range[] = [];
    for (const m of text.matchAll(DATE_TIME_ADDRESS)) {
        ranges.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
    for (const m of text.matchAll(UUID_TAIL)) {
        const at = m.index ?? 0;
        if (UUID_HEAD.test(text.slice(Math.max(0, at - 9), at))) {
            ranges.push({ start: at - 8, end: at + m[0].length });
        }
    }
    for (const m of text.matchAll(IBAN)) {
        if (!ibanAtStartOf(m[0]))
            ranges.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
    ranges.sort((a, b) => a.start - b.start);
    const merged: Range[] = [];
    for (const r of ranges) {
        const last = merged[merged.length - 1];
        if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
        else merged.push({ ...r });
    }
    return merged;
}

/** Whether a shield overlaps the span without lying strictly inside it. */
function isShielded(span: Range, shields: Range[]): boolean {
    // The first shield ending after the span starts (shields are disjoint, so ends are sorted).
    let lo = 0;
    let hi = shields.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((shields[mid] as Range).end <= span.start) lo = mid + 1;
        else hi = mid;
    }
    for (let i = lo; i < shields.length; i++) {
        const s = shields[i] as Range;
        if (s.start >= span.end) break;
        const strictlyInside =
            s.start >= span.start && s.end <= span.end && s.end - s.start < span.end - span.start;
        if (!strictlyInside) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Detectors. Each finds candidate spans; `accept` keeps only real ones, looking at the text around
// them where context decides. Boundaries use lookarounds on letters/digits of any script so
// "abc@x.io" inside words or ids is still bounded.

interface Detector {
    category: MaskCategory;
    enabled: (policy: EgressPolicy) => boolean;
    pattern: RegExp;
    /** Numbers only: dropped when a shield (a date, an order number...) overlaps them. */
    shielded: boolean;
    /** Whether the whole match is a real finding (`end` is where it ends in the text). */
    check?: (value: string, text: string, end: number) => boolean;
    /** Or: the part of the match to mask, or null to drop it. */
    narrow?: (
        value: string,
        text: string,
        start: number,
        groups?: Record<string, string>
    ) => Range | null;
}

// An address: a local part (letters of any script, digits, . _ % + - and an inner apostrophe as in
// o'connor), @, domain labels and a top-level domain. An ASCII top-level domain may be followed
// directly by Chinese or Japanese text, which is written without spaces.
const EMAIL =
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+'’-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:[A-Za-z]{2,24}(?![\p{Script=Latin}\p{N}_-])|\p{L}{2,24}(?![\p{L}\p{N}_-]))/gu;

// Card numbers: 13-19 digits, optionally grouped by single spaces or dashes; never the tail of a
// longer digit run ("DE89 3704 0044 0532 0130 01").
const CARD = numberPattern(
    String.raw`(?<!${ALNUM}|[.,-]|\d[ -])\d(?:[ -]?\d){12,18}(?!${ALNUM}|[.,-]\d)`
);

const SSN = numberPattern(
    String.raw`(?<!${ALNUM}|-|\d${SPACE})\d{3}([- ])\d{2}\1\d{4}(?!${ALNUM}|-\d)`
);

// "SSN 301228471": nine digits without separators are an SSN only when the words say so.
const SSN_IN_CONTEXT =
    /(?<pre>(?<![\p{L}\p{N}])(?:ssn|ss#|social\s+security(?:\s+(?:number|no\.?|#))?|soc\.?\s*sec\.?(?:\s+no\.?)?)[^\p{N}\n]{0,12}?)(?<value>\d{3}-?\d{2}-?\d{4})(?![\p{N}\p{L}]|[-.,]\d)/giu;

// Image names (logo@2x.png) and files: an "address" whose top-level domain is a file extension.
// prettier-ignore
const FILE_EXTENSIONS = new Set([
    'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'heic', 'bmp', 'ico', 'tif', 'tiff', 'pdf',
    'css', 'scss', 'js', 'mjs', 'ts', 'tsx', 'jsx', 'json', 'html', 'htm', 'xml', 'csv', 'txt', 'md',
    'yml', 'yaml', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'zip', 'gz', 'tgz', 'log'
]);
// Host names on private networks are not mailboxes of people: root@db01.local, user@build.internal.
const LOCAL_DOMAINS = new Set(['local', 'localhost', 'localdomain', 'internal', 'lan', 'intranet']);
const CJK_PREFIX =
    /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+(?=[A-Za-z0-9])/u;

function acceptEmail(value: string, text: string, start: number): Range | null {
    // 邮箱li.na@example.cn: Chinese and Japanese run words together; the address starts at the Latin part.
    const cjk = CJK_PREFIX.exec(value)?.[0] ?? '';
    const address = value.slice(cjk.length);
    const from = start + cjk.length;
    const end = start + value.length;
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    const tld = domain.slice(domain.lastIndexOf('.') + 1);
    if (FILE_EXTENSIONS.has(tld) || LOCAL_DOMAINS.has(tld)) return null;
    // report@2x.png, sprite@1.5x.svg: retina image names.
    if (/^\d+(?:\.\d+)?x\./.test(domain)) return null;
    // git@github.com:org/repo.git is an SSH remote, not a mailbox.
    if (/^:[\w~./-]/.test(text.slice(end, end + 2))) return null;
    return { start: from, end };
}

const whole = (value: string, start: number): Range => ({ start, end: start + value.length });

function contextValue(
    value: string,
    start: number,
    groups: Record<string, string> | undefined
): { value: string; start: number } {
    const pre = groups?.pre ?? '';
    return { value: groups?.value ?? value, start: start + pre.length };
}

const DETECTORS: Detector[] = [
    {
        category: 'EMAIL',
        enabled: (p) => p.masking.emails,
        pattern: EMAIL,
        shielded: false,
        narrow: acceptEmail
    },
    {
        category: 'IBAN',
        enabled: (p) => p.masking.ibans,
        pattern: IBAN,
        shielded: false,
        narrow: (m, _text, start) => {
            const iban = ibanAtStartOf(m);
            return iban ? whole(iban, start) : null;
        }
    },
    {
        category: 'CARD',
        enabled: (p) => p.masking.cards,
        pattern: CARD,
        shielded: true,
        check: (m) => {
            const separators = new Set(m.replace(/\d/g, ''));
            if (separators.size > 1) return false; // "1234 5678-9012..." is not how a card is printed
            if (separators.size === 1 && !CARD_GROUPINGS.has(groupLengths(m).join('-'))) {
                return false;
            }
            return isPlausibleCardNumber(digitsOf(m));
        }
    },
    {
        category: 'SSN',
        enabled: (p) => p.masking.nationalIds,
        pattern: SSN,
        shielded: true,
        check: isPlausibleSsn
    },
    {
        category: 'SSN',
        enabled: (p) => p.masking.nationalIds,
        pattern: SSN_IN_CONTEXT,
        shielded: true,
        narrow: (m, _text, start, groups) => {
            const found = contextValue(m, start, groups);
            const separators = found.value.replace(/\d/g, '');
            // 536-221234 is not written one way throughout.
            if (separators.length === 1 || !isPlausibleSsn(found.value)) return null;
            return whole(found.value, found.start);
        }
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE_PATTERNS.international,
        shielded: true,
        check: isPlausibleInternational
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE_PATTERNS.parenthesised,
        shielded: true,
        check: (m, text, end) => isPlausibleNationalNumber(m, text, end, 9)
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE_PATTERNS.northAmerican,
        shielded: true,
        check: (_m, text, end) => !followedByAmount(text, end)
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE_PATTERNS.trunkPrefixed,
        shielded: true,
        check: (m, text, end) => isPlausibleNationalNumber(m.replace('/', ' '), text, end, 9)
    },
    {
        category: 'PHONE',
        enabled: (p) => p.masking.phones,
        pattern: PHONE_PATTERNS.afterPhoneWord,
        shielded: true,
        // "Call volume peaked at 12 345 678": the word must come right before the number.
        check: (m, text, end) =>
            !THOUSANDS.test(m) &&
            isPlausibleNationalNumber(m, text, end, 8) &&
            hasPhoneWordBefore(text, end - m.length)
    }
];

// ---------------------------------------------------------------------------------------------
// Credentials are never masked (a mask can be reversed by whoever holds the map): they are
// dropped, in the browser and again in the relay, and the relay refuses a request carrying one.
// A pattern with a `secret` group drops only that group and keeps the words around it
// ("Authorization: Bearer [REDACTED_CREDENTIAL]"), so the model still reads what was there.

interface CredentialPattern {
    kind: string;
    pattern: RegExp;
    /** Rejects look-alikes: placeholders, prose, public identifiers. */
    accept?: (secret: string, text: string, end: number) => boolean;
}

const PLACEHOLDER =
    /^(?:\$\{?|\{\{|%[A-Za-z(]|<|\[REDACTED|process\.env|os\.environ|env[.(:]|vault:|your[_-]|x{3,}$|\*+$|\.{3}|null$|none$|undefined$|true$|false$|example|placeholder|redacted|changeme$|secret$|password$|passwort$|token$|\*{3,})/i;

/**
 * Mixed character classes, as generated secrets and chosen passwords have: digits and letters,
 * mixed case, or punctuation beyond the _ and - that join words in names.
 */
function looksRandom(value: string): boolean {
    const hasDigit = /\d/.test(value);
    const hasLetter = /\p{L}/u.test(value);
    const innerUpper = /.\p{Lu}/u.test(value);
    const hasLower = /\p{Ll}/u.test(value);
    const hasSymbol = /[^\p{L}\p{N}_-]/u.test(value);
    return (hasDigit && hasLetter) || (innerUpper && hasLower) || (hasSymbol && hasLetter);
}

// prettier-ignore
const TYPE_NAMES = new Set([
    'string', 'number', 'boolean', 'bigint', 'any', 'unknown', 'object', 'never', 'void', 'null',
    'undefined', 'String', 'Blob', 'Buffer', 'Uint8Array', 'ArrayBuffer', 'CryptoKey', 'Promise',
    'Record', 'Map', 'Set', 'Date', 'URL', 'Object', 'Integer', 'Boolean', 'Id', 'str', 'int', 'bytes'
]);

/**
 * Code that names a secret rather than holding one: a type (`token: string;`), a reference
 * (`authorization: GOOD_TOKEN`, `apiKey: settings.apiKey`, `{ apiKey: standInKey }`) or a call
 * (`secret = base64url.decode(value)`). Quoted values are literals and do not count.
 */
function isCodeReference(value: string, text: string, end: number): boolean {
    if (/^["'`]/.test(value)) return false;
    const after = text.slice(end, end + 2);
    return (
        TYPE_NAMES.has(value) ||
        /[()[\]]/.test(value) ||
        /^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$/.test(value) || // member access
        /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || // CONSTANT_NAME
        /^\s*[;)}\]]/.test(after) ||
        (/^[a-z][a-z]*(?:[A-Z][a-z]+)+$/.test(value) && /^\s*,/.test(after)) // camelCase, in a list
    );
}

// Words that follow "Password:" in forms and documentation, which are not passwords.
// prettier-ignore
const PROSE_AFTER_SECRET_WORD = new Set([
    'required', 'optional', 'hidden', 'masked', 'protected', 'expired', 'changed', 'incorrect',
    'invalid', 'missing', 'unknown', 'forgotten', 'provided', 'encrypted', 'stored', 'unchanged',
    'erforderlich', 'abgelaufen', 'geändert', 'requis', 'obligatoire', 'requerido', 'obrigatório',
    'obbligatoria', 'verplicht', 'wymagane'
]);

function isSecretAssignment(secret: string, text: string, end: number): boolean {
    const value = secret.replace(/^["'`]|["'`]$/g, '');
    if (value.length < 6 || PLACEHOLDER.test(value) || !/[\p{L}\p{N}]/u.test(value)) return false;
    if (isCodeReference(secret, text, end)) return false;
    if (looksRandom(value)) return true;
    // A plain word: a password when it stands alone ("Passwort: geheim"), prose when a sentence
    // goes on ("Password: required for all users", "Your password: ensure it is long").
    if (PROSE_AFTER_SECRET_WORD.has(value.toLowerCase())) return false;
    return !/^[ \t]+\p{L}/u.test(text.slice(end, end + 3));
}

// prettier-ignore
const SECRET_WORDS = [
    'password', 'passwd', 'pwd', 'passphrase', 'passcode', 'secret', 'token', 'apikey', 'api[_-]?key',
    'access[_-]?key', 'secret[_-]?key', 'private[_-]?key', 'signing[_-]?key', 'client[_-]?secret',
    'credentials?', 'passwort', 'kennwort', 'mot de passe', 'contraseña', 'senha', 'hasło',
    'wachtwoord', 'пароль', 'κωδικός', 'パスワード', '密码', 'סיסמה', 'كلمة المرور'
].join('|').replace(/ /g, '\\s');

const CREDENTIAL_PATTERNS: CredentialPattern[] = [
    {
        kind: 'private key',
        pattern:
            /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g
    },
    // A Salesforce session id / access token: the org id, '!', then a long opaque string.
    { kind: 'Salesforce session', pattern: /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{40,}/g },
    { kind: 'Salesforce refresh token', pattern: /\b5Aep861[A-Za-z0-9._]{40,}/g },
    {
        kind: 'JSON web token',
        pattern:
            /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}/g
    },
    { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
    {
        kind: 'API key',
        pattern: /\bsk-(?:proj-|live-|test-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
        // sk-this-is-a-long-kebab-case-slug is a name; keys mix digits and both cases.
        accept: (key) => /\d/.test(key) && /[A-Z]/.test(key) && /[a-z]/.test(key.slice(3))
    },
    { kind: 'AWS access key', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
    { kind: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g },
    { kind: 'GitHub token', pattern: /\bgithub_pat_[A-Za-z0-9_]{50,}/g },
    { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
    {
        kind: 'Slack token',
        pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-\d-[A-Za-z0-9-]{10,}/g,
        accept: (token) => /\d/.test(token) // xoxb-your-token-here is a placeholder
    },
    {
        kind: 'Slack webhook',
        pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/g
    },
    { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g },
    { kind: 'Stripe key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
    // Resident's own org keys and sealed values: `v1:<keyId>:<secret>`.
    { kind: 'Resident key', pattern: /\bv1:[A-Za-z0-9_-]{2,32}:[A-Za-z0-9_-]{32,}/g },
    // Authorization header values, whatever the scheme: Bearer, Basic, Token, Bot...
    {
        kind: 'authorization header',
        pattern:
            /(?<pre>\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:[A-Za-z]+\s+)?)(?<secret>[A-Za-z0-9._~+/-]{8,}=*)/gi,
        accept: (secret, text, end) =>
            looksRandom(secret) && !PLACEHOLDER.test(secret) && !isCodeReference(secret, text, end)
    },
    // "bearer <token>" in prose or code.
    {
        kind: 'bearer token',
        pattern: /(?<pre>\b[Bb]earer\s+)(?<secret>[A-Za-z0-9._~+/-]{16,}=*)/g,
        accept: (secret) => looksRandom(secret) && !PLACEHOLDER.test(secret)
    },
    // A password inside a URL: postgres://app:s3cret@db.example.com/prod
    {
        kind: 'password in URL',
        pattern:
            /(?<pre>\b[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s:/@]{1,64}:)(?<secret>[^\s/@]{1,128})(?=@)/g,
        accept: (secret) => !PLACEHOLDER.test(secret) && !/^\*+$/.test(secret)
    },
    // key=value / key: value / "key": "value" whose key says secret (password: hunter2, API_KEY=...).
    {
        kind: 'secret assignment',
        pattern: new RegExp(
            String.raw`(?<pre>(?:${SECRET_WORDS})["']?\s*(?:[:=：]|=>)\s*)(?<secret>["'\x60]?[^\s"'\x60,;<>]{6,}["'\x60]?)`,
            'giu'
        ),
        accept: isSecretAssignment
    }
];

/** Removes anything that looks like a credential. Returns the cleaned text and what was found. */
export function stripCredentials(text: string): { text: string; found: string[] } {
    const found: string[] = [];
    let out = text;
    for (const credential of CREDENTIAL_PATTERNS) out = dropMatches(out, credential, found);
    return { text: out, found };
}

function dropMatches(text: string, credential: CredentialPattern, found: string[]): string {
    const { kind, pattern, accept } = credential;
    pattern.lastIndex = 0;
    return text.replace(pattern, (...args: unknown[]) => {
        const match = args[0] as string;
        const last = args[args.length - 1];
        const groups =
            typeof last === 'object' && last !== null
                ? (last as Record<string, string | undefined>)
                : undefined;
        const offset = args.find((a, i) => i > 0 && typeof a === 'number') as number;
        const secret = groups?.secret ?? match;
        const pre = groups?.pre ?? '';
        if (accept && !accept(secret, text, offset + pre.length + secret.length)) return match;
        found.push(kind);
        return pre + CREDENTIAL_REDACTION + match.slice(pre.length + secret.length);
    });
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
    const shields = findShields(text);
    for (const custom of compileCustomPatterns(policy)) {
        for (const m of text.matchAll(custom.pattern)) {
            if (!m[0]) continue;
            const start = m.index ?? 0;
            spans.push({ start, end: start + m[0].length, category: custom.category, value: m[0] });
        }
    }
    for (const d of DETECTORS) {
        if (!d.enabled(policy)) continue;
        d.pattern.lastIndex = 0;
        for (const m of text.matchAll(d.pattern)) {
            if (!m[0]) continue;
            const at = m.index ?? 0;
            // Cheapest first: a shield on the raw match, then the detector's rules, then the words.
            if (d.shielded && isShielded({ start: at, end: at + m[0].length }, shields)) continue;
            let found: Range | null = whole(m[0], at);
            if (d.narrow) found = d.narrow(m[0], text, at, m.groups);
            else if (d.check && !d.check(m[0], text, found.end)) found = null;
            if (!found) continue;
            if (
                d.shielded &&
                (isShielded(found, shields) || isIdentifierAfterWord(text, found.start))
            ) {
                continue;
            }
            spans.push({
                start: found.start,
                end: found.end,
                category: d.category,
                value: text.slice(found.start, found.end)
            });
        }
    }
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
