import { LightningElement } from 'lwc';
import getTrustSettings from '@salesforce/apex/TrustSettingsController.getTrustSettings';
import saveTrustSettings from '@salesforce/apex/TrustSettingsController.saveTrustSettings';
import { DEFAULT_POLICY, validateCustomPattern } from 'c/egressPolicy';
import type { EgressPolicy } from 'c/egressPolicy';
import type {
    TrustSettings,
    TrustSettingsChange,
    TrustSettingsSaveResult
} from 'c/coworkerContract';
import { formatLabel, readableError, noticeClass, noticeRole } from 'c/userMessages';

import titleLabel from '@salesforce/label/c.Resident_TrustSettings_Title';
import loadingLabel from '@salesforce/label/c.Resident_TrustSettings_Loading';
import loadFailedLabel from '@salesforce/label/c.Resident_TrustSettings_LoadFailed';
import retryLabel from '@salesforce/label/c.Resident_TrustSettings_Retry';
import readOnlyLabel from '@salesforce/label/c.Resident_TrustSettings_ReadOnly';
import aiEnabledLabel from '@salesforce/label/c.Resident_TrustSettings_AiEnabled';
import aiEnabledHelpLabel from '@salesforce/label/c.Resident_TrustSettings_AiEnabledHelp';
import maskingLabel from '@salesforce/label/c.Resident_TrustSettings_Masking';
import maskEmailsLabel from '@salesforce/label/c.Resident_TrustSettings_MaskEmails';
import maskPhonesLabel from '@salesforce/label/c.Resident_TrustSettings_MaskPhones';
import maskCardsLabel from '@salesforce/label/c.Resident_TrustSettings_MaskCards';
import maskIbansLabel from '@salesforce/label/c.Resident_TrustSettings_MaskIbans';
import maskNationalIdsLabel from '@salesforce/label/c.Resident_TrustSettings_MaskNationalIds';
import customPatternsLabel from '@salesforce/label/c.Resident_TrustSettings_CustomPatterns';
import customPatternsHelpLabel from '@salesforce/label/c.Resident_TrustSettings_CustomPatternsHelp';
import patternNameLabel from '@salesforce/label/c.Resident_TrustSettings_PatternName';
import patternLabel from '@salesforce/label/c.Resident_TrustSettings_Pattern';
import addPatternLabel from '@salesforce/label/c.Resident_TrustSettings_AddPattern';
import removePatternLabel from '@salesforce/label/c.Resident_TrustSettings_RemovePattern';
import duplicatePatternLabel from '@salesforce/label/c.Resident_TrustSettings_DuplicatePattern';
import excludedFieldsLabel from '@salesforce/label/c.Resident_TrustSettings_ExcludedFields';
import excludedFieldsHelpLabel from '@salesforce/label/c.Resident_TrustSettings_ExcludedFieldsHelp';
import badFieldLinesLabel from '@salesforce/label/c.Resident_TrustSettings_BadFieldLines';
import maxChunksLabel from '@salesforce/label/c.Resident_TrustSettings_MaxChunks';
import modelsLabel from '@salesforce/label/c.Resident_TrustSettings_Models';
import modelsHelpLabel from '@salesforce/label/c.Resident_TrustSettings_ModelsHelp';
import noModelLabel from '@salesforce/label/c.Resident_TrustSettings_NoModel';
import badModelLabel from '@salesforce/label/c.Resident_TrustSettings_BadModel';
import zeroRetentionLabel from '@salesforce/label/c.Resident_TrustSettings_ZeroRetention';
import zeroRetentionHelpLabel from '@salesforce/label/c.Resident_TrustSettings_ZeroRetentionHelp';
import zeroRetentionLinkTextLabel from '@salesforce/label/c.Resident_TrustSettings_ZeroRetentionLinkText';
import zeroRetentionLinkUrlLabel from '@salesforce/label/c.Resident_TrustSettings_ZeroRetentionLinkUrl';
import budgetsLabel from '@salesforce/label/c.Resident_TrustSettings_Budgets';
import budgetPerTaskLabel from '@salesforce/label/c.Resident_TrustSettings_BudgetPerTask';
import budgetPerUserLabel from '@salesforce/label/c.Resident_TrustSettings_BudgetPerUser';
import budgetOrderLabel from '@salesforce/label/c.Resident_TrustSettings_BudgetOrder';
import autoApproveLabel from '@salesforce/label/c.Resident_TrustSettings_AutoApprove';
import autoApproveWarningLabel from '@salesforce/label/c.Resident_TrustSettings_AutoApproveWarning';
import autoApproveObjectsLabel from '@salesforce/label/c.Resident_TrustSettings_AutoApproveObjects';
import inactiveLabel from '@salesforce/label/c.Resident_TrustSettings_Inactive';
import badObjectsLabel from '@salesforce/label/c.Resident_TrustSettings_BadObjects';
import noCoworkersLabel from '@salesforce/label/c.Resident_TrustSettings_NoCoworkers';
import saveLabel from '@salesforce/label/c.Resident_TrustSettings_Save';
import discardLabel from '@salesforce/label/c.Resident_TrustSettings_Discard';
import savingLabel from '@salesforce/label/c.Resident_TrustSettings_Saving';
import savedLabel from '@salesforce/label/c.Resident_TrustSettings_Saved';
import saveFailedLabel from '@salesforce/label/c.Resident_TrustSettings_SaveFailed';
import fixErrorsLabel from '@salesforce/label/c.Resident_TrustSettings_FixErrors';
import numberRangeLabel from '@salesforce/label/c.Resident_TrustSettings_NumberRange';

