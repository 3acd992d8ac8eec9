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
};

export type ObjectDef = {
    apiName: string;
    label: string;
    labelPlural: string;
    keyPrefix: string;
    nameField: string;
    fields: FieldDef[];
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
            reference('AccountId', 'Account ID', 'Account', 'Account'),
            editable('Title', 'Title', 'String'),
            editable('Email', 'Email', 'Email'),
            editable('Phone', 'Business Phone', 'Phone')
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
            reference('AccountId', 'Account ID', 'Account', 'Account'),
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
            reference('AccountId', 'Account ID', 'Account', 'Account'),
            reference('ContactId', 'Contact ID', 'Contact', 'Contact'),
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

export function fieldByRelationship(
    object: ObjectDef,
    relationshipName: string
): FieldDef | undefined {
    const lower = relationshipName.toLowerCase();
    return object.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}
