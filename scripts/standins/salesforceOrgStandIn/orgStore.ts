import { randomBytes } from 'node:crypto';
import {
    DEFAULT_POLICY,
    type EgressPolicy
} from '../../../force-app/main/default/lwc/egressPolicy/egressPolicy';
import { parseSosl, searchScore, SoslSyntaxError, wordsOf } from './sosl';
import { newTrustCenterState, type TrustCenterState } from './trustCenterState';
import {
    isSearchable,
    fieldByRelationship,
    fieldDef,
    masterField,
    objectDef,
    objectForId,
    type FieldDef,
    type ObjectDef
} from './schema';
import { APEX_ONLY_ACTIVITY_KINDS } from './schema';
import {
    ADA_ADMIN_ID,
    buildSeedData,
    LEGAL_HOLD_ACCOUNT_ID,
    LEGAL_HOLD_MESSAGE,
    makeId,
    ORG_ID,
    type FieldValue,
    type Share,
    type SObjectRecord,
    type StoredRecord
} from './seedData';
import {
    fieldsReadBy,
    matches,
    parseSoql,
    sortRecords,
    SoqlSyntaxError,
    type Literal,
    type SoqlQuery
} from './soql';

/** An error the REST layer answers as Salesforce's `[{"message","errorCode"}]` body. */
export class OrgError extends Error {
    constructor(
        readonly status: number,
        readonly errorCode: string,
        message: string,
        readonly fields: string[] = []
    ) {
        super(message);
    }
}

type ObjectPermissions = {
    read: boolean;
    create: boolean;
    edit: boolean;
    delete?: boolean;
    /** View All / Modify All on the object; unset: the profile's `seesEverything`. */
    viewAll?: boolean;
    modifyAll?: boolean;
};
type Profile = {
    name: string;
    seesEverything: boolean;
    objects: Record<string, ObjectPermissions>;
    /** `Object.Field` names this profile cannot read at all. */
    hiddenFields: Set<string>;
    /** `Object.Field` names this profile can read but not edit. */
    readOnlyFields: Set<string>;
    /** The package's permission set the profile's user holds, and its custom permissions. */
    permissionSet: 'Resident_Admin' | 'Resident_User';
    customPermissions: Set<string>;
};

/** Read, create, edit and delete, as the standard profiles grant them on the sales objects (delete
 *  still needs ownership or Modify All, so undo can remove what the coworker created). */
const ALL: ObjectPermissions = { read: true, create: true, edit: true, delete: true };
const READ_ONLY: ObjectPermissions = { read: true, create: false, edit: false };
/** Create and read, never edit or delete: the activity log and feedback are append-only. */
const APPEND_ONLY: ObjectPermissions = { read: true, create: true, edit: false, delete: false };

// The package's objects as the permission sets grant them (docs/DATA_MODEL.md): Ada holds
// Resident Admin, Sam holds Resident User. Resident Admin's grants are those of
// force-app/main/default/permissionsets/Resident_Admin.permissionset-meta.xml, so the trust center's
// retention and purge (which delete in user mode) work here only as far as they would in an org.
const RESIDENT_ADMIN_OBJECTS: Record<string, ObjectPermissions> = {
    // View All and Modify All: an admin reads a conversation for support and deletes it for
    // retention and purge.
    Resident_Task__c: { ...ALL, viewAll: true, modifyAll: true },
    // Append-only even for admins: no permission set grants edit or delete on the log; retention
    // and purge erase entries only through eraseActivityEntry (ActivityLogEraser).
    Resident_Activity__c: { ...APPEND_ONLY, viewAll: true, modifyAll: false },
    Resident_Knowledge_Document__c: { ...ALL, viewAll: true, modifyAll: true },
    Resident_Knowledge_Chunk__c: { ...ALL, viewAll: true, modifyAll: true },
    Resident_Feedback__c: { ...ALL, viewAll: true, modifyAll: true },
    Resident_Document_Template__c: { ...ALL, viewAll: true, modifyAll: true },
    Resident_Report_Schedule__c: { ...ALL, viewAll: true, modifyAll: true },
    // Resident Admin cannot create runs; Ada is also the stand-in's scheduler integration user
    // (Resident Scheduler), which writes a schedule's runs, so create is granted here for that role.
    Resident_Report_Run__c: { ...ALL, viewAll: true, modifyAll: true },
    // The egress policy's custom metadata type: both permission sets grant read (the AI summary).
    Resident_Egress_Policy__mdt: READ_ONLY
};
const RESIDENT_USER_OBJECTS: Record<string, ObjectPermissions> = {
    Resident_Task__c: { ...ALL, delete: true, viewAll: false, modifyAll: false },
    Resident_Activity__c: { ...APPEND_ONLY, viewAll: false, modifyAll: false },
    Resident_Knowledge_Document__c: { ...READ_ONLY, viewAll: false, modifyAll: false },
    Resident_Knowledge_Chunk__c: { ...READ_ONLY, viewAll: false, modifyAll: false },
    Resident_Feedback__c: { ...APPEND_ONLY, viewAll: false, modifyAll: false },
    Resident_Document_Template__c: { ...READ_ONLY, viewAll: false, modifyAll: false },
    // Scheduled reports (issue 6): users own their schedules; runs follow the schedule
    // (master-detail) and only the scheduler user writes them, as the Resident User permission set says.
    Resident_Report_Schedule__c: { ...ALL, delete: true, viewAll: false, modifyAll: false },
    Resident_Report_Run__c: { ...READ_ONLY, viewAll: false, modifyAll: false },
    Resident_Egress_Policy__mdt: READ_ONLY
};
/** Scheduled reports (issue 6): only the relay (the scheduler user) writes a schedule's last run. */
const RELAY_WRITTEN_FIELDS = [
    'Resident_Report_Schedule__c.Last_Run_At__c',
    'Resident_Report_Schedule__c.Last_Status__c'
];

