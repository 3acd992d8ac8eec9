import { TRUST_ACTIVITY_KINDS } from '../../../force-app/main/default/lwc/trustCenterContract/trustCenterContract';
import type { ActivityKind } from '../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import type { FieldValue } from './seedData';

/** The activity log's kinds that users' own actions log (logActivity accepts only these). */
export const ACTIVITY_KINDS: readonly ActivityKind[] = [
    'Tool call',
    'Model call',
    'Document generated',
    'Report run',
    'Undo'
];
/**
 * Activity kinds only the package's own Apex writes (ActivityVocabulary.APEX_ONLY_KINDS): template
 * saves and the trust center's retention runs, exports, purges and relay key changes. `logActivity`
 * refuses them and the store's activity trigger (ActivityKindGuard) refuses them from any other
 * insert, so a user cannot forge a purge entry.
 */
export const APEX_ONLY_ACTIVITY_KINDS: readonly string[] = [
    ...TRUST_ACTIVITY_KINDS,
    'Template saved'
];
/** Every value of the Kind__c picklist: a filter may name any of them. */
export const LISTABLE_ACTIVITY_KINDS: readonly string[] = [
    ...ACTIVITY_KINDS,
    ...APEX_ONLY_ACTIVITY_KINDS
];

// The stand-in org's object model: which objects and fields exist, with the describe facts the
// UI API and SOQL need. A small slice of the real Salesforce standard objects.

export type FieldType =
    | 'Id'
    | 'String'
    | 'TextArea'
    | 'Email'
    | 'Phone'
    | 'Url'
    | 'Picklist'
    | 'Currency'
    | 'Double'
    | 'Int'
    | 'Boolean'
    | 'Date'
    | 'DateTime'
    | 'Reference'
    | 'Base64';

export type FieldDef = {
    apiName: string;
    label: string;
    dataType: FieldType;
    /** For references: the target object and the relationship name used in SOQL (`Owner.Name`). */
    referenceTo?: string;
    relationshipName?: string;
    createable: boolean;
    updateable: boolean;
    required?: boolean;
    picklistValues?: string[];
    /** Text length the org enforces on insert and update (STRING_TOO_LONG past it). */
    length?: number;
    /** Set on insert when the field is not given (`NOW()` is the insert time). */
    defaultValue?: FieldValue | 'NOW()';
    /** Salesforce's data classification (Setup → Data Classification): the coworker never sends these. */
    securityClassification?: 'Confidential' | 'Restricted';
    /** Master-detail: the child's access follows this parent and is deleted with it. */
    masterDetail?: boolean;
    /** For references: the parent's name for the list of children (`Account.Contacts`). */
    childRelationshipName?: string;
};

export type ObjectDef = {
    apiName: string;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    nameField: string;
    fields: FieldDef[];
    /** A custom object of the package (`__c`): object-info says `custom: true`. */
    custom?: boolean;
    /**
     * The org-wide default. Standard objects keep the stand-in's hand-written rules (see
     * OrgStore.canReadRecord); the package's objects use their metadata's sharing model.
     */
    sharingModel?: 'Private' | 'Read' | 'ControlledByParent';
    /** An auto-number Name, e.g. `ACT-{0000000}`. */
    autoNumberFormat?: string;
    /** Objects SOSL searches (IN ALL FIELDS) when search is enabled on them. */
    searchable?: boolean;
};

const system = (apiName: string, label: string, dataType: FieldType): FieldDef => ({
    apiName,
    label,
    dataType,
    createable: false,
    updateable: false
});
const editable = (
    apiName: string,
    label: string,
    dataType: FieldType,
    extra: Partial<FieldDef> = {}
): FieldDef => ({ apiName, label, dataType, createable: true, updateable: true, ...extra });
/** A multi-currency org: each record's currency (Setup → Company Information → Currencies). */
const currencyIsoCode = (): FieldDef =>
    editable('CurrencyIsoCode', 'Currency ISO Code', 'Picklist', {
        picklistValues: ['USD', 'EUR', 'GBP', 'JPY'],
        defaultValue: 'USD'
    });
