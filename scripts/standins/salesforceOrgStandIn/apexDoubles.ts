import type { RelayScope } from '../../../force-app/main/default/lwc/relayContract/relayContract';
import { mintSessionToken } from '../../../relay/src/auth/sessionToken';
import { listActivity, logActivity, tokensUsed } from './apex/activity';
import { getCoworker } from './apex/coworker';
import { runQuery, searchRecords } from './apex/data';
import {
    getTemplate,
    listTemplates,
    readRecordData,
    saveDocument as saveGeneratedDocument
} from './apex/documents';
import { findRecords as findBatchRecords } from './apex/documentBatch';
import { saveFeedback } from './apex/feedback';
import {
    findSampleRecords,
    getTemplateForEditing,
    listTemplatesForEditing,
    saveTemplate
} from './apex/templateEditing';
import {
    deleteDocument,
    keepOriginal,
    findChunks,
    listDocuments,
    saveDocument,
    setDocumentActive
} from './apex/knowledge';
import { getOrgHealth } from './apex/orgHealth';
import {
    findUsers,
    getSchedule,
    getSchedulerSettings,
    listReports as listScheduleReports,
    listRuns,
    listSchedules,
    previewRows,
    runNow,
    saveSchedule,
    setActive
} from './apex/reportSchedules';
import { AuraHandledError, optionalId, type ApexContext, type ApexDouble } from './apex/support';
import { createTask, getTask, listTasks, saveTask } from './apex/tasks';
import { getTrustSettings, saveTrustSettings } from './apex/trustSettings';
import { TRUST_CENTER_DOUBLES } from './apex/trustCenter';
import { ORG_ID } from './seedData';

// Test doubles of the package's @AuraEnabled Apex, called by the workbench as
// `POST /__standin/apex/<ClassName>/<methodName>`. Each runs as the calling user, with the same
// method names, parameter names and answer shapes as the contract (c/coworkerContract), and does
// its reads and writes through the store, which enforces sharing, CRUD and FLS as user mode does.

export { AuraHandledError, type ApexContext, type ApexDouble } from './apex/support';

/** Lifetime of the tokens the real SessionTokenMinter mints (600 s). */
const SESSION_LIFETIME_SECONDS = 600;
const SCOPES: readonly RelayScope[] = ['llm', 'pdf'];

/**
 * Mirrors RelayConnectionController.getRelaySession: validates the scopes, refuses when no relay or
 * no org key is configured (with the messages of the real Custom Labels' intent), and mints a real
 * session token for the calling user with the org's key, so the relay verifies it as in production.
 * The token carries the policy an admin last saved and the budgets left after the user's Model call
 * entries of today and the task's recorded usage.
 */
async function getRelaySession(
    params: Record<string, unknown>,
    context: ApexContext
): Promise<{ relayUrl: string; token: string; expiresAt: number }> {
    const { user, settings, store } = context;
    const scopes = params.scopes;
    if (
        !Array.isArray(scopes) ||
        scopes.length === 0 ||
        !scopes.every((s): s is RelayScope => SCOPES.includes(s as RelayScope))
    ) {
        throw new AuraHandledError('Ask for the relay scopes llm and/or pdf.');
    }
    if (!settings.relayUrl) throw new AuraHandledError('No Resident relay is configured.');
    if (!settings.orgKey) {
        throw new AuraHandledError('This org is not connected to the Resident relay yet.');
    }
    const taskId = optionalId(params, 'taskId', 'The task') ?? undefined;
    const policy = structuredClone(store.trust.policy);
    const used = tokensUsed(context, taskId ?? null);
    const now = new Date();
    const token = await mintSessionToken(
        settings.orgKey,
        {
            orgId: ORG_ID,
            userId: user.id,
            scopes,
            policy,
            budget: {
                userDayRemaining: Math.max(0, policy.tokenBudget.perUserPerDay - used.today),
                taskRemaining: Math.max(0, policy.tokenBudget.perTask - used.task)
            },
            taskId,
            lifetimeSeconds: SESSION_LIFETIME_SECONDS
        },
        now
    );
    return {
        relayUrl: settings.relayUrl,
        token,
        // As Apex reports it: the token's `exp` (whole seconds) in epoch milliseconds.
        expiresAt: (Math.floor(now.getTime() / 1000) + SESSION_LIFETIME_SECONDS) * 1000
    };
}

export function defaultApexDoubles(): Map<string, ApexDouble> {
    return new Map<string, ApexDouble>([
        [
            'RelayConnectionController.getRelayConnection',
            (_params, { settings }) => ({
                relayUrl: settings.relayUrl || null,
                keyConfigured: Boolean(settings.orgKey)
            })
        ],
        ['RelayConnectionController.getRelaySession', getRelaySession],
        ['CoworkerController.getCoworker', getCoworker],
        ['CoworkerTaskController.listTasks', listTasks],
        ['CoworkerTaskController.getTask', getTask],
        ['CoworkerTaskController.createTask', createTask],
        ['CoworkerTaskController.saveTask', saveTask],
        ['CoworkerDataController.runQuery', runQuery],
        ['CoworkerDataController.searchRecords', searchRecords],
        ['KnowledgeController.findChunks', findChunks],
        ['KnowledgeController.listDocuments', listDocuments],
        ['KnowledgeController.saveDocument', saveDocument],
        ['KnowledgeController.deleteDocument', deleteDocument],
        ['KnowledgeController.keepOriginal', keepOriginal],
        ['KnowledgeController.setDocumentActive', setDocumentActive],
        ['ActivityLogController.logActivity', logActivity],
        ['ActivityLogController.listActivity', listActivity],
        ['FeedbackController.saveFeedback', saveFeedback],
        ['OrgHealthController.getOrgHealth', getOrgHealth],
        ['TrustSettingsController.getTrustSettings', getTrustSettings],
        ['TrustSettingsController.saveTrustSettings', saveTrustSettings],
        ['DocumentTemplateController.listTemplates', listTemplates],
        ['DocumentTemplateController.getTemplate', getTemplate],
        ['DocumentRecordController.readRecordData', readRecordData],
        ['DocumentFileController.saveDocument', saveGeneratedDocument],
        ['DocumentBatchController.findRecords', findBatchRecords],
        // The template editor (issue 5).
        ['DocumentTemplateController.listTemplatesForEditing', listTemplatesForEditing],
        ['DocumentTemplateController.getTemplateForEditing', getTemplateForEditing],
        ['DocumentTemplateController.findSampleRecords', findSampleRecords],
        ['DocumentTemplateController.saveTemplate', saveTemplate],
        // Scheduled reports (issue 6).
        ['ReportScheduleController.getSchedulerSettings', getSchedulerSettings],
        ['ReportScheduleController.listSchedules', listSchedules],
        ['ReportScheduleController.getSchedule', getSchedule],
        ['ReportScheduleController.saveSchedule', saveSchedule],
        ['ReportScheduleController.setActive', setActive],
        ['ReportScheduleController.runNow', runNow],
        ['ReportScheduleController.listRuns', listRuns],
        ['ReportScheduleController.previewRows', previewRows],
        ['ReportScheduleController.listReports', listScheduleReports],
        ['ReportScheduleController.findUsers', findUsers],
        // Trust center (issue 7).
        ...TRUST_CENTER_DOUBLES
    ]);
}