/** The custom permission ActivityLogEraser requires (Resident Admin holds it). */
const MANAGE_TRUST_SETTINGS = 'Resident_Manage_Trust_Settings';

/**
 * The two profiles, new for each store and each reset(), so a test that changes one (setFieldHidden,
 * setObjectPermissions) never leaks into another store or the next test.
 */
function buildProfiles(): Record<string, Profile> {
    return {
        'System Administrator': {
            name: 'System Administrator',
            seesEverything: true,
            objects: {
                User: ALL,
                Account: ALL,
                Contact: ALL,
                Opportunity: ALL,
                Case: ALL,
                ContentVersion: ALL,
                ContentDocument: ALL,
                ContentDocumentLink: ALL,
                ...RESIDENT_ADMIN_OBJECTS
            },
            hiddenFields: new Set(),
            // Ada is also the stand-in's scheduler integration user (Resident Scheduler), which writes
            // a schedule's last run; in a real org the admin's own user would have these read-only.
            readOnlyFields: new Set(),
            permissionSet: 'Resident_Admin',
            customPermissions: new Set([
                'Resident_Manage_Relay_Connection',
                'Resident_Org_Health',
                MANAGE_TRUST_SETTINGS
            ])
        },
        'Standard User': {
            name: 'Standard User',
            seesEverything: false,
            objects: {
                User: READ_ONLY,
                Account: ALL,
                Contact: ALL,
                Opportunity: ALL,
                Case: ALL,
                ContentVersion: ALL,
                ContentDocument: ALL,
                ContentDocumentLink: ALL,
                ...RESIDENT_USER_OBJECTS
            },
            hiddenFields: new Set(['Account.AnnualRevenue', 'Opportunity.Amount']),
            readOnlyFields: new Set(['Account.Rating', ...RELAY_WRITTEN_FIELDS]),
            permissionSet: 'Resident_User',
            customPermissions: new Set()
        }
    };
}

export type OrgUser = {
    id: string;
    username: string;
    name: string;
    isActive: boolean;
    profile: Profile;
};
export type SentEmail = {
    sentByUserId: string;
    emailAddresses: string[];
    subject: string;
    body: string;
    inputs: Record<string, unknown>;
};

function noSuchColumn(field: string, object: string): OrgError {
    return new OrgError(
        400,
        'INVALID_FIELD',
        `No such column '${field}' on entity '${object}'. If you are attempting to use a custom ` +
            "field, be sure to append the '__c' after the custom field name. Please reference " +
            'your WSDL or the describe call for the appropriate names.'
    );
}

/** The field types SOSL's IN ALL FIELDS searches. */
const SEARCHED_TYPES = new Set<FieldDef['dataType']>([
    'String',
    'TextArea',
    'Email',
    'Phone',
    'Url'
]);

/** A resolved field path: the reference hops from the root object and the final field. */
type ResolvedPath = { hops: FieldDef[]; object: ObjectDef; field: FieldDef };

/**
 * What an admin saved in the trust settings: the egress policy (custom metadata in a real org,
 * deployed asynchronously; here applied at once) and each coworker's auto-approved objects.
 */
export type TrustState = { policy: EgressPolicy; autoApprove: Record<string, string[]> };

export class OrgStore {
    private records = new Map<string, StoredRecord>();
    /** Above 0 while a package Apex double inserts an Apex-only activity entry. */
    private packageActivityInserts = 0;
    trust: TrustState = { policy: structuredClone(DEFAULT_POLICY), autoApprove: {} };
    /** Deployments of trust settings so far (each save answers a new deployment id). */
    trustDeployments = 0;
    /** Trust center (issue 7): retention windows, the retention job and its runs. */
    trustCenter: TrustCenterState = newTrustCenterState();
    private shares: Share[] = [];
    readonly emails: SentEmail[] = [];
    private counters = new Map<string, number>();
    private profiles: Record<string, Profile> = buildProfiles();

    constructor() {
        this.reset();
    }

    reset(): void {
        const seed = buildSeedData();
        this.records = new Map(seed.records.map((r) => [r.fields.Id, r]));
        this.shares = seed.shares;
        this.emails.length = 0;
        this.counters = new Map();
        this.trust = { policy: structuredClone(DEFAULT_POLICY), autoApprove: {} };
        this.trustDeployments = 0;
        this.trustCenter = newTrustCenterState();
        this.profiles = buildProfiles();
    }

    // ---- users and security ----

    user(id: string): OrgUser | undefined {
        const r = this.records.get(id);
        if (!r || r.type !== 'User') return undefined;
        const f = r.fields;
        const profile = this.profiles[String(f.ProfileName)] ?? this.profiles['Standard User'];
        if (!profile) return undefined;
        return {
            id,
            username: String(f.Username),
            name: String(f.Name),
            isActive: f.IsActive === true,
            profile
        };
    }

    userByUsername(username: string): OrgUser | undefined {
        for (const r of this.records.values()) {
            if (
                r.type === 'User' &&
                String(r.fields.Username).toLowerCase() === username.toLowerCase()
            ) {
                return this.user(r.fields.Id);
            }
        }
        return undefined;
    }

    objectPermissions(user: OrgUser, object: string): ObjectPermissions {
        return user.profile.objects[object] ?? { read: false, create: false, edit: false };
    }

    private viewAll(user: OrgUser, object: string): boolean {
        const perms = this.objectPermissions(user, object);
        return perms.read && (perms.viewAll ?? perms.modifyAll ?? user.profile.seesEverything);
    }

    private modifyAll(user: OrgUser, object: string): boolean {
        const perms = this.objectPermissions(user, object);
        return perms.edit && (perms.modifyAll ?? user.profile.seesEverything);
    }

    hasCustomPermission(user: OrgUser, name: string): boolean {
        return user.profile.customPermissions.has(name);
    }

    canReadField(user: OrgUser, object: string, field: string): boolean {
        return !user.profile.hiddenFields.has(`${object}.${field}`);
    }