const reference = (
    apiName: string,
    label: string,
    referenceTo: string,
    relationshipName: string,
    extra: Partial<FieldDef> = {}
): FieldDef => ({
    apiName,
    label,
    dataType: 'Reference',
    referenceTo,
    relationshipName,
    createable: true,
    updateable: true,
    ...extra
});
const audit = (): FieldDef[] => [
    system('Id', 'Record ID', 'Id'),
    system('CreatedDate', 'Created Date', 'DateTime'),
    system('LastModifiedDate', 'Last Modified Date', 'DateTime'),
    system('SystemModstamp', 'System Modstamp', 'DateTime'),
    {
        ...system('CreatedById', 'Created By ID', 'Reference'),
        referenceTo: 'User',
        relationshipName: 'CreatedBy'
    },
    {
        ...system('LastModifiedById', 'Last Modified By ID', 'Reference'),
        referenceTo: 'User',
        relationshipName: 'LastModifiedBy'
    }
];
const owner = (): FieldDef => reference('OwnerId', 'Owner ID', 'User', 'Owner');

export const OBJECTS: ObjectDef[] = [
    {
        apiName: 'User',
        label: 'User',
        labelPlural: 'Users',
        keyPrefix: '005',
        nameField: 'Name',
        fields: [
            ...audit(),
            system('Name', 'Full Name', 'String'),
            editable('FirstName', 'First Name', 'String'),
            editable('LastName', 'Last Name', 'String', { required: true }),
            editable('Username', 'Username', 'String', { required: true }),
            editable('Email', 'Email', 'Email', { required: true }),
            editable('Title', 'Title', 'String'),
            editable('IsActive', 'Active', 'Boolean'),
            system('ProfileName', 'Profile', 'String')
        ]
    },
    {
        apiName: 'Account',
        label: 'Account',
        labelPlural: 'Accounts',
        keyPrefix: '001',
        nameField: 'Name',
        fields: [
            ...audit(),
            owner(),
            editable('Name', 'Account Name', 'String', { required: true }),
            editable('Industry', 'Industry', 'Picklist', {
                picklistValues: ['Technology', 'Manufacturing', 'Retail', 'Finance', 'Healthcare']
            }),
            editable('Type', 'Account Type', 'Picklist', {
                picklistValues: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner']
            }),
            editable('Rating', 'Account Rating', 'Picklist', {
                picklistValues: ['Hot', 'Warm', 'Cold']
            }),
            editable('AnnualRevenue', 'Annual Revenue', 'Currency'),
            currencyIsoCode(),
            editable('NumberOfEmployees', 'Employees', 'Int'),
            editable('Phone', 'Account Phone', 'Phone'),
            editable('Website', 'Website', 'Url'),
            editable('BillingCity', 'Billing City', 'String'),
            editable('BillingCountry', 'Billing Country', 'String'),
            editable('Description', 'Account Description', 'TextArea')
        ]
    },
    {
        apiName: 'Contact',
        label: 'Contact',
        labelPlural: 'Contacts',
        keyPrefix: '003',
        nameField: 'Name',
        fields: [
            ...audit(),
            owner(),
            system('Name', 'Full Name', 'String'),
            editable('FirstName', 'First Name', 'String'),
            editable('LastName', 'Last Name', 'String', { required: true }),
            reference('AccountId', 'Account ID', 'Account', 'Account', {
                childRelationshipName: 'Contacts'
            }),
            editable('Title', 'Title', 'String'),
            editable('Email', 'Email', 'Email'),
            editable('Phone', 'Business Phone', 'Phone'),
            editable('Birthdate', 'Birthdate', 'Date', { securityClassification: 'Restricted' })
        ]
    },
    {
        apiName: 'Opportunity',
        label: 'Opportunity',
        labelPlural: 'Opportunities',
        keyPrefix: '006',
        nameField: 'Name',
        fields: [
            ...audit(),
            owner(),
            editable('Name', 'Opportunity Name', 'String', { required: true }),
            reference('AccountId', 'Account ID', 'Account', 'Account', {
                childRelationshipName: 'Opportunities'
            }),
            editable('StageName', 'Stage', 'Picklist', {
                required: true,
                picklistValues: [
                    'Prospecting',
                    'Qualification',
                    'Proposal/Price Quote',
                    'Negotiation/Review',
                    'Closed Won',
                    'Closed Lost'
                ]
            }),
            editable('Amount', 'Amount', 'Currency'),
            currencyIsoCode(),
            editable('Probability', 'Probability (%)', 'Double'),
            editable('CloseDate', 'Close Date', 'Date', { required: true }),
            system('IsClosed', 'Closed', 'Boolean'),
            system('IsWon', 'Won', 'Boolean')
        ]
    },
    {
        apiName: 'Case',
        label: 'Case',
        labelPlural: 'Cases',
        keyPrefix: '500',
        nameField: 'CaseNumber',
        fields: [
            ...audit(),
            owner(),
            system('CaseNumber', 'Case Number', 'String'),
            reference('AccountId', 'Account ID', 'Account', 'Account', {
                childRelationshipName: 'Cases'
            }),
            reference('ContactId', 'Contact ID', 'Contact', 'Contact', {
                childRelationshipName: 'Cases'
            }),
            editable('Subject', 'Subject', 'String'),
            editable('Status', 'Status', 'Picklist', {
                picklistValues: ['New', 'Working', 'Escalated', 'Closed']
            }),
            editable('Priority', 'Priority', 'Picklist', {
                picklistValues: ['High', 'Medium', 'Low']
            }),
            editable('Origin', 'Case Origin', 'Picklist', {
                picklistValues: ['Phone', 'Email', 'Web']
            }),
            editable('Description', 'Description', 'TextArea')
        ]
    },
    {
        apiName: 'ContentVersion',
        label: 'Content Version',
        labelPlural: 'Content Versions',
        keyPrefix: '068',
        nameField: 'Title',
        fields: [
            ...audit(),
            owner(),
            editable('Title', 'Title', 'String', { required: true }),
            editable('PathOnClient', 'Path On Client', 'String', { required: true }),
            editable('VersionData', 'Version Data', 'Base64', { updateable: false }),
            reference(
                'FirstPublishLocationId',
                'First Publish Location ID',
                'Account',
                'FirstPublishLocation',
                {
                    updateable: false
                }
            ),
            {
                ...system('ContentDocumentId', 'Content Document ID', 'Reference'),
                referenceTo: 'ContentDocument',
                relationshipName: 'ContentDocument'
            },
            system('FileExtension', 'File Extension', 'String'),
            system('ContentSize', 'Size', 'Int')
        ]
    },
    {
        apiName: 'ContentDocument',
        label: 'Content Document',
        labelPlural: 'Content Documents',
        keyPrefix: '069',
        nameField: 'Title',
        fields: [
            ...audit(),
            owner(),
            system('Title', 'Title', 'String'),
            {
                ...system('LatestPublishedVersionId', 'Latest Published Version ID', 'Reference'),
                referenceTo: 'ContentVersion',
                relationshipName: 'LatestPublishedVersion'
            },
            system('FileExtension', 'File Extension', 'String'),
            system('ContentSize', 'Size', 'Int')
        ]
    },
    {
        apiName: 'ContentDocumentLink',
        label: 'Content Document Link',
        labelPlural: 'Content Document Links',
        keyPrefix: '06A',
        nameField: 'Id',
        fields: [
            system('Id', 'Record ID', 'Id'),
            {
                ...system('ContentDocumentId', 'Content Document ID', 'Reference'),
                referenceTo: 'ContentDocument',
                relationshipName: 'ContentDocument'
            },
            system('LinkedEntityId', 'Linked Entity ID', 'Reference'),
            system('ShareType', 'Share Type', 'String'),
            system('Visibility', 'Visibility', 'String')
        ]
    }
];

