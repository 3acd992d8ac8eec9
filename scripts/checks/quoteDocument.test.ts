/**
 * The document generator end to end, short of the browser: the seeded Quote template read through
 * the stand-in org's Apex doubles, checked against the user's describe, merged with the data the
 * user may see by c/documentMerge, validated by the relay's own schema, rendered by the relay's
 * renderer (imported by relative path, as the Worker bundles it), and read back with Debian's PDF
 * tools, as Ada (sees everything) and as Sam (cannot read Account.AnnualRevenue or
 * Opportunity.Amount).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
    fieldsUsed,
    mergeTemplate,
    prepareTemplate,
    type DocumentRecordData,
    type DocumentTemplate,
    type MergeResult,
    type ObjectDescribe
} from '../../force-app/main/default/lwc/documentMerge/documentMerge';
import { documentDescriptionSchema } from '../../relay/src/pdf/documentSchema';
import { renderPdf } from '../../relay/src/pdf/pdfRenderer';
import { encodePng, logoPixel } from '../../relay/test/fixtures/pdf/sampleImages';
import { defaultApexDoubles, type ApexContext } from '../standins/salesforceOrgStandIn/apexDoubles';
import { OrgStore } from '../standins/salesforceOrgStandIn/orgStore';
import { objectDef } from '../standins/salesforceOrgStandIn/schema';
import {
    ADA_ADMIN_ID,
    QUOTE_TEMPLATE_ID,
    SAM_SELLER_ID,
    SAMPLE_ACCOUNT_ID
} from '../standins/salesforceOrgStandIn/seedData';
import { objectInfo } from '../standins/salesforceOrgStandIn/uiApi';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(repoRoot, '.tmp', 'pdf-output');
const doubles = defaultApexDoubles();
const store = new OrgStore();

function context(userId: string): ApexContext {
    return { user: store.user(userId)!, store, settings: { relayUrl: 'http://127.0.0.1:8787' } };
}

async function apex<T>(
    name: string,
    params: Record<string, unknown>,
    ctx: ApexContext
): Promise<T> {
    return (await doubles.get(name)!(params, ctx)) as T;
}

function tool(command: string, ...args: string[]) {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.error) throw result.error;
    return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

interface Generated {
    merged: MergeResult;
    text: string;
    pages: number;
    qpdf: { status: number; stdout: string };
}

/** What the documentGenerator component will do, step by step, as one user. */
async function generate(userId: string, locale: string): Promise<Generated> {
    const ctx = context(userId);
    const template = await apex<DocumentTemplate>(
        'DocumentTemplateController.getTemplate',
        { templateId: QUOTE_TEMPLATE_ID },
        ctx
    );
    const describe = (name: string) => {
        const object = objectDef(name);
        return Promise.resolve(
            object ? (objectInfo(store, ctx.user, object) as ObjectDescribe) : undefined
        );
    };
    const prepared = await prepareTemplate(template, describe, { forGeneration: true });
    expect(prepared.problems).toEqual([]);
    const used = fieldsUsed(prepared.template!);
    const data = await apex<DocumentRecordData>(
        'DocumentRecordController.readRecordData',
        { recordId: SAMPLE_ACCOUNT_ID, fields: used.fields, children: used.children },
        ctx
    );
    const logo = await encodePng({ width: 64, height: 64, colorType: 6, pixel: logoPixel(64) });
    const merged = await mergeTemplate(prepared.template!, data, {
        locale,
        timeZone: 'America/Los_Angeles',
        defaultCurrencyIsoCode: 'USD',
        title: 'Quote for Acme Corporation',
        author: ctx.user.name,
        created: new Date('2026-03-14T09:30:00Z'),
        loadImage: (source) => {
            expect(source).toBe('StaticResource:Resident_SampleLogo');
            return Promise.resolve({ format: 'png', data: logo, width: 64, height: 64 });
        }
    });
    const valid = documentDescriptionSchema.safeParse(merged.document);
    expect(valid.success, JSON.stringify(valid.error?.issues?.slice(0, 3))).toBe(true);
    const pdf = await renderPdf(merged.document);
    mkdirSync(outDir, { recursive: true });
    const file = path.join(
        outDir,
        `quote-${userId === ADA_ADMIN_ID ? 'ada' : 'sam'}-${locale}.pdf`
    );
    writeFileSync(file, pdf.bytes);
    const info = tool('pdfinfo', file).stdout;
    return {
        merged,
        text: tool('pdftotext', '-layout', '-enc', 'UTF-8', file, '-').stdout,
        pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
        qpdf: tool('qpdf', '--check', file)
    };
}

