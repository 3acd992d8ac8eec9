// Object describes, records and a coworker for the tool tests: a small CRM as UI API describes it.
import type { CoworkerDefinition } from 'c/coworkerContract';
import { DEFAULT_POLICY } from 'c/egressPolicy';
import type { ObjectInfoLike, RecordLike } from 'c/coworkerTools';

type FieldSpec = [
    apiName: string,
    label: string,
    dataType: string,
    options?: {
        createable?: boolean;
        updateable?: boolean;
        required?: boolean;
        relationshipName?: string;
        referenceTo?: string[];
    }
];

function describeObject(
    apiName: string,
    label: string,
    labelPlural: string,
    fields: FieldSpec[],
    childRelationships: ObjectInfoLike['childRelationships'] = []
): ObjectInfoLike {
    const all: FieldSpec[] = [
        ['Id', `${label} ID`, 'Reference', { createable: false, updateable: false }],
        ['CreatedDate', 'Created Date', 'DateTime', { createable: false, updateable: false }],
        ...fields
    ];
    return {
        apiName,
        label,
        labelPlural,
        nameFields: ['Name'],
        fields: Object.fromEntries(
            all.map(([name, fieldLabel, dataType, o = {}]) => [
                name,
                {
                    apiName: name,
                    label: fieldLabel,
                    dataType,
                    createable: o.createable ?? true,
                    updateable: o.updateable ?? true,
                    required: o.required ?? false,
                    relationshipName: o.relationshipName ?? null,
                    referenceToInfos: (o.referenceTo ?? []).map((r) => ({ apiName: r }))
                }
            ])
        ),
        childRelationships
    };
}

export const OBJECT_INFOS: Record<string, ObjectInfoLike> = {
    Account: describeObject(
        'Account',
        'Account',
        'Accounts',
        [
            ['Name', 'Account Name', 'String', { required: true }],
            ['Industry', 'Industry', 'Picklist'],
            ['Rating', 'Account Rating', 'Picklist'],
            ['AnnualRevenue', 'Annual Revenue', 'Currency'],
            ['Description', 'Description', 'TextArea'],
            ['Tax_Id__c', 'Tax ID', 'String'],
            ['Credit_Score__c', 'Credit Score', 'Double'],
            ['Account_Number__c', 'Account Number', 'String', { updateable: false }],
            [
                'OwnerId',
                'Owner ID',
                'Reference',
                { relationshipName: 'Owner', referenceTo: ['User'] }
            ],
            [
                'ParentId',
                'Parent Account ID',
                'Reference',
                { relationshipName: 'Parent', referenceTo: ['Account'] }
            ]
        ],
        [
            { relationshipName: 'Contacts', childObjectApiName: 'Contact', fieldName: 'AccountId' },
            {
                relationshipName: 'Opportunities',
                childObjectApiName: 'Opportunity',
                fieldName: 'AccountId'
            },
            { relationshipName: 'Cases', childObjectApiName: 'Case', fieldName: 'AccountId' },
            { relationshipName: 'Notes', childObjectApiName: 'Note', fieldName: 'ParentId' },
            { relationshipName: null, childObjectApiName: 'AccountHistory', fieldName: 'AccountId' }
        ]
    ),
    Contact: describeObject('Contact', 'Contact', 'Contacts', [
        ['Name', 'Full Name', 'String', { createable: false, updateable: false }],
        ['FirstName', 'First Name', 'String'],
        ['LastName', 'Last Name', 'String', { required: true }],
        ['Email', 'Email', 'Email'],
        ['Birthdate', 'Birthdate', 'Date'],
        [
            'AccountId',
            'Account ID',
            'Reference',
            { relationshipName: 'Account', referenceTo: ['Account'] }
        ],
        ['OwnerId', 'Owner ID', 'Reference', { relationshipName: 'Owner', referenceTo: ['User'] }]
    ]),
    Opportunity: describeObject('Opportunity', 'Opportunity', 'Opportunities', [
        ['Name', 'Name', 'String', { required: true }],
        ['StageName', 'Stage', 'Picklist', { required: true }],
        ['Amount', 'Amount', 'Currency'],
        ['CloseDate', 'Close Date', 'Date', { required: true }],
        [
            'AccountId',
            'Account ID',
            'Reference',
            { relationshipName: 'Account', referenceTo: ['Account'] }
        ],
        ['OwnerId', 'Owner ID', 'Reference', { relationshipName: 'Owner', referenceTo: ['User'] }]
    ]),
    Case: describeObject('Case', 'Case', 'Cases', [
        ['Subject', 'Subject', 'String'],
        ['Description', 'Description', 'TextArea'],
        ['Status', 'Status', 'Picklist'],
        [
            'AccountId',
            'Account ID',
            'Reference',
            { relationshipName: 'Account', referenceTo: ['Account'] }
        ],
        [
            'OwnerId',
            'Owner ID',
            'Reference',
            { relationshipName: 'Owner', referenceTo: ['Group', 'User'] }
        ]
    ]),
    User: describeObject('User', 'User', 'Users', [
        ['Name', 'Full Name', 'String'],
        ['Email', 'Email', 'Email'],
        ['Phone', 'Phone', 'Phone']
    ]),
    Group: describeObject('Group', 'Group', 'Groups', [
        ['Name', 'Name', 'String'],
        ['Type', 'Type', 'Picklist']
    ])
};
// Cases have no Name field: their name is the case number.
OBJECT_INFOS.Case!.nameFields = ['CaseNumber'];
OBJECT_INFOS.Case!.fields.CaseNumber = {
    apiName: 'CaseNumber',
    label: 'Case Number',
    dataType: 'String',
    createable: false,
    updateable: false
};
OBJECT_INFOS.User!.fields.Type = {
    apiName: 'Type',
    label: 'Type',
    dataType: 'Picklist',
    createable: false,
    updateable: false
};

/** The host's getObjectInfo: rejects like LDS does for an object that does not exist. */
export async function getObjectInfo(objectApiName: string): Promise<ObjectInfoLike> {
    const found = Object.values(OBJECT_INFOS).find(
        (o) => o.apiName.toLowerCase() === objectApiName.toLowerCase()
    );
    if (!found) throw new Error(`The requested resource does not exist: ${objectApiName}`);
    return JSON.parse(JSON.stringify(found)) as ObjectInfoLike;
}

export function coworker(overrides: Partial<CoworkerDefinition> = {}): CoworkerDefinition {
    return {
        name: 'Resident',
        label: 'Resident',
        roleInstructions: 'Help the sales team.',
        allowedTools: [
            'query_records',
            'search_records',
            'describe_object',
            'get_record',
            'create_record',
            'update_record',
            'search_knowledge'
        ],
        allowedObjects: ['Account', 'Contact', 'Opportunity', 'Case'],
        autoApproveObjects: [],
        canUseOrgHealth: false,
        policy: { ...DEFAULT_POLICY, excludedFields: ['Account.Tax_Id__c', '*.Birthdate'] },
        classifiedFields: ['Account.Credit_Score__c'],
        ...overrides
    };
}

export function record(apiName: string, id: string, values: Record<string, unknown>): RecordLike {
    return {
        id,
        apiName,
        fields: Object.fromEntries(
            Object.entries(values).map(([k, v]) => [
                k,
                { value: v, displayValue: v === null ? null : String(v) }
            ])
        )
    };
}