// ---- the package's own objects (force-app/main/default/objects), as a subscriber org has them ----

const text = (apiName: string, label: string, length: number, extra: Partial<FieldDef> = {}) =>
    editable(apiName, label, 'String', { length, ...extra });
const longText = (apiName: string, label: string, length: number) =>
    editable(apiName, label, 'TextArea', { length });
const readOnly = (field: FieldDef): FieldDef => ({
    ...field,
    createable: false,
    updateable: false
});
const autoNumber = (label: string): FieldDef => system('Name', label, 'String');

export const PACKAGE_OBJECTS: ObjectDef[] = [
    {
        apiName: 'Resident_Task__c',
        label: 'Resident Task',
        labelPlural: 'Resident Tasks',
        keyPrefix: 'a01',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Private',
        searchable: true,
        fields: [
            ...audit(),
            owner(),
            text('Name', 'Title', 80, { required: true }),
            longText('Description__c', 'Description', 32_768),
            editable('Status__c', 'Status', 'Picklist', {
                picklistValues: ['Open', 'Waiting for approval', 'Done', 'Failed']
            }),
            text('Coworker__c', 'Coworker', 40),
            text('Record_Id__c', 'Record ID', 18),
            longText('Conversation__c', 'Conversation', 131_072),
            // Read-only to every user: Resident rolls model usage up onto the task (the trigger).
            readOnly(editable('Model_Usage__c', 'Tokens Used', 'Double', { defaultValue: 0 }))
        ]
    },
    {
        apiName: 'Resident_Activity__c',
        label: 'Resident Activity',
        labelPlural: 'Resident Activities',
        keyPrefix: 'a02',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Private',
        autoNumberFormat: 'ACT-{0000000}',
        fields: [
            ...audit(),
            owner(),
            autoNumber('Entry Number'),
            editable('Kind__c', 'Kind', 'Picklist', {
                picklistValues: [...LISTABLE_ACTIVITY_KINDS]
            }),
            editable('Outcome__c', 'Outcome', 'Picklist', {
                picklistValues: ['Succeeded', 'Failed', 'Proposed', 'Rejected', 'Undone']
            }),
            text('Tool__c', 'Tool', 40),
            longText('Input__c', 'Input', 32_768),
            text('Result_Summary__c', 'Result Summary', 255),
            longText('Result__c', 'Result', 32_768),
            reference('User__c', 'User', 'User', 'User__r'),
            text('Coworker__c', 'Coworker', 40),
            reference('Task__c', 'Task', 'Resident_Task__c', 'Task__r', {
                childRelationshipName: 'Activities__r'
            }),
            text('Record_Id__c', 'Record ID', 18),
            text('Object_Api_Name__c', 'Object API Name', 80),
            longText('Prior_Values__c', 'Prior Values', 32_768),
            longText('New_Values__c', 'New Values', 32_768),
            reference('Undo_Of__c', 'Undo Of', 'Resident_Activity__c', 'Undo_Of__r', {
                childRelationshipName: 'Undos__r'
            }),
            // Stamped by the trigger when an Undo entry is logged; no user may edit them.
            readOnly(reference('Undone_By__c', 'Undone By', 'User', 'Undone_By__r')),
            readOnly(editable('Undone_At__c', 'Undone At', 'DateTime')),
            editable('Occurred_At__c', 'Occurred At', 'DateTime', {
                required: true,
                defaultValue: 'NOW()'
            }),
            editable('Model_Usage__c', 'Tokens', 'Double')
        ]
    },
    {
        apiName: 'Resident_Knowledge_Document__c',
        label: 'Resident Knowledge Document',
        labelPlural: 'Resident Knowledge Documents',
        keyPrefix: 'a03',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Read',
        searchable: true,
        fields: [
            ...audit(),
            owner(),
            text('Name', 'Document Name', 80, { required: true }),
            editable('Format__c', 'Format', 'Picklist', {
                picklistValues: ['Plain text', 'Markdown', 'PDF']
            }),
            text('Source_File_Id__c', 'Source File ID', 18),
            editable('Chunk_Count__c', 'Chunk Count', 'Double'),
            editable('Active__c', 'Active', 'Boolean', { defaultValue: true })
        ]
    },
    {
        apiName: 'Resident_Knowledge_Chunk__c',
        label: 'Resident Knowledge Chunk',
        labelPlural: 'Resident Knowledge Chunks',
        keyPrefix: 'a04',
        nameField: 'Name',
        custom: true,
        sharingModel: 'ControlledByParent',
        autoNumberFormat: 'KC-{0000000}',
        searchable: true,
        fields: [
            ...audit(),
            autoNumber('Chunk Number'),
            reference('Document__c', 'Document', 'Resident_Knowledge_Document__c', 'Document__r', {
                required: true,
                updateable: false,
                masterDetail: true,
                childRelationshipName: 'Chunks__r'
            }),
            editable('Sequence__c', 'Sequence', 'Double'),
            text('Heading__c', 'Heading', 255),
            longText('Body__c', 'Body', 32_768),
            longText('Search_Text__c', 'Search Text', 32_768)
        ]
    },
    {
        apiName: 'Resident_Feedback__c',
        label: 'Resident Feedback',
        labelPlural: 'Resident Feedback',
        keyPrefix: 'a05',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Private',
        autoNumberFormat: 'FB-{0000000}',
        fields: [
            ...audit(),
            owner(),
            autoNumber('Feedback Number'),
            reference('Task__c', 'Task', 'Resident_Task__c', 'Task__r', {
                childRelationshipName: 'Feedback__r'
            }),
            editable('Message_Index__c', 'Message Index', 'Double'),
            editable('Rating__c', 'Rating', 'Picklist', { picklistValues: ['Up', 'Down'] }),
            longText('Comment__c', 'Comment', 4000)
        ]
    },
    {
        apiName: 'Resident_Document_Template__c',
        label: 'Resident Document Template',
        labelPlural: 'Resident Document Templates',
        keyPrefix: 'a06',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Read',
        searchable: true,
        fields: [
            ...audit(),
            owner(),
            text('Name', 'Template Name', 80, { required: true }),
            text('Base_Object__c', 'Base Object', 80),
            longText('Body__c', 'Body', 131_072),
            longText('Header__c', 'Header', 32_768),
            longText('Footer__c', 'Footer', 32_768),
            editable('Page_Size__c', 'Page Size', 'Picklist', {
                picklistValues: ['A4', 'Letter', 'Legal'],
                defaultValue: 'A4'
            }),
            editable('Orientation__c', 'Orientation', 'Picklist', {
                picklistValues: ['Portrait', 'Landscape'],
                defaultValue: 'Portrait'
            }),
            editable('Margin_Top__c', 'Margin Top', 'Double', { defaultValue: 50 }),
            editable('Margin_Right__c', 'Margin Right', 'Double', { defaultValue: 50 }),
            editable('Margin_Bottom__c', 'Margin Bottom', 'Double', { defaultValue: 50 }),
            editable('Margin_Left__c', 'Margin Left', 'Double', { defaultValue: 50 }),
            editable('Active__c', 'Active', 'Boolean', { defaultValue: true }),
            editable('Version__c', 'Version', 'Double', { defaultValue: 1 })
        ]
    }
];