/** Acme's open opportunities as the admin sees them, soonest first. */
function openOpportunities() {
    return store
        .query(
            store.user(ADA_ADMIN_ID)!,
            `SELECT Name, Amount, CloseDate FROM Opportunity WHERE AccountId = '${SAMPLE_ACCOUNT_ID}' AND StageName != 'Closed Lost' AND StageName != 'Closed Won' ORDER BY CloseDate ASC`
        )
        .records.map(
            (r) => r.fields as unknown as { Name: string; Amount: number | null; CloseDate: string }
        );
}

/** pdftotext -layout spaces words of a line apart; compare words, not spacing. */
const squash = (text: string) => text.replace(/[ \t]+/g, ' ');

describe('the seeded Quote template, generated and rendered', () => {
    let ada: Generated;
    let sam: Generated;

    beforeAll(async () => {
        ada = await generate(ADA_ADMIN_ID, 'en-US');
        sam = await generate(SAM_SELLER_ID, 'en-US');
    });

    it('is a well-formed PDF of one page, for both users', () => {
        for (const result of [ada, sam]) {
            expect(result.qpdf.status, result.qpdf.stdout).toBe(0);
            expect(result.pages).toBe(1);
        }
    });

    it('merges the account, its owner, the open opportunities with a total, the right branch and page numbers', () => {
        const text = squash(ada.text);
        expect(text).toContain('Quote for Acme Corporation');
        expect(text).toContain(
            'Prepared by Sam Seller for Acme Corporation, San Francisco, United States.'
        );
        expect(text).toContain('Annual revenue: $12,500,000.00');
        const rows = openOpportunities();
        expect(rows.length).toBeGreaterThan(0);
        const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
        for (const row of rows) {
            expect(text).toContain(row.Name);
            if (row.Amount !== null) expect(text).toContain(money.format(row.Amount));
        }
        // In reading order: the first opportunity (soonest) before the last.
        expect(text.indexOf(rows[0]!.Name)).toBeLessThan(text.indexOf(rows[rows.length - 1]!.Name));
        const total = rows.reduce((sum, r) => sum + (r.Amount ?? 0), 0);
        expect(text).toMatch(
            new RegExp(
                `${rows.length} opportunities\\s+${money.format(total).replace(/[$.]/g, '\\$&')}`
            )
        );
        expect(text).toContain('Standard terms apply.');
        expect(text).not.toContain('Key account terms');
        expect(text).toContain('Acme Corporation · Page 1 of 1');
        expect(text).not.toContain('{{');
        expect(ada.merged.warnings).toEqual([]);
    });

    it('prints what Sam cannot read as empty (defaults) and warns, never failing', () => {
        const text = squash(sam.text);
        expect(text).toContain('Annual revenue: not disclosed');
        expect(text).not.toContain('12,500,000');
        expect(text).toContain('Prepared by Sam Seller');
        expect(sam.merged.warnings.map((w) => w.subject).sort()).toEqual([
            'AnnualRevenue',
            'Opportunities.Amount'
        ]);
        // Both describes hide the fields from Sam, so they are never requested or shown.
        for (const row of openOpportunities()) expect(text).toContain(row.Name);
    });

    it('formats by the user’s locale', async () => {
        const german = await generate(ADA_ADMIN_ID, 'de-DE');
        expect(squash(german.text)).toContain('Annual revenue: 12.500.000,00 $');
    });
});
