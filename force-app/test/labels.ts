// Custom label values as the org would serve them, read from the package's labels file, for tests
// that assert the text a user reads. Use from a jest.mock factory:
//   jest.mock('@salesforce/label/c.X', () => mockLabel('X'), { virtual: true });
//   function mockLabel(name: string) { return { default: jest.requireActual('<this file>').labelValue(name) }; }
import { readFileSync } from 'node:fs';
import path from 'node:path';

const labelsFile = path.join(
    __dirname,
    '..',
    'main',
    'default',
    'labels',
    'CustomLabels.labels-meta.xml'
);

const ENTITIES: Record<string, string> = {
    '&amp;': '&',
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&apos;': "'"
};

export function labelValue(name: string): string {
    const xml = readFileSync(labelsFile, 'utf8');
    const match = new RegExp(
        `<fullName>${name}</fullName>[\\s\\S]*?<value>([\\s\\S]*?)</value>`
    ).exec(xml);
    if (!match) throw new Error(`No custom label named ${name}`);
    return (match[1] as string).replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
}