// ---- issue 6, scheduled reports (relay side): the two objects of c/reportSchedule's contract ----
// Field names exactly as SCHEDULE_FIELDS / RUN_FIELDS say; the org-side metadata defines the same.
PACKAGE_OBJECTS.push(
    {
        apiName: 'Resident_Report_Schedule__c',
        label: 'Resident Report Schedule',
        labelPlural: 'Resident Report Schedules',
        keyPrefix: 'a07',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Private',
        fields: [
            ...audit(),
            owner(),
            text('Name', 'Schedule Name', 80, { required: true }),
            editable('Source_Type__c', 'Source Type', 'Picklist', {
                picklistValues: ['Report', 'Query'],
                required: true
            }),
            text('Report_Id__c', 'Report Id', 18),
            longText('Query_Definition__c', 'Query Definition', 32_768),
            editable('Format__c', 'Format', 'Picklist', {
                picklistValues: ['PDF', 'CSV'],
                required: true
            }),
            longText('Frequency__c', 'Frequency', 1000),
            text('Time_Zone__c', 'Time Zone', 64),
            longText('Recipients__c', 'Recipients', 32_768),
            editable('Per_Recipient__c', 'Per Recipient', 'Boolean', { defaultValue: false }),
            editable('AI_Summary__c', 'AI Summary', 'Boolean', { defaultValue: false }),
            editable('Active__c', 'Active', 'Boolean', { defaultValue: true }),
            editable('Next_Run_At__c', 'Next Run At', 'DateTime'),
            editable('Last_Run_At__c', 'Last Run At', 'DateTime'),
            editable('Last_Status__c', 'Last Status', 'Picklist', {
                picklistValues: ['Running', 'Succeeded', 'Failed', 'Skipped']
            })
        ]
    },
    {
        apiName: 'Resident_Report_Run__c',
        label: 'Resident Report Run',
        labelPlural: 'Resident Report Runs',
        keyPrefix: 'a08',
        nameField: 'Name',
        custom: true,
        sharingModel: 'ControlledByParent',
        autoNumberFormat: 'RUN-{0000000}',
        fields: [
            ...audit(),
            autoNumber('Run Number'),
            reference('Schedule__c', 'Schedule', 'Resident_Report_Schedule__c', 'Schedule__r', {
                masterDetail: true,
                required: true,
                updateable: false,
                childRelationshipName: 'Runs__r'
            }),
            editable('Trigger__c', 'Trigger', 'Picklist', {
                picklistValues: ['Cron tick', 'Run now']
            }),
            editable('Due_At__c', 'Due At', 'DateTime'),
            editable('Started_At__c', 'Started At', 'DateTime'),
            editable('Finished_At__c', 'Finished At', 'DateTime'),
            editable('Status__c', 'Status', 'Picklist', {
                picklistValues: ['Running', 'Succeeded', 'Failed', 'Skipped']
            }),
            longText('Steps__c', 'Steps', 131_072),
            longText('Error__c', 'Error', 32_768),
            editable('Rows__c', 'Rows', 'Double'),
            text('File_Id__c', 'File Id', 18),
            reference('Recipient_User__c', 'Recipient User', 'User', 'Recipient_User__r')
        ]
    }
);
// ---- end of issue 6 (relay side) ----

