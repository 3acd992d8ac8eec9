// A deterministic data set for the stand-in org: the same ids and values on every start, so tests
// and the workbench can name records. The only randomness is a fixed-seed generator.

export type FieldValue = string | number | boolean | null;
export type SObjectRecord = { Id: string; [field: string]: FieldValue };
export type StoredRecord = { type: string; fields: SObjectRecord };

export type Share = { recordId: string; userId: string; access: 'Read' | 'Edit' };

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Salesforce's 3-character case-safe suffix that turns a 15-char id into an 18-char one. */
export function toEighteen(id15: string): string {
    let suffix = '';
    for (let chunk = 0; chunk < 3; chunk += 1) {
        let bits = 0;
        for (let i = 0; i < 5; i += 1) {
            const c = id15.charAt(chunk * 5 + i);
            if (c >= 'A' && c <= 'Z') bits |= 1 << i;
        }
        suffix += ID_CHARS.charAt(bits);
    }
    return id15 + suffix;
}

/** An 18-char id with the object's key prefix, pod "5g" and a base-62 counter. */
export function makeId(keyPrefix: string, counter: number): string {
    let n = counter;
    let digits = '';
    while (digits.length < 10) {
        digits = BASE62.charAt(n % 62) + digits;
        n = Math.floor(n / 62);
    }
    return toEighteen(`${keyPrefix}5g${digits}`);
}

export const ORG_ID = makeId('00D', 1);

export const ADA_ADMIN_ID = makeId('005', 1);
export const SAM_SELLER_ID = makeId('005', 2);
export const DEACTIVATED_USER_ID = makeId('005', 3);
/** The workbench's record page shows this Account: owned by Sam, so both users can see it. */
export const SAMPLE_ACCOUNT_ID = makeId('001', 1);
export const SAMPLE_ACCOUNT_NAME = 'Acme Corporation';

export const STANDIN_USERNAMES = {
    ada: 'ada.admin@resident.standin',
    sam: 'sam.seller@resident.standin',
    deactivated: 'dee.parted@resident.standin'
} as const;

/** mulberry32: tiny deterministic PRNG. */
function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const COMPANY_WORDS = [
    'Globex',
    'Initech',
    'Umbrella',
    'Stark',
    'Wayne',
    'Tyrell',
    'Cyberdyne',
    'Soylent',
    'Hooli',
    'Vandelay',
    'Wonka',
    'Gringotts',
    'Oscorp',
    'Massive',
    'Dynamic',
    'Blue Sun',
    'Pied Piper',
    'Aperture',
    'Black Mesa',
    'Monarch'
];
const COMPANY_SUFFIX = ['Industries', 'Holdings', 'Labs', 'Systems', 'Group', 'Partners'];
const FIRST = [
    'Alex',
    'Jordan',
    'Taylor',
    'Morgan',
    'Casey',
    'Riley',
    'Jamie',
    'Avery',
    'Quinn',
    'Drew'
];
const LAST = [
    'Nguyen',
    'Garcia',
    'Smith',
    'Okafor',
    'Kowalski',
    'Tanaka',
    'Dubois',
    'Silva',
    'Khan',
    'Berg'
];
const INDUSTRIES = ['Technology', 'Manufacturing', 'Retail', 'Finance', 'Healthcare'];
const CITIES = ['San Francisco', 'London', 'Paris', 'Berlin', 'Tokyo', 'Toronto', 'Sydney'];
const STAGES = [
    'Prospecting',
    'Qualification',
    'Proposal/Price Quote',
    'Negotiation/Review',
    'Closed Won',
    'Closed Lost'
];

const BASE_TIME = Date.UTC(2026, 0, 15, 9, 0, 0);

function isoDateTime(offsetHours: number): string {
    return new Date(BASE_TIME + offsetHours * 3600_000).toISOString().replace('Z', '+0000');
}

export type SeedData = { records: StoredRecord[]; shares: Share[] };