export const MAX_KNOWLEDGE_CHUNKS = 20;
/** A budget above this is a typo, not a policy (ten billion tokens). */
const MAX_BUDGET = 10_000_000_000;
/** `Object.Field`, or `*.Field` for every object (as the egress policy reads it). */
const FIELD_RULE = /^(\*|[A-Za-z][A-Za-z0-9_]*)\.[A-Za-z][A-Za-z0-9_]*$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;

type MaskKey = 'emails' | 'phones' | 'cards' | 'ibans' | 'nationalIds';
const MASK_KEYS: MaskKey[] = ['emails', 'phones', 'cards', 'ibans', 'nationalIds'];

interface PatternRow {
    key: string;
    name: string;
    pattern: string;
    nameError?: string;
    patternError?: string;
}

interface CoworkerRow {
    name: string;
    label: string;
    active: boolean;
    objectsText: string;
    error?: string;
}

interface FormState {
    aiEnabled: boolean;
    masking: MaskKey[];
    patterns: PatternRow[];
    excludedText: string;
    maxChunks: string;
    modelsText: string;
    zeroRetention: boolean;
    perTask: string;
    perUserPerDay: string;
    coworkers: CoworkerRow[];
}

type Notice = { variant: 'success' | 'error'; text: string };

let patternKeys = 0;

function lines(text: string): string[] {
    return text
        .split(/\r?\n|,/)
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
}

/**
 * The egress policy editor for admins: AI on/off, masking, custom patterns, excluded fields,
 * knowledge chunks, models, zero retention, token budgets and, per coworker, the objects whose
 * writes skip the user's approval. Every value is checked here before it is sent, and Apex checks
 * it again; a failed save keeps every edit on the form.
 */
export default class TrustSettingsEditor extends LightningElement {
    isLoading = true;
    loadError?: string;
    isSaving = false;
    canEdit = false;
    notice?: Notice;
    errors: string[] = [];

    /** What was loaded (or last saved): the base the edited values are laid over. */
    private loaded?: TrustSettings;
    form: FormState = toForm({ policy: { ...DEFAULT_POLICY }, coworkers: [], canEdit: false });

    /** Field errors to set on the inputs after the next render. */
    private fieldErrors: Record<string, string> = {};