OBJECTS.push(...PACKAGE_OBJECTS);

// ---- scheduled reports (issue 6): force-app/main/default/objects/Resident_Report_* ----
// One block, so the relay's and the org's branches can each add it and the merge keeps one.

const RUN_STATUSES = ['Running', 'Succeeded', 'Failed', 'Skipped'];

export const SCHEDULER_OBJECTS: ObjectDef[] = [
    {
        apiName: 'Resident_Report_Schedule__c',
        label: 'Resident Report Schedule',
        labelPlural: 'Resident Report Schedules',
        keyPrefix: 'a07',
        nameField: 'Name',
        custom: true,
        sharingModel: 'Private',
        searchable: false,
        fields: [
            ...audit(),
            owner(),
            text('Name', 'Schedule Name', 80, { required: true }),
            editable('Source_Type__c', 'Source Type', 'Picklist', {
                picklistValues: ['Report', 'Query'],
                defaultValue: 'Query'
            }),
            text('Report_Id__c', 'Report ID', 18),
            longText('Query_Definition__c', 'Query Definition', 32_768),
            editable('Format__c', 'Format', 'Picklist', {
                picklistValues: ['PDF', 'CSV'],
                defaultValue: 'PDF'
            }),
            longText('Frequency__c', 'Frequency', 1000),
            text('Time_Zone__c', 'Time Zone', 64),
            longText('Recipients__c', 'Recipients', 32_768),
            editable('Per_Recipient__c', 'Per Recipient', 'Boolean', { defaultValue: false }),
            editable('AI_Summary__c', 'AI Summary', 'Boolean', { defaultValue: false }),
            editable('Active__c', 'Active', 'Boolean', { defaultValue: true }),
            editable('Next_Run_At__c', 'Next Run At', 'DateTime'),
            // Written by the relay's integration user (Resident Scheduler); read-only to users
            // through their permission sets (OrgStore's profiles).
            editable('Last_Run_At__c', 'Last Run At', 'DateTime'),
            editable('Last_Status__c', 'Last Status', 'Picklist', { picklistValues: RUN_STATUSES })
        ]
    },
    {
        apiName: 'Resident_Report_Run__c',
        label: 'Resident Report Run',
        labelPlural: 'Resident Report Runs',
        keyPrefix: 'a08',
        nameField: 'Name',
        custom: true,
        sharingModel: 'ControlledByParent',
        autoNumberFormat: 'RUN-{0000000}',
        searchable: false,
        fields: [
            ...audit(),
            autoNumber('Run Number'),
            reference('Schedule__c', 'Schedule', 'Resident_Report_Schedule__c', 'Schedule__r', {
                required: true,
                updateable: false,
                masterDetail: true,
                childRelationshipName: 'Runs__r'
            }),
            editable('Trigger__c', 'Trigger', 'Picklist', {
                picklistValues: ['Cron tick', 'Run now']
            }),
            editable('Due_At__c', 'Due At', 'DateTime'),
            editable('Started_At__c', 'Started At', 'DateTime'),
            editable('Finished_At__c', 'Finished At', 'DateTime'),
            editable('Status__c', 'Status', 'Picklist', {
                picklistValues: RUN_STATUSES,
                defaultValue: 'Running'
            }),
            longText('Steps__c', 'Steps', 131_072),
            longText('Error__c', 'Error', 32_768),
            editable('Rows__c', 'Rows', 'Double'),
            text('File_Id__c', 'File ID', 18),
            reference('Recipient_User__c', 'Recipient User', 'User', 'Recipient_User__r')
        ]
    }
];
OBJECTS.push(...SCHEDULER_OBJECTS);
// ---- end of scheduled reports ----

