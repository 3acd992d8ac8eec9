/**
 * PLACEHOLDER (branch i4-panel only). The real `c/coworkerTools` is written on branch i4-tools;
 * at merge, take that branch's file and drop this one. It holds only the exported signatures the
 * panel's tool loop calls (exactly the interface of the issue 4 brief), so the panel builds and
 * type-checks; its tests mock this module with jest.
 */
/* eslint-disable no-unused-vars -- signatures only, bodies refuse to run */
import type {
    ActivityEntryInput,
    CoworkerDefinition,
    KnowledgeChunk,
    OrgHealth,
    QueryResult,
    SearchResult,
    ToolCard,
    ToolName,
    WriteProposal
} from 'c/coworkerContract';

export interface ObjectInfoLike {
    apiName: string;
    label: string;
    labelPlural?: string;
    nameFields?: string[];
    fields: Record<
        string,
        {
            apiName: string;
            label: string;
            dataType: string;
            createable: boolean;
            updateable: boolean;
            required?: boolean;
            relationshipName?: string | null;
            referenceToInfos?: { apiName: string }[];
        }
    >;
    childRelationships: {
        relationshipName: string | null;
        childObjectApiName: string;
        fieldName: string;
    }[];
}

export interface RecordLike {
    id: string;
    apiName: string;
    fields: Record<string, { value: unknown; displayValue?: string | null }>;
}

export interface ToolHost {
    runQuery(soql: string, coworkerName: string): Promise<QueryResult>;
    searchRecords(
        term: string,
        objectApiNames: string[],
        coworkerName: string
    ): Promise<SearchResult>;
    getObjectInfo(objectApiName: string): Promise<ObjectInfoLike>;
    getRecord(recordId: string, fields: string[]): Promise<RecordLike>;
    createRecord(objectApiName: string, fields: Record<string, unknown>): Promise<{ id: string }>;
    updateRecord(recordId: string, fields: Record<string, unknown>): Promise<void>;
    findKnowledgeChunks(terms: string[], maxCandidates: number): Promise<KnowledgeChunk[]>;
    getOrgHealth(): Promise<OrgHealth>;
}

export interface AnthropicToolDefinition {
    name: ToolName;
    description: string;
    input_schema: object;
}

export interface ToolContext {
    coworker: CoworkerDefinition;
    host: ToolHost;
    recordId?: string;
    objectApiName?: string;
}

export interface ToolOutcome {
    card: Pick<ToolCard, 'tool' | 'target' | 'status' | 'summary' | 'proposal'>;
    content: string;
    isError: boolean;
    activity: ActivityEntryInput;
}

const NOT_MERGED = 'c/coworkerTools placeholder: merge branch i4-tools';

export function toolDefinitions(_coworker: CoworkerDefinition): AnthropicToolDefinition[] {
    throw new Error(NOT_MERGED);
}

export function runTool(_name: string, _input: unknown, _ctx: ToolContext): Promise<ToolOutcome> {
    return Promise.reject(new Error(NOT_MERGED));
}

export function applyProposal(_proposal: WriteProposal, _ctx: ToolContext): Promise<ToolOutcome> {
    return Promise.reject(new Error(NOT_MERGED));
}

export function rejectProposal(_proposal: WriteProposal, _reason?: string): ToolOutcome {
    throw new Error(NOT_MERGED);
}