    labels = {
        title: titleLabel,
        loading: loadingLabel,
        retry: retryLabel,
        readOnly: readOnlyLabel,
        aiEnabled: aiEnabledLabel,
        aiEnabledHelp: aiEnabledHelpLabel,
        masking: maskingLabel,
        customPatterns: customPatternsLabel,
        customPatternsHelp: customPatternsHelpLabel,
        patternName: patternNameLabel,
        pattern: patternLabel,
        addPattern: addPatternLabel,
        removePattern: removePatternLabel,
        excludedFields: excludedFieldsLabel,
        excludedFieldsHelp: excludedFieldsHelpLabel,
        maxChunks: maxChunksLabel,
        models: modelsLabel,
        modelsHelp: modelsHelpLabel,
        zeroRetention: zeroRetentionLabel,
        zeroRetentionHelp: zeroRetentionHelpLabel,
        zeroRetentionLinkText: zeroRetentionLinkTextLabel,
        zeroRetentionLinkUrl: zeroRetentionLinkUrlLabel,
        budgets: budgetsLabel,
        budgetPerTask: budgetPerTaskLabel,
        budgetPerUser: budgetPerUserLabel,
        autoApprove: autoApproveLabel,
        autoApproveWarning: autoApproveWarningLabel,
        noCoworkers: noCoworkersLabel,
        save: saveLabel,
        discard: discardLabel,
        saving: savingLabel
    };

    maxChunksBound = MAX_KNOWLEDGE_CHUNKS;

    override connectedCallback(): void {
        this.load();
    }

    async load(): Promise<void> {
        this.isLoading = true;
        this.loadError = undefined;
        try {
            const settings = (await getTrustSettings()) as TrustSettings;
            this.loaded = settings;
            this.canEdit = settings.canEdit === true;
            this.form = toForm(settings);
        } catch (error) {
            this.loadError = formatLabel(loadFailedLabel, readableError(error));
        } finally {
            this.isLoading = false;
        }
    }

    get showForm(): boolean {
        return !this.isLoading && !this.loadError;
    }

    get readOnly(): boolean {
        return !this.canEdit || this.isSaving;
    }

    get showReadOnlyNote(): boolean {
        return !this.canEdit;
    }

    get maskingOptions(): { label: string; value: MaskKey }[] {
        return [
            { label: maskEmailsLabel, value: 'emails' },
            { label: maskPhonesLabel, value: 'phones' },
            { label: maskCardsLabel, value: 'cards' },
            { label: maskIbansLabel, value: 'ibans' },
            { label: maskNationalIdsLabel, value: 'nationalIds' }
        ];
    }

    get hasCoworkers(): boolean {
        return this.form.coworkers.length > 0;
    }

    get coworkerRows(): (CoworkerRow & { fieldLabel: string; dataKey: string })[] {
        return this.form.coworkers.map((c) => ({
            ...c,
            fieldLabel: formatLabel(
                autoApproveObjectsLabel,
                c.active ? c.label : `${c.label} (${inactiveLabel})`
            ),
            dataKey: `coworker:${c.name}`
        }));
    }

    get patternRows(): (PatternRow & {
        nameKey: string;
        patternKey: string;
        removeText: string;
    })[] {
        return this.form.patterns.map((p, i) => ({
            ...p,
            nameKey: `pattern-name:${p.key}`,
            patternKey: `pattern:${p.key}`,
            removeText: formatLabel(removePatternLabel, p.name || String(i + 1))
        }));
    }

    get hasAutoApproval(): boolean {
        return this.form.coworkers.some((c) => lines(c.objectsText).length > 0);
    }

    get hasErrors(): boolean {
        return this.errors.length > 0;
    }

    get noticeClass(): string {
        return noticeClass(this.notice?.variant);
    }

    get noticeRole(): string {
        return noticeRole(this.notice?.variant);
    }

    // ---------------------------------------------------------------------------------------
    // Edits: each keeps the form as typed, so nothing is lost whatever happens next.

    private update(patch: Partial<FormState>): void {
        this.form = { ...this.form, ...patch };
    }

    handleToggle(event: Event): void {
        const target = event.target as HTMLInputElement;
        const name = target.dataset.field as 'aiEnabled' | 'zeroRetention';
        this.update({ [name]: target.checked } as Partial<FormState>);
    }

    handleMaskingChange(event: CustomEvent<{ value: MaskKey[] }>): void {
        this.update({ masking: [...event.detail.value] });
    }

    handleTextChange(event: CustomEvent<{ value: string }>): void {
        const name = (event.target as HTMLElement).dataset.field as
            | 'excludedText'
            | 'maxChunks'
            | 'modelsText'
            | 'perTask'
            | 'perUserPerDay';
        this.update({ [name]: event.detail.value ?? '' } as Partial<FormState>);
    }

