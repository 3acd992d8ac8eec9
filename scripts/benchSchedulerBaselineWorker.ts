/**
 * A bench-only Worker for scripts/benchScheduler.ts, run on workerd: the baseline a scheduled run
 * is compared with. It does the least the same job needs — read the query's pages with the
 * access token it is given, write the rows as CSV by plain string joining (no formula
 * neutralising, no BOM), and upload that as a ContentVersion — without the scheduler's steps
 * (no JWT sign-in, no claim, no run records, no email). Never deployed.
 */

interface BaselineRequest {
    instanceUrl: string;
    accessToken: string;
    soql: string;
    fields: string[];
}

interface QueryPage {
    done: boolean;
    nextRecordsUrl?: string;
    records: Record<string, unknown>[];
}

function cell(value: unknown): string {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export default {
    async fetch(request: Request): Promise<Response> {
        const job = (await request.json()) as BaselineRequest;
        const headers = { authorization: `Bearer ${job.accessToken}`, accept: 'application/json' };
        const api = `${job.instanceUrl}/services/data/v62.0`;
        const lines = [job.fields.join(',')];
        let url = `${api}/query?q=${encodeURIComponent(job.soql)}`;
        for (;;) {
            const response = await fetch(url, { headers });
            if (!response.ok) return new Response(await response.text(), { status: 502 });
            const page = (await response.json()) as QueryPage;
            for (const record of page.records) {
                lines.push(job.fields.map((field) => cell(record[field])).join(','));
            }
            if (page.done || !page.nextRecordsUrl) break;
            url = `${job.instanceUrl}${page.nextRecordsUrl}`;
        }
        const bytes = new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) {
            binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        }
        const upload = await fetch(`${api}/sobjects/ContentVersion`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({
                Title: 'baseline',
                PathOnClient: 'baseline.csv',
                VersionData: btoa(binary)
            })
        });
        if (!upload.ok) return new Response(await upload.text(), { status: 502 });
        return Response.json({ rows: lines.length - 1, bytes: bytes.length });
    }
};
