import type { KnowledgeChunk, OrgHealth, QueryResult, SearchResult } from 'c/coworkerContract';

/** The subset of UI API ObjectInfo the tools read. */
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

/** A UI API record. */
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