    handlePatternChange(event: CustomEvent<{ value: string }>): void {
        const target = event.target as HTMLElement;
        const key = target.dataset.key;
        const part = target.dataset.part as 'name' | 'pattern';
        this.update({
            patterns: this.form.patterns.map((p) => {
                return p.key === key ? { ...p, [part]: event.detail.value ?? '' } : p;
            })
        });
    }

    handleAddPattern(): void {
        this.update({
            patterns: [...this.form.patterns, { key: `p${++patternKeys}`, name: '', pattern: '' }]
        });
    }

    handleRemovePattern(event: Event): void {
        const key = (event.currentTarget as HTMLElement).dataset.key;
        this.update({ patterns: this.form.patterns.filter((p) => p.key !== key) });
    }

    handleObjectsChange(event: CustomEvent<{ value: string }>): void {
        const name = (event.target as HTMLElement).dataset.coworker;
        this.update({
            coworkers: this.form.coworkers.map((c) => {
                return c.name === name ? { ...c, objectsText: event.detail.value ?? '' } : c;
            })
        });
    }

    handleDiscard(): void {
        if (this.loaded) this.form = toForm(this.loaded);
        this.errors = [];
        this.notice = undefined;
        this.fieldErrors = {};
        this.clearFieldErrors();
    }

    // ---------------------------------------------------------------------------------------
    // Checking and saving

    /** Checks every value; returns the change to save, or null after marking what is wrong. */
    validate(): TrustSettingsChange | null {
        const errors: Record<string, string> = {};
        const f = this.form;

        const seen = new Set<string>();
        const patterns = f.patterns.map((p) => {
            const custom = { name: p.name.trim(), pattern: p.pattern };
            // The name is judged alone first, so its error lands on the name field.
            const nameError = validateCustomPattern({ name: custom.name, pattern: 'x' });
            if (nameError) errors[`pattern-name:${p.key}`] = nameError;
            else if (seen.has(custom.name.toUpperCase())) {
                errors[`pattern-name:${p.key}`] = formatLabel(duplicatePatternLabel, custom.name);
            } else {
                const patternError = validateCustomPattern(custom);
                if (patternError) errors[`pattern:${p.key}`] = patternError;
            }
            seen.add(custom.name.toUpperCase());
            return custom;
        });

        const excluded = lines(f.excludedText);
        const badFields = excluded.filter((l) => !FIELD_RULE.test(l));
        if (badFields.length > 0) {
            errors.excludedText = formatLabel(badFieldLinesLabel, badFields.join(', '));
        }

        const maxChunks = wholeNumber(f.maxChunks, 1, MAX_KNOWLEDGE_CHUNKS);
        if (maxChunks === null) {
            errors.maxChunks = formatLabel(numberRangeLabel, 1, MAX_KNOWLEDGE_CHUNKS);
        }

        const models = lines(f.modelsText);
        if (models.length === 0) errors.modelsText = noModelLabel;
        else {
            const badModels = models.filter((m) => !MODEL_ID.test(m));
            if (badModels.length > 0) {
                errors.modelsText = formatLabel(badModelLabel, badModels.join(', '));
            }
        }

        const perTask = wholeNumber(f.perTask, 1, MAX_BUDGET);
        const perUserPerDay = wholeNumber(f.perUserPerDay, 1, MAX_BUDGET);
        if (perTask === null) errors.perTask = formatLabel(numberRangeLabel, 1, MAX_BUDGET);
        if (perUserPerDay === null) {
            errors.perUserPerDay = formatLabel(numberRangeLabel, 1, MAX_BUDGET);
        } else if (perTask !== null && perUserPerDay < perTask) {
            errors.perUserPerDay = budgetOrderLabel;
        }

        const autoApprove: Record<string, string[]> = {};
        for (const c of f.coworkers) {
            const objects = [...new Set(lines(c.objectsText))];
            const bad = objects.filter((o) => !OBJECT_NAME.test(o));
            if (bad.length > 0) {
                errors[`coworker:${c.name}`] = formatLabel(badObjectsLabel, bad.join(', '));
            }
            autoApprove[c.name] = objects;
        }

        this.fieldErrors = errors;
        this.errors = Object.values(errors);
        if (this.errors.length > 0) return null;

        const base: EgressPolicy = this.loaded?.policy ?? { ...DEFAULT_POLICY };
        const policy: EgressPolicy = {
            ...base,
            aiEnabled: f.aiEnabled,
            masking: {
                ...base.masking,
                ...Object.fromEntries(MASK_KEYS.map((k) => [k, f.masking.includes(k)])),
                custom: patterns
            } as EgressPolicy['masking'],
            excludedFields: [...new Set(excluded)],
            maxKnowledgeChunks: maxChunks as number,
            models: [...new Set(models)],
            zeroRetention: f.zeroRetention,
            tokenBudget: { perTask: perTask as number, perUserPerDay: perUserPerDay as number }
        };
        return { policy, autoApprove };
    }