// ---- scheduled reports' AI summary (issue 6): the egress policy's custom metadata type, read by
// the relay as the schedule's owner. Its one record (Default) mirrors what the trust settings saved
// (OrgStore.trust), as the deployed Resident_Egress_Policy__mdt.Default does in a real org.
OBJECTS.push({
    apiName: 'Resident_Egress_Policy__mdt',
    label: 'Resident Egress Policy',
    labelPlural: 'Resident Egress Policies',
    keyPrefix: 'm01',
    nameField: 'DeveloperName',
    custom: true,
    sharingModel: 'Read',
    searchable: false,
    fields: [
        system('Id', 'Record ID', 'Id'),
        system('DeveloperName', 'Custom Metadata Record Name', 'String'),
        system('AI_Enabled__c', 'AI Enabled', 'Boolean'),
        system('Mask_Emails__c', 'Mask Emails', 'Boolean'),
        system('Mask_Phones__c', 'Mask Phones', 'Boolean'),
        system('Mask_Cards__c', 'Mask Cards', 'Boolean'),
        system('Mask_Ibans__c', 'Mask IBANs', 'Boolean'),
        system('Mask_Government_Ids__c', 'Mask Government IDs', 'Boolean'),
        system('Custom_Mask_Patterns__c', 'Custom Mask Patterns', 'TextArea'),
        system('Excluded_Fields__c', 'Excluded Fields', 'TextArea'),
        system('Max_Knowledge_Chunks__c', 'Max Knowledge Chunks', 'Double'),
        system('Allowed_Models__c', 'Allowed Models', 'TextArea'),
        system('Zero_Retention__c', 'Zero Retention', 'Boolean'),
        system('Budget_Per_Task__c', 'Budget Per Task', 'Double'),
        system('Budget_Per_User_Per_Day__c', 'Budget Per User Per Day', 'Double')
    ]
});
// ---- end of the AI summary's egress policy ----

const byName = new Map(OBJECTS.map((o) => [o.apiName.toLowerCase(), o]));
const byPrefix = new Map(OBJECTS.map((o) => [o.keyPrefix, o]));

export function objectDef(apiName: string): ObjectDef | undefined {
    return byName.get(apiName.toLowerCase());
}

export function objectForId(id: string): ObjectDef | undefined {
    return byPrefix.get(id.slice(0, 3));
}

export function fieldDef(object: ObjectDef, apiName: string): FieldDef | undefined {
    const lower = apiName.toLowerCase();
    return object.fields.find((f) => f.apiName.toLowerCase() === lower);
}

/** The master-detail field of a child object (its access follows that parent). */
export function masterField(object: ObjectDef): FieldDef | undefined {
    return object.fields.find((f) => f.masterDetail);
}

export function fieldByRelationship(
    object: ObjectDef,
    relationshipName: string
): FieldDef | undefined {
    const lower = relationshipName.toLowerCase();
    return object.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}

/** Search is enabled on the standard objects and, of the package's, on tasks, documents and chunks. */
export function isSearchable(object: ObjectDef): boolean {
    return object.searchable ?? !object.custom;
}