    canEditField(user: OrgUser, object: ObjectDef, field: FieldDef, creating: boolean): boolean {
        if (!this.canReadField(user, object.apiName, field.apiName)) return false;
        if (user.profile.readOnlyFields.has(`${object.apiName}.${field.apiName}`)) return false;
        return creating ? field.createable : field.updateable;
    }

    private shareFor(user: OrgUser, recordId: string): Share | undefined {
        return this.shares.find((s) => s.recordId === recordId && s.userId === user.id);
    }

    /** Owner-based plus explicit sharing; Contacts follow their Account; files follow their links. */
    canReadRecord(user: OrgUser, record: StoredRecord): boolean {
        if (!this.objectPermissions(user, record.type).read) return false;
        if (this.viewAll(user, record.type) || record.type === 'User') return true;
        const f = record.fields;
        const object = objectDef(record.type);
        if (object?.sharingModel) return this.sharedByModel(user, object, record, 'read');
        if (f.OwnerId === user.id || this.shareFor(user, f.Id)) return true;
        const parentId = typeof f.AccountId === 'string' ? f.AccountId : undefined;
        if (record.type === 'Contact' && parentId) return this.canReadId(user, parentId);
        // Opportunities and Cases are private and the stand-in roles use "users in this role can only
        // access opportunities/cases they own": owning the parent account opens nothing more.
        if (record.type === 'ContentDocument' || record.type === 'ContentVersion') {
            const documentId =
                record.type === 'ContentDocument' ? f.Id : String(f.ContentDocumentId);
            return [...this.records.values()].some(
                (r) =>
                    r.type === 'ContentDocumentLink' &&
                    r.fields.ContentDocumentId === documentId &&
                    this.linkOpensTo(user, String(r.fields.LinkedEntityId))
            );
        }
        if (record.type === 'ContentDocumentLink') {
            return this.linkOpensTo(user, String(f.LinkedEntityId));
        }
        return false;
    }

    /**
     * A file link opens the file to whoever can read the linked record; a link to a user shares
     * it with that user alone (their Files), not with everyone who can see the user record.
     */
    private linkOpensTo(user: OrgUser, linkedEntityId: string): boolean {
        if (linkedEntityId.startsWith('005')) return linkedEntityId === user.id;
        return this.canReadId(user, linkedEntityId);
    }

    canReadId(user: OrgUser, id: string): boolean {
        const r = this.records.get(id);
        return r !== undefined && this.canReadRecord(user, r);
    }

    canEditRecord(user: OrgUser, record: StoredRecord): boolean {
        if (!this.objectPermissions(user, record.type).edit) return false;
        if (this.modifyAll(user, record.type)) return true;
        const f = record.fields;
        const object = objectDef(record.type);
        if (object?.sharingModel) return this.sharedByModel(user, object, record, 'edit');
        if (f.OwnerId === user.id || this.shareFor(user, f.Id)?.access === 'Edit') return true;
        if (record.type === 'Contact' && typeof f.AccountId === 'string') {
            const account = this.records.get(f.AccountId);
            return account !== undefined && this.canEditRecord(user, account);
        }
        return false;
    }

    /**
     * The package's objects follow their metadata's org-wide default: Private (owner and explicit
     * shares), Public Read Only (everyone reads, owner edits), Controlled by Parent (the master).
     */
    private sharedByModel(
        user: OrgUser,
        object: ObjectDef,
        record: StoredRecord,
        access: 'read' | 'edit'
    ): boolean {
        const f = record.fields;
        if (object.sharingModel === 'ControlledByParent') {
            const master = masterField(object);
            const parentId = master ? f[master.apiName] : undefined;
            const parent = typeof parentId === 'string' ? this.records.get(parentId) : undefined;
            if (!parent) return false;
            return access === 'read'
                ? this.canReadRecord(user, parent)
                : this.canEditRecord(user, parent);
        }
        if (f.OwnerId === user.id) return true;
        const share = this.shareFor(user, f.Id);
        if (access === 'edit') return share?.access === 'Edit';
        return object.sharingModel === 'Read' || share !== undefined;
    }

    // ---- reading ----

    /** A record the user can see, or 404 NOT_FOUND as Salesforce answers for records out of reach. */
    visibleRecord(user: OrgUser, id: string, expectedType?: string): StoredRecord {
        const r = this.records.get(id) ?? this.records.get(this.to18(id));
        if (
            !r ||
            (expectedType && r.type.toLowerCase() !== expectedType.toLowerCase()) ||
            !this.canReadRecord(user, r)
        ) {
            throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
        }
        return r;
    }

    visibleRecordOrNull(user: OrgUser, id: string): StoredRecord | null {
        const r = this.records.get(id);
        return r && this.canReadRecord(user, r) ? r : null;
    }

    private to18(id: string): string {
        if (id.length !== 15) return id;
        return [...this.records.keys()].find((k) => k.startsWith(id)) ?? id;
    }

    resolvePath(user: OrgUser, root: ObjectDef, path: string): ResolvedPath {
        const parts = path.split('.');
        const hops: FieldDef[] = [];
        let object = root;
        for (const part of parts.slice(0, -1)) {
            const ref = fieldByRelationship(object, part);
            const target = ref?.referenceTo ? objectDef(ref.referenceTo) : undefined;
            if (!ref || !target || !this.canReadField(user, object.apiName, ref.apiName)) {
                throw new OrgError(
                    400,
                    'INVALID_FIELD',
                    `Didn't understand relationship '${part}' in field path. If you are attempting ` +
                        "to use a custom relationship, be sure to append the '__r' after the custom " +
                        'relationship name.'
                );
            }
            hops.push(ref);
            object = target;
        }
        const last = parts.at(-1) ?? '';
        const field = fieldDef(object, last);
        if (!field || !this.canReadField(user, object.apiName, field.apiName)) {
            throw noSuchColumn(last, object.apiName);
        }
        return { hops, object, field };
    }