    async handleSave(): Promise<void> {
        if (!this.canEdit || this.isSaving) return;
        this.notice = undefined;
        const change = this.validate();
        if (!change) {
            this.notice = { variant: 'error', text: fixErrorsLabel };
            return;
        }
        this.isSaving = true;
        try {
            const result = (await saveTrustSettings({
                settings: JSON.stringify(change)
            })) as TrustSettingsSaveResult;
            // What was saved becomes the base a later discard returns to.
            this.loaded = {
                ...(this.loaded as TrustSettings),
                policy: change.policy,
                coworkers: (this.loaded?.coworkers ?? []).map((c) => ({
                    ...c,
                    autoApproveObjects: change.autoApprove[c.name] ?? []
                }))
            };
            this.notice = {
                variant: 'success',
                text: formatLabel(savedLabel, result?.deploymentId ?? '')
            };
        } catch (error) {
            // The form is left exactly as the admin typed it.
            this.notice = {
                variant: 'error',
                text: formatLabel(saveFailedLabel, readableError(error))
            };
        } finally {
            this.isSaving = false;
        }
    }

    override renderedCallback(): void {
        this.applyFieldErrors();
    }

    /** Shows each error at its field, the way Lightning inputs show their own. */
    private applyFieldErrors(): void {
        const inputs = this.template?.querySelectorAll<
            HTMLElement & { setCustomValidity(m: string): void; reportValidity(): boolean }
        >('[data-error-key]');
        inputs?.forEach((input) => {
            const message = this.fieldErrors[input.dataset.errorKey ?? ''] ?? '';
            input.setCustomValidity(message);
            if (message) input.reportValidity();
        });
    }

    private clearFieldErrors(): void {
        this.applyFieldErrors();
    }
}

function wholeNumber(text: string, min: number, max: number): number | null {
    const trimmed = String(text ?? '').trim();
    if (!/^\d+$/.test(trimmed)) return null;
    const n = Number(trimmed);
    return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

function toForm(settings: TrustSettings): FormState {
    const policy = settings.policy ?? DEFAULT_POLICY;
    const masking = policy.masking ?? DEFAULT_POLICY.masking;
    const budget = policy.tokenBudget ?? DEFAULT_POLICY.tokenBudget;
    return {
        aiEnabled: policy.aiEnabled !== false,
        masking: MASK_KEYS.filter((k) => masking[k] !== false),
        patterns: (masking.custom ?? []).map((c) => ({
            key: `p${++patternKeys}`,
            name: c.name,
            pattern: c.pattern
        })),
        excludedText: (policy.excludedFields ?? []).join('\n'),
        maxChunks: String(policy.maxKnowledgeChunks ?? DEFAULT_POLICY.maxKnowledgeChunks),
        modelsText: (policy.models ?? DEFAULT_POLICY.models).join('\n'),
        zeroRetention: policy.zeroRetention === true,
        perTask: String(budget.perTask),
        perUserPerDay: String(budget.perUserPerDay),
        coworkers: (settings.coworkers ?? []).map((c) => ({
            name: c.name,
            label: c.label,
            active: c.active,
            objectsText: (c.autoApproveObjects ?? []).join('\n')
        }))
    };
}
