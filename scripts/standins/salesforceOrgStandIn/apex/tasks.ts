import {
    COWORKER_LIMITS,
    type TaskDetail,
    type TaskStatus,
    type TaskSummary
} from '../../../../force-app/main/default/lwc/coworkerContract/coworkerContract';
import type { StoredRecord } from '../seedData';
import { coworkerFor } from './coworker';
import {
    asUser,
    AuraHandledError,
    isoDateTime,
    numberOr,
    optionalId,
    optionalString,
    requiredId,
    requiredString,
    soqlLiteral,
    stringOrNull,
    type ApexContext,
    type ApexParams
} from './support';

// CoworkerTaskController: the user's own tasks, in user mode. Tasks are private: another user's
// task "does not exist" for Sam; Ada reads every task (View All) but edits only her own.

const TASK_STATUSES: readonly TaskStatus[] = ['Open', 'Waiting for approval', 'Done', 'Failed'];
const TASK_FIELDS =
    'Id, Name, Status__c, Coworker__c, Record_Id__c, LastModifiedDate, Model_Usage__c, Description__c, Conversation__c';
const NOT_FOUND = 'This task does not exist, or you do not have access to it.';

function summaryOf(record: StoredRecord): TaskSummary {
    const f = record.fields;
    return {
        id: f.Id,
        title: String(f.Name ?? ''),
        status: (TASK_STATUSES as readonly unknown[]).includes(f.Status__c)
            ? (f.Status__c as TaskStatus)
            : 'Open',
        coworkerName: stringOrNull(f.Coworker__c),
        recordId: stringOrNull(f.Record_Id__c),
        lastModified: isoDateTime(f.LastModifiedDate) ?? '',
        tokensUsed: numberOr(f.Model_Usage__c, 0)
    };
}

function taskRecord(taskId: string, context: ApexContext): StoredRecord {
    return asUser(() => context.store.visibleRecord(context.user, taskId, 'Resident_Task__c'), {
        notFound: NOT_FOUND
    });
}

/** `listTasks({ recordId })`: the user's own tasks, newest first, at most 50. */
export function listTasks(params: ApexParams, context: ApexContext): TaskSummary[] {
    const recordId = optionalId(params, 'recordId', 'The record');
    const where = [`OwnerId = ${soqlLiteral(context.user.id)}`];
    if (recordId) where.push(`Record_Id__c = ${soqlLiteral(recordId)}`);
    const result = asUser(() =>
        context.store.query(
            context.user,
            `SELECT ${TASK_FIELDS} FROM Resident_Task__c WHERE ${where.join(' AND ')} ORDER BY LastModifiedDate DESC LIMIT 50`
        )
    );
    return result.records.map(summaryOf);
}

/** `getTask({ taskId })`. */
export function getTask(params: ApexParams, context: ApexContext): TaskDetail {
    const record = taskRecord(requiredId(params, 'taskId', 'The task'), context);
    return {
        ...summaryOf(record),
        description: stringOrNull(record.fields.Description__c),
        conversation: stringOrNull(record.fields.Conversation__c)
    };
}

/** `createTask({ title, description, coworkerName, recordId })`. */
export function createTask(params: ApexParams, context: ApexContext): TaskSummary {
    const title = requiredString(
        params,
        'title',
        COWORKER_LIMITS.maxTaskTitleChars,
        'The task title'
    ).trim();
    const description = optionalString(params, 'description', 32_768, 'The task description');
    const coworker = coworkerFor(optionalString(params, 'coworkerName', 40), context);
    const recordId = optionalId(params, 'recordId', 'The record');
    const id = asUser(
        () =>
            context.store.create(context.user, 'Resident_Task__c', {
                Name: title,
                Description__c: description,
                Status__c: 'Open',
                Coworker__c: coworker.name,
                Record_Id__c: recordId
            }),
        { noAccess: 'You do not have permission to create coworker tasks.' }
    );
    return summaryOf(taskRecord(id, context));
}

/** A stored conversation must be the contract's StoredConversation, so a later load cannot fail. */
function checkConversation(conversation: string): void {
    let parsed: unknown;
    try {
        parsed = JSON.parse(conversation);
    } catch {
        throw new AuraHandledError('The conversation could not be saved: it is not valid JSON.');
    }
    const c = parsed as Record<string, unknown> | null;
    if (
        typeof c !== 'object' ||
        c === null ||
        c.version !== 1 ||
        !Array.isArray(c.messages) ||
        !Array.isArray(c.cards) ||
        typeof c.masks !== 'object' ||
        c.masks === null
    ) {
        throw new AuraHandledError(
            'The conversation could not be saved: it is not a Resident conversation (version 1 with messages, masks and cards).'
        );
    }
}

/** `saveTask({ taskId, conversation, status })`. */
export function saveTask(params: ApexParams, context: ApexContext): TaskSummary {
    const taskId = requiredId(params, 'taskId', 'The task');
    const conversation = optionalString(
        params,
        'conversation',
        COWORKER_LIMITS.maxConversationChars,
        'The conversation'
    );
    const status = params.status;
    if (status !== undefined && status !== null && !TASK_STATUSES.includes(status as TaskStatus)) {
        throw new AuraHandledError(
            `"${String(status)}" is not a task status. Use one of: ${TASK_STATUSES.join(', ')}.`
        );
    }
    if (conversation !== null) checkConversation(conversation);
    const changes: Record<string, unknown> = {};
    if (conversation !== null) changes.Conversation__c = conversation;
    if (typeof status === 'string') changes.Status__c = status;
    asUser(() => context.store.update(context.user, taskId, changes, 'Resident_Task__c'), {
        notFound: NOT_FOUND,
        noAccess: 'You can only change your own tasks.'
    });
    return summaryOf(taskRecord(taskId, context));
}