    /** The record at the end of the reference hops, when the user may see it. */
    private follow(user: OrgUser, record: StoredRecord, hops: FieldDef[]): StoredRecord | null {
        let current: StoredRecord | undefined = record;
        for (const hop of hops) {
            const id: FieldValue | undefined = current?.fields[hop.apiName];
            current = typeof id === 'string' ? this.records.get(id) : undefined;
            if (!current || !this.canReadRecord(user, current)) return null;
        }
        return current ?? null;
    }

    valueAt(user: OrgUser, record: StoredRecord, path: ResolvedPath): Literal {
        const target = this.follow(user, record, path.hops);
        return target ? (target.fields[path.field.apiName] ?? null) : null;
    }

    /** A record as `{ Id, Name, 'Owner.Name' }`: readable paths only, no `attributes` (Apex's flattened rows). */
    flatRecord(user: OrgUser, record: StoredRecord, paths: string[]): Record<string, unknown> {
        const root = objectDef(record.type);
        if (!root) return {};
        const out: Record<string, unknown> = {};
        for (const path of paths) {
            out[path] = this.valueAt(user, record, this.resolvePath(user, root, path));
        }
        return out;
    }

    /** The REST API's JSON for a record: readable fields only, parents as nested objects. */
    restRecord(
        user: OrgUser,
        record: StoredRecord,
        paths: string[],
        apiVersion: string
    ): Record<string, unknown> {
        const root = objectDef(record.type);
        if (!root) throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
        const out: Record<string, unknown> = {
            attributes: {
                type: record.type,
                url: `/services/data/${apiVersion}/sobjects/${record.type}/${record.fields.Id}`
            }
        };
        for (const path of paths) {
            const resolved = this.resolvePath(user, root, path);
            let node = out;
            let current: StoredRecord | null = record;
            for (const hop of resolved.hops) {
                const name = hop.relationshipName ?? hop.apiName;
                const id: FieldValue | undefined = current?.fields[hop.apiName];
                const parent: StoredRecord | undefined =
                    typeof id === 'string' ? this.records.get(id) : undefined;
                current = parent && this.canReadRecord(user, parent) ? parent : null;
                if (!current) {
                    node[name] = null;
                    break;
                }
                const existing = node[name];
                if (typeof existing !== 'object' || existing === null) {
                    node[name] = {
                        attributes: {
                            type: current.type,
                            url: `/services/data/${apiVersion}/sobjects/${current.type}/${current.fields.Id}`
                        }
                    };
                }
                node = node[name] as Record<string, unknown>;
            }
            if (current)
                node[resolved.field.apiName] = current.fields[resolved.field.apiName] ?? null;
        }
        return out;
    }

    readableFieldNames(user: OrgUser, object: ObjectDef): string[] {
        return object.fields
            .filter(
                (f) => f.dataType !== 'Base64' && this.canReadField(user, object.apiName, f.apiName)
            )
            .map((f) => f.apiName);
    }

    query(
        user: OrgUser,
        soql: string
    ): { records: StoredRecord[]; paths: string[]; countOnly: boolean } {
        let parsed;
        try {
            parsed = parseSoql(soql);
        } catch (err) {
            if (err instanceof SoqlSyntaxError)
                throw new OrgError(400, 'MALFORMED_QUERY', err.message);
            throw err;
        }
        if (parsed.from.toLowerCase() === 'resident_egress_policy__mdt') this.syncPolicyRecord();
        return this.runParsed(user, parsed);
    }

    /** Resident_Egress_Policy__mdt.Default as the trust settings last deployed it (text lists as Apex reads them). */
    private syncPolicyRecord(): void {
        const p = this.trust.policy;
        const id = makeId('m01', 1);
        this.records.set(id, {
            type: 'Resident_Egress_Policy__mdt',
            fields: {
                Id: id,
                DeveloperName: 'Default',
                AI_Enabled__c: p.aiEnabled,
                Mask_Emails__c: p.masking.emails,
                Mask_Phones__c: p.masking.phones,
                Mask_Cards__c: p.masking.cards,
                Mask_Ibans__c: p.masking.ibans,
                Mask_Government_Ids__c: p.masking.nationalIds,
                Custom_Mask_Patterns__c:
                    p.masking.custom.length > 0 ? JSON.stringify(p.masking.custom) : null,
                Excluded_Fields__c:
                    p.excludedFields.length > 0 ? p.excludedFields.join('\n') : null,
                Max_Knowledge_Chunks__c: p.maxKnowledgeChunks,
                Allowed_Models__c: p.models.join('\n'),
                Zero_Retention__c: p.zeroRetention,
                Budget_Per_Task__c: p.tokenBudget.perTask,
                Budget_Per_User_Per_Day__c: p.tokenBudget.perUserPerDay
            }
        });
    }