export function buildSeedData(): SeedData {
    const random = seededRandom(20260115);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const records: StoredRecord[] = [];
    const shares: Share[] = [];
    let hour = 0;
    const audit = (ownerId: string): Record<string, FieldValue> => {
        hour += 1;
        return {
            CreatedDate: isoDateTime(hour),
            LastModifiedDate: isoDateTime(hour + 24),
            SystemModstamp: isoDateTime(hour + 24),
            CreatedById: ownerId,
            LastModifiedById: ownerId
        };
    };

    const users: [string, string, string, string, string, boolean][] = [
        [ADA_ADMIN_ID, 'Ada', 'Admin', STANDIN_USERNAMES.ada, 'System Administrator', true],
        [SAM_SELLER_ID, 'Sam', 'Seller', STANDIN_USERNAMES.sam, 'Standard User', true],
        [
            DEACTIVATED_USER_ID,
            'Dee',
            'Parted',
            STANDIN_USERNAMES.deactivated,
            'Standard User',
            false
        ]
    ];
    for (const [id, first, last, username, profile, active] of users) {
        records.push({
            type: 'User',
            fields: {
                Id: id,
                ...audit(ADA_ADMIN_ID),
                Name: `${first} ${last}`,
                FirstName: first,
                LastName: last,
                Username: username,
                Email: username.replace('.standin', '.example.com'),
                Title:
                    profile === 'System Administrator' ? 'Salesforce Admin' : 'Account Executive',
                IsActive: active,
                ProfileName: profile
            }
        });
    }

    let contactCount = 0;
    let oppCount = 0;
    let caseCount = 0;
    for (let a = 1; a <= 40; a += 1) {
        const accountId = makeId('001', a);
        // Sam owns the sample account and every fifth one; Ada owns the rest (private to Sam).
        const ownerId = a === 1 || a % 5 === 0 ? SAM_SELLER_ID : ADA_ADMIN_ID;
        const name =
            a === 1
                ? SAMPLE_ACCOUNT_NAME
                : `${COMPANY_WORDS[a % COMPANY_WORDS.length]} ${COMPANY_SUFFIX[a % COMPANY_SUFFIX.length]}${a > 20 ? ` ${a}` : ''}`;
        records.push({
            type: 'Account',
            fields: {
                Id: accountId,
                ...audit(ownerId),
                OwnerId: ownerId,
                Name: name,
                Industry: a === 1 ? 'Technology' : pick(INDUSTRIES),
                Type: a % 3 === 0 ? 'Prospect' : 'Customer - Direct',
                Rating: pick(['Hot', 'Warm', 'Cold']),
                AnnualRevenue: a === 1 ? 12_500_000 : Math.round(random() * 200) * 250_000,
                NumberOfEmployees: a === 1 ? 1200 : 10 + Math.floor(random() * 5000),
                Phone: `+1 415 555 ${String(1000 + a).slice(-4)}`,
                Website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`,
                BillingCity: a === 1 ? 'San Francisco' : pick(CITIES),
                BillingCountry: 'United States',
                Description:
                    a === 1
                        ? 'Long-standing customer; renewal talks start in Q3.'
                        : `Sample account ${a} in the stand-in org (test data).`
            }
        });
        // Accounts 2 and 3 are Ada's but shared with Sam: read-only and read/write.
        if (a === 2) shares.push({ recordId: accountId, userId: SAM_SELLER_ID, access: 'Read' });
        if (a === 3) shares.push({ recordId: accountId, userId: SAM_SELLER_ID, access: 'Edit' });

        const contactsHere = 3 + (a % 3);
        const contactIds: string[] = [];
        for (let c = 0; c < contactsHere; c += 1) {
            contactCount += 1;
            const id = makeId('003', contactCount);
            contactIds.push(id);
            const first = pick(FIRST);
            const last = pick(LAST);
            records.push({
                type: 'Contact',
                fields: {
                    Id: id,
                    ...audit(ownerId),
                    OwnerId: ownerId,
                    Name: `${first} ${last}`,
                    FirstName: first,
                    LastName: last,
                    AccountId: accountId,
                    Title: pick(['CEO', 'CFO', 'VP Sales', 'Buyer', 'Engineer']),
                    Email: `${first}.${last}.${contactCount}@example.com`.toLowerCase(),
                    Phone: `+1 212 555 ${String(1000 + contactCount).slice(-4)}`
                }
            });
        }
        // On the sample account, the last opportunity and the last case belong to Ada: Sam owns the
        // account but his role only opens the children he owns, so the page shows him fewer rows.
        const childOwner = (index: number, count: number): string =>
            a === 1 && index === count - 1 ? ADA_ADMIN_ID : ownerId;
        const oppsHere = 3;
        for (let o = 0; o < oppsHere; o += 1) {
            oppCount += 1;
            const stage = pick(STAGES);
            const oppOwner = childOwner(o, oppsHere);
            records.push({
                type: 'Opportunity',
                fields: {
                    Id: makeId('006', oppCount),
                    ...audit(oppOwner),
                    OwnerId: oppOwner,
                    Name: `${name} - Deal ${o + 1}`,
                    AccountId: accountId,
                    StageName: stage,
                    Amount: Math.round(random() * 100) * 5000,
                    Probability: stage === 'Closed Won' ? 100 : stage === 'Closed Lost' ? 0 : 40,
                    CloseDate: `2026-${String(1 + (oppCount % 12)).padStart(2, '0')}-15`,
                    IsClosed: stage.startsWith('Closed'),
                    IsWon: stage === 'Closed Won'
                }
            });
        }
        const casesHere = 2 + (a % 2);
        for (let k = 0; k < casesHere; k += 1) {
            caseCount += 1;
            const caseOwner = childOwner(k, casesHere);
            records.push({
                type: 'Case',
                fields: {
                    Id: makeId('500', caseCount),
                    ...audit(caseOwner),
                    OwnerId: caseOwner,
                    CaseNumber: String(1000 + caseCount).padStart(8, '0'),
                    AccountId: accountId,
                    ContactId: contactIds[k % contactIds.length] ?? null,
                    Subject: pick([
                        'Login issue',
                        'Invoice question',
                        'Outage report',
                        'Feature request'
                    ]),
                    Status: pick(['New', 'Working', 'Escalated', 'Closed']),
                    Priority: pick(['High', 'Medium', 'Low']),
                    Origin: pick(['Phone', 'Email', 'Web']),
                    Description: `Stand-in case ${caseCount} (test data).`
                }
            });
        }
    }
    return { records, shares };
}
