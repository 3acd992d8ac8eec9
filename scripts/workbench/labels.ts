import { readFile } from 'node:fs/promises';

/**
 * Reads the package's Custom Labels (force-app/main/default/labels/CustomLabels.labels-meta.xml)
 * so the workbench serves `@salesforce/label/c.<Name>` with the text an org would.
 */
export async function readCustomLabels(labelsFile: string): Promise<Map<string, string>> {
    const xml = await readFile(labelsFile, 'utf8');
    const labels = new Map<string, string>();
    for (const block of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
        const body = block[1] ?? '';
        const name = /<fullName>([\s\S]*?)<\/fullName>/.exec(body)?.[1]?.trim();
        const value = /<value>([\s\S]*?)<\/value>/.exec(body)?.[1];
        if (name && value !== undefined) {
            labels.set(name, decodeXmlText(value));
        }
    }
    return labels;
}

function decodeXmlText(text: string): string {
    return text
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
        .replace(/&amp;/g, '&');
}