    /**
     * Runs a parsed query as the user. `keep` narrows the rows before ORDER BY and LIMIT (SOSL's
     * text match) and `rank` orders them when the query has no ORDER BY (SOSL's relevance).
     */
    runParsed(
        user: OrgUser,
        parsed: SoqlQuery,
        keep?: (record: StoredRecord) => boolean,
        rank?: (record: StoredRecord) => number
    ): { records: StoredRecord[]; paths: string[]; countOnly: boolean } {
        const object = objectDef(parsed.from);
        if (!object || !this.objectPermissions(user, object.apiName).read) {
            throw new OrgError(
                400,
                'INVALID_TYPE',
                `sObject type '${parsed.from}' is not supported. If you are attempting to use a ` +
                    "custom object, be sure to append the '__c' after the entity name."
            );
        }
        const resolved = new Map<string, ResolvedPath>();
        for (const path of fieldsReadBy(parsed))
            resolved.set(path, this.resolvePath(user, object, path));
        const valueOf = (r: StoredRecord, path: string): Literal => {
            const p = resolved.get(path);
            return p ? this.valueAt(user, r, p) : null;
        };
        let rows = [...this.records.values()].filter(
            (r) => r.type === object.apiName && this.canReadRecord(user, r)
        );
        if (parsed.where) {
            const where = parsed.where;
            rows = rows.filter((r) => matches(where, (p) => valueOf(r, p)));
        }
        if (keep) rows = rows.filter(keep);
        if (rank && parsed.orderBy.length === 0) {
            const scores = new Map(rows.map((r) => [r, rank(r)]));
            rows = [...rows].sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0));
            return {
                records: rows.slice(
                    parsed.offset ?? 0,
                    parsed.limit !== undefined ? (parsed.offset ?? 0) + parsed.limit : undefined
                ),
                paths: parsed.fields,
                countOnly: parsed.count
            };
        }
        rows = sortRecords(
            rows,
            parsed.orderBy.length
                ? parsed.orderBy
                : [{ field: 'Id', descending: false, nullsLast: false }],
            (r, p) => (p === 'Id' && !resolved.has('Id') ? r.fields.Id : valueOf(r, p))
        );
        rows = rows.slice(
            parsed.offset ?? 0,
            parsed.limit !== undefined ? (parsed.offset ?? 0) + parsed.limit : undefined
        );
        return { records: rows, paths: parsed.fields, countOnly: parsed.count };
    }

    /**
     * SOSL as the user: each RETURNING object is searched in the text fields the user can read,
     * then filtered, ordered (by relevance unless ORDER BY) and limited like its SOQL twin.
     */
    search(
        user: OrgUser,
        sosl: string
    ): { object: ObjectDef; records: StoredRecord[]; paths: string[] }[] {
        let parsed;
        try {
            parsed = parseSosl(sosl);
        } catch (err) {
            if (err instanceof SoslSyntaxError)
                throw new OrgError(400, 'MALFORMED_SEARCH', err.message);
            throw err;
        }
        let remaining = parsed.limit ?? 2000;
        return parsed.returning.map(({ object: name, query }) => {
            const object = objectDef(name);
            if (!object || !this.objectPermissions(user, object.apiName).read) {
                throw new OrgError(
                    400,
                    'INVALID_TYPE',
                    `sObject type '${name}' is not supported. If you are attempting to use a ` +
                        "custom object, be sure to append the '__c' after the entity name."
                );
            }
            if (!isSearchable(object)) {
                throw new OrgError(
                    400,
                    'INVALID_TYPE',
                    `entity type ${object.apiName} does not support search`
                );
            }
            const searched = object.fields.filter(
                (f) =>
                    this.canReadField(user, object.apiName, f.apiName) &&
                    (parsed.scope === 'NAME'
                        ? f.apiName === object.nameField
                        : parsed.scope === 'EMAIL'
                          ? f.dataType === 'Email'
                          : parsed.scope === 'PHONE'
                            ? f.dataType === 'Phone'
                            : SEARCHED_TYPES.has(f.dataType))
            );
            const scores = new Map<StoredRecord, number>();
            const scoreOf = (r: StoredRecord): number => {
                let score = scores.get(r);
                if (score === undefined) {
                    const text = searched.map((f) => String(r.fields[f.apiName] ?? '')).join('\n');
                    score = searchScore(parsed.expression, wordsOf(text));
                    scores.set(r, score);
                }
                return score;
            };
            const result = this.runParsed(user, query, (r) => scoreOf(r) > 0, scoreOf);
            const records = result.records.slice(0, Math.max(0, remaining));
            remaining -= records.length;
            return { object, records, paths: result.paths };
        });
    }

    // ---- writing ----

    private nextId(object: ObjectDef): string {
        const n = (this.counters.get(object.keyPrefix) ?? 0) + 1;
        this.counters.set(object.keyPrefix, n);
        // Created records count from 100000 so they never collide with the seed data.
        return makeId(object.keyPrefix, 100_000 + n);
    }

    private checkWritableFields(
        user: OrgUser,
        object: ObjectDef,
        values: Record<string, unknown>,
        creating: boolean
    ): Record<string, FieldValue> {
        const clean: Record<string, FieldValue> = {};
        const denied: string[] = [];
        for (const [name, value] of Object.entries(values)) {
            if (name === 'attributes') continue;
            const field = fieldDef(object, name);
            if (!field || !this.canReadField(user, object.apiName, field.apiName)) {
                throw new OrgError(
                    400,
                    'INVALID_FIELD',
                    `No such column '${name}' on sobject of type ${object.apiName}`,
                    [name]
                );
            }
            if (!this.canEditField(user, object, field, creating)) {
                denied.push(field.apiName);
                continue;
            }
            if (value !== null && typeof value === 'object') {
                throw new OrgError(
                    400,
                    'JSON_PARSER_ERROR',
                    `Cannot deserialize instance of ${field.dataType} for ${name}`
                );
            }
            if (typeof value === 'string' && field.length && value.length > field.length) {
                throw new OrgError(
                    400,
                    'STRING_TOO_LONG',
                    `${field.label}: data value too large: ${value.slice(0, 40)}… (max length=${field.length})`,
                    [field.apiName]
                );
            }
            clean[field.apiName] = (value ?? null) as FieldValue;
        }
        if (denied.length > 0) {
            throw new OrgError(
                400,
                'INVALID_FIELD_FOR_INSERT_UPDATE',
                `Unable to create/update fields: ${denied.join(', ')}. Please check the security ` +
                    'settings of this field and verify that it is read/write for your profile or permission set.',
                denied
            );
        }
        return clean;
    }

    private stamp(user: OrgUser): Record<string, FieldValue> {
        const now = new Date().toISOString().replace('Z', '+0000');
        return { LastModifiedDate: now, SystemModstamp: now, LastModifiedById: user.id };
    }

    /**
     * Runs `insert` as ActivityKindGuard.insertAsPackage does: with the activity trigger's guard
     * open, so the package's own doubles may write the Apex-only kinds. Only they call it.
     */
    asPackageApex<T>(insert: () => T): T {
        this.packageActivityInserts += 1;
        try {
            return insert();
        } finally {
            this.packageActivityInserts -= 1;
        }
    }

    /** ResidentActivityTrigger before insert (ActivityKindGuard): no forged Apex-only entry. */
    private refuseForgedActivityKind(objectApiName: string, kind: unknown): void {
        if (
            objectApiName === 'Resident_Activity__c' &&
            this.packageActivityInserts === 0 &&
            APEX_ONLY_ACTIVITY_KINDS.includes(String(kind))
        ) {
            throw new OrgError(
                400,
                'FIELD_CUSTOM_VALIDATION_EXCEPTION',
                `${String(kind)} entries are written only by Resident itself, so that the activity log stays evidence: this entry was refused.`,
                ['Kind__c']
            );
        }
    }

    create(user: OrgUser, type: string, values: Record<string, unknown>): string {
        const object = objectDef(type);
        if (!object) throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (!this.objectPermissions(user, object.apiName).create) {
            throw new OrgError(
                400,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                'insufficient access rights on object id'
            );
        }
        const clean = this.checkWritableFields(user, object, values, true);
        this.refuseForgedActivityKind(object.apiName, clean.Kind__c);
        for (const field of object.fields) {
            if (field.defaultValue !== undefined && clean[field.apiName] === undefined) {
                clean[field.apiName] =
                    field.defaultValue === 'NOW()'
                        ? new Date().toISOString().replace('Z', '+0000')
                        : field.defaultValue;
            }
        }
        const missing = object.fields.filter(
            (f) => f.required && f.createable && (clean[f.apiName] ?? null) === null
        );
        if (missing.length > 0) {
            throw new OrgError(
                400,
                'REQUIRED_FIELD_MISSING',
                `Required fields are missing: [${missing.map((f) => f.apiName).join(', ')}]`,
                missing.map((f) => f.apiName)
            );
        }
        for (const field of object.fields) {
            const v = clean[field.apiName];
            if (
                field.dataType === 'Reference' &&
                typeof v === 'string' &&
                !this.canReadId(user, v)
            ) {
                throw new OrgError(
                    400,
                    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
                    'insufficient access rights on cross-reference id',
                    [field.apiName]
                );
            }
        }
        const id = this.nextId(object);
        const now = new Date().toISOString().replace('Z', '+0000');
        const fields: SObjectRecord = {
            Id: id,
            CreatedDate: now,
            CreatedById: user.id,
            ...this.stamp(user),
            ...clean
        };
        if (object.fields.some((f) => f.apiName === 'OwnerId') && !fields.OwnerId)
            fields.OwnerId = user.id;
        if (object.autoNumberFormat) fields.Name = this.autoNumber(object);
        if (type === 'Contact')
            fields.Name = [fields.FirstName, fields.LastName].filter(Boolean).join(' ');
        if (type === 'Case')
            fields.CaseNumber = String(5000 + (this.counters.get('500') ?? 0)).padStart(8, '0');
        if (type === 'Opportunity') {
            fields.IsClosed = String(fields.StageName).startsWith('Closed');
            fields.IsWon = fields.StageName === 'Closed Won';
        }
        this.records.set(id, { type: object.apiName, fields });
        return id;
    }

    update(
        user: OrgUser,
        id: string,
        values: Record<string, unknown>,
        expectedType?: string
    ): void {
        const record = this.visibleRecord(user, id, expectedType);
        const object = objectDef(record.type);
        if (!object) throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
        if (!this.canEditRecord(user, record)) {
            throw new OrgError(
                403,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                'insufficient access rights on object id'
            );
        }
        const clean = this.checkWritableFields(user, object, values, false);
        Object.assign(record.fields, clean, this.stamp(user));
        if (record.type === 'Contact') {
            record.fields.Name = [record.fields.FirstName, record.fields.LastName]
                .filter(Boolean)
                .join(' ');
        }
    }

    /** Deletes a record the user owns (or may Modify All), with its master-detail children. */
    delete(user: OrgUser, id: string, expectedType?: string): void {
        const record = this.visibleRecord(user, id, expectedType);
        const perms = this.objectPermissions(user, record.type);
        const owns = record.fields.OwnerId === user.id;
        if (!perms.delete || !(owns || this.modifyAll(user, record.type))) {
            throw new OrgError(
                403,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                'insufficient access rights on object id'
            );
        }
        this.removeWithChildren(record.fields.Id);
    }

    /**
     * Trust center (issue 7): the hard delete of retention and purge, as PackageRowDeleter does it:
     * every package object's rows through delete() in user mode (so the admin's permission set
     * decides, exactly as for any other delete), activity log entries through
     * eraseActivityEntry (ActivityLogEraser). There is no recycle bin here, so the row is gone at
     * once, as after emptying it.
     */
    deletePackageRow(user: OrgUser, id: string): void {
        if (this.records.get(id)?.type === 'Resident_Activity__c') {
            this.eraseActivityEntry(user, id);
        } else {
            this.delete(user, id);
        }
    }

    /**
     * ActivityLogEraser: the one system-mode delete of the log, for retention and purge. No
     * permission set grants delete on Resident_Activity__c (the log is append-only), so this is
     * narrow: the user must hold Resident_Manage_Trust_Settings, the entry must be one they can
     * read (user mode), and it deletes only log entries.
     */
    eraseActivityEntry(user: OrgUser, id: string): void {
        if (!this.hasCustomPermission(user, MANAGE_TRUST_SETTINGS)) {
            throw new OrgError(
                403,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                `The running user lacks ${MANAGE_TRUST_SETTINGS}.`
            );
        }
        const record = this.visibleRecord(user, id, 'Resident_Activity__c');
        this.removeWithChildren(record.fields.Id);
    }

    /**
     * TEST DOUBLE ONLY (issue 7): moves rows back in time by `days` (CreatedDate, LastModifiedDate,
     * SystemModstamp and Occurred_At__c where present), so a test can prove the retention job
     * deletes what is past its window without waiting for it. No Salesforce API can do this.
     */
    ageRecords(ids: readonly string[], days: number): number {
        const shift = days * 86_400_000;
        let aged = 0;
        for (const id of ids) {
            const record = this.records.get(id);
            if (!record) continue;
            for (const field of [
                'CreatedDate',
                'LastModifiedDate',
                'SystemModstamp',
                'Occurred_At__c'
            ]) {
                const value = record.fields[field];
                if (typeof value !== 'string') continue;
                const at = Date.parse(value.replace(/\+0000$/, 'Z'));
                if (Number.isNaN(at)) continue;
                record.fields[field] = new Date(at - shift).toISOString().replace('Z', '+0000');
            }
            aged += 1;
        }
        return aged;
    }

    private removeWithChildren(id: string): void {
        this.records.delete(id);
        for (const child of [...this.records.values()]) {
            const master = masterField(
                objectDef(child.type) ?? ({ fields: [] } as unknown as ObjectDef)
            );
            if (master && child.fields[master.apiName] === id)
                this.removeWithChildren(child.fields.Id);
        }
    }

    /**
     * A write no user could make, done by what runs in system context in a real org (the activity
     * log's trigger stamping Undone_By__c, the roll-up of model usage onto a task). Only the Apex
     * doubles call it, for exactly those jobs.
     */
    systemUpdate(user: OrgUser, id: string, values: Record<string, FieldValue>): void {
        const record = this.records.get(id);
        if (!record) throw new OrgError(404, 'NOT_FOUND', 'The requested resource does not exist');
        Object.assign(record.fields, values, this.stamp(user));
    }

    /** Every record of a type, ignoring sharing: for system-context work only (budgets, triggers). */
    systemRecords(type: string): StoredRecord[] {
        return [...this.records.values()].filter((r) => r.type === type);
    }

    private autoNumber(object: ObjectDef): string {
        const key = `auto:${object.apiName}`;
        const seeded = [...this.records.values()].filter((r) => r.type === object.apiName).length;
        const n = Math.max(this.counters.get(key) ?? 0, seeded) + 1;
        this.counters.set(key, n);
        const format = object.autoNumberFormat ?? '{0}';
        return format.replace(/\{(0+)\}/, (_, zeros: string) =>
            String(n).padStart(zeros.length, '0')
        );
    }

    /** ContentVersion insert: creates the version, its ContentDocument and the link to the record. */
    uploadFile(user: OrgUser, values: Record<string, unknown>): string {
        const data = values.VersionData;
        if (typeof data !== 'string' || data === '') {
            throw new OrgError(
                400,
                'REQUIRED_FIELD_MISSING',
                'Required fields are missing: [VersionData]',
                ['VersionData']
            );
        }
        const bytes = Buffer.from(data, 'base64');
        // The org's own rule on files (a ContentDocumentLink trigger in a real org): an account on
        // legal hold takes no new files, whoever uploads them.
        if (values.FirstPublishLocationId === LEGAL_HOLD_ACCOUNT_ID) {
            throw new OrgError(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', LEGAL_HOLD_MESSAGE);
        }
        const versionId = this.create(user, 'ContentVersion', values);
        const version = this.records.get(versionId);
        if (!version) throw new OrgError(500, 'UNKNOWN_EXCEPTION', 'upload failed');
        const documentObject = objectDef('ContentDocument');
        const linkObject = objectDef('ContentDocumentLink');
        if (!documentObject || !linkObject)
            throw new OrgError(500, 'UNKNOWN_EXCEPTION', 'schema incomplete');
        const documentId = this.nextId(documentObject);
        const extension =
            String(values.PathOnClient ?? '')
                .split('.')
                .pop() ?? '';
        Object.assign(version.fields, {
            ContentDocumentId: documentId,
            FileExtension: extension,
            ContentSize: bytes.length
        });
        this.records.set(documentId, {
            type: 'ContentDocument',
            fields: {
                Id: documentId,
                OwnerId: user.id,
                Title: String(version.fields.Title),
                LatestPublishedVersionId: versionId,
                FileExtension: extension,
                ContentSize: bytes.length,
                CreatedDate: version.fields.CreatedDate ?? null,
                CreatedById: user.id,
                ...this.stamp(user)
            }
        });
        const linkTo =
            typeof values.FirstPublishLocationId === 'string'
                ? values.FirstPublishLocationId
                : user.id;
        const linkId = this.nextId(linkObject);
        this.records.set(linkId, {
            type: 'ContentDocumentLink',
            fields: {
                Id: linkId,
                ContentDocumentId: documentId,
                LinkedEntityId: linkTo,
                ShareType: 'V',
                Visibility: 'AllUsers'
            }
        });
        this.fileBytes.set(versionId, bytes);
        return versionId;
    }

    /**
     * ContentDocumentLink insert: shares a file the user owns (or may edit) with a record or a user,
     * as Salesforce allows the file's owner to. A second link to the same entity is refused.
     */
    shareFile(user: OrgUser, values: Record<string, unknown>): string {
        const documentId = String(values.ContentDocumentId ?? '');
        const linkedEntityId = String(values.LinkedEntityId ?? '');
        const missing = ['ContentDocumentId', 'LinkedEntityId'].filter(
            (k) => typeof values[k] !== 'string' || values[k] === ''
        );
        if (missing.length > 0) {
            throw new OrgError(
                400,
                'REQUIRED_FIELD_MISSING',
                `Required fields are missing: [${missing.join(', ')}]`,
                missing
            );
        }
        const document = this.records.get(documentId);
        if (
            !document ||
            document.type !== 'ContentDocument' ||
            !this.canReadRecord(user, document)
        ) {
            throw new OrgError(
                400,
                'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
                'insufficient access rights on cross-reference id',
                ['ContentDocumentId']
            );
        }
        if (document.fields.OwnerId !== user.id && !this.modifyAll(user, 'ContentDocument')) {
            throw new OrgError(
                400,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.'
            );
        }
        if (!this.records.has(linkedEntityId)) {
            throw new OrgError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
                'LinkedEntityId'
            ]);
        }
        const shareType = String(values.ShareType ?? 'V');
        const visibility = String(values.Visibility ?? 'AllUsers');
        if (
            !['V', 'C', 'I'].includes(shareType) ||
            !['AllUsers', 'InternalUsers'].includes(visibility)
        ) {
            throw new OrgError(
                400,
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                'bad value for restricted picklist field',
                ['ShareType', 'Visibility']
            );
        }
        const duplicate = [...this.records.values()].some(
            (r) =>
                r.type === 'ContentDocumentLink' &&
                r.fields.ContentDocumentId === documentId &&
                r.fields.LinkedEntityId === linkedEntityId
        );
        if (duplicate) {
            throw new OrgError(
                400,
                'DUPLICATE_VALUE',
                `Document with ID: ${documentId} is already linked with the entity with ID: ${linkedEntityId}`
            );
        }
        const linkObject = objectDef('ContentDocumentLink');
        if (!linkObject) throw new OrgError(500, 'UNKNOWN_EXCEPTION', 'schema incomplete');
        const linkId = this.nextId(linkObject);
        this.records.set(linkId, {
            type: 'ContentDocumentLink',
            fields: {
                Id: linkId,
                ContentDocumentId: documentId,
                LinkedEntityId: linkedEntityId,
                ShareType: shareType,
                Visibility: visibility
            }
        });
        return linkId;
    }

    /** Who can open a file: the ids its links point at (a test's view, whoever asks). */
    fileLinks(contentDocumentId: string): string[] {
        return [...this.records.values()]
            .filter(
                (r) =>
                    r.type === 'ContentDocumentLink' &&
                    r.fields.ContentDocumentId === contentDocumentId
            )
            .map((r) => String(r.fields.LinkedEntityId));
    }

    /**
     * ContentDocument delete, as the user: the file's owner (or Modify All on files) may; its
     * versions, their bytes and its links go with it. No recycle bin here, as after emptying it.
     */
    deleteFile(user: OrgUser, contentDocumentId: string): void {
        const document = this.visibleRecord(user, contentDocumentId, 'ContentDocument');
        const perms = this.objectPermissions(user, 'ContentDocument');
        if (
            !perms.delete ||
            (document.fields.OwnerId !== user.id && !this.modifyAll(user, 'ContentDocument'))
        ) {
            throw new OrgError(
                403,
                'INSUFFICIENT_ACCESS_OR_READONLY',
                'insufficient access rights on object id'
            );
        }
        const id = document.fields.Id;
        for (const r of [...this.records.values()]) {
            if (
                (r.type === 'ContentVersion' || r.type === 'ContentDocumentLink') &&
                r.fields.ContentDocumentId === id
            ) {
                this.records.delete(r.fields.Id);
                this.fileBytes.delete(r.fields.Id);
            }
        }
        this.records.delete(id);
    }

    /**
     * Test double of an admin changing field-level security on a profile (e.g. Sam's Standard User
     * losing a field a schedule reads). Returns a function that puts it back.
     */
    setFieldHidden(profileName: string, field: string, hidden: boolean): () => void {
        const profile = this.profiles[profileName];
        if (!profile) throw new Error(`no profile ${profileName}`);
        const was = profile.hiddenFields.has(field);
        if (hidden) profile.hiddenFields.add(field);
        else profile.hiddenFields.delete(field);
        return () => {
            if (was) profile.hiddenFields.add(field);
            else profile.hiddenFields.delete(field);
        };
    }

    /**
     * Test double of an admin editing a permission set's object permissions (e.g. Resident Admin
     * losing Delete on an object, or a custom permission). Lasts until reset(), which rebuilds
     * the profiles.
     */
    setObjectPermissions(
        profileName: string,
        object: string,
        change: Partial<ObjectPermissions>
    ): void {
        const profile = this.profiles[profileName];
        if (!profile) throw new Error(`no profile ${profileName}`);
        const current = profile.objects[object] ?? { read: false, create: false, edit: false };
        profile.objects[object] = { ...current, ...change };
    }

    /** Test double: takes a custom permission from (or gives it to) a profile until reset(). */
    setCustomPermission(profileName: string, name: string, granted: boolean): void {
        const profile = this.profiles[profileName];
        if (!profile) throw new Error(`no profile ${profileName}`);
        if (granted) profile.customPermissions.add(name);
        else profile.customPermissions.delete(name);
    }

    readonly fileBytes = new Map<string, Buffer>();

    files(): {
        contentVersionId: string;
        title: string;
        pathOnClient: string;
        linkedEntityId: string | null;
        contentDocumentId: string;
        size: number;
    }[] {
        return [...this.records.values()]
            .filter((r) => r.type === 'ContentVersion')
            .map((r) => ({
                contentVersionId: r.fields.Id,
                title: String(r.fields.Title),
                pathOnClient: String(r.fields.PathOnClient),
                linkedEntityId: (r.fields.FirstPublishLocationId as string | null) ?? null,
                contentDocumentId: String(r.fields.ContentDocumentId),
                size: Number(r.fields.ContentSize ?? 0)
            }));
    }

    recordCounts(): Record<string, number> {
        const counts: Record<string, number> = {};
        for (const r of this.records.values()) counts[r.type] = (counts[r.type] ?? 0) + 1;
        return counts;
    }

    objectFor(id: string): ObjectDef | undefined {
        return objectForId(id);
    }

    adminUser(): OrgUser {
        const admin = this.user(ADA_ADMIN_ID);
        if (!admin) throw new Error('seed data has no admin');
        return admin;
    }

    newSessionToken(): string {
        return `${ORG_ID.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
    }
}
