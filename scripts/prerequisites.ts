/**
 * What the tests need that npm cannot install: Java 17 (PMD, for the Apex security rules),
 * Chromium (the browser end-to-end tests) and qpdf + poppler-utils (checks of rendered PDFs). Installed from Debian when we are root; otherwise one
 * sentence says what is missing and the command that fixes it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type Prerequisite = 'java' | 'chromium' | 'pdf-tools';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const DEBIAN_PACKAGES: Record<Prerequisite, string> = {
    java: 'openjdk-17-jre-headless',
    chromium: 'chromium',
    'pdf-tools': 'qpdf poppler-utils'
};

/** The Debian PDF tools the rendered-PDF checks run (scripts/checks/pdfOutput.test.ts). */
export const PDF_TOOLS = ['qpdf', 'pdftotext', 'pdffonts', 'pdfinfo', 'pdfimages', 'pdftoppm'];

function onPath(command: string): boolean {
    return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function javaMajorVersion(): number | undefined {
    const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
    if (result.error || result.status !== 0) return undefined;
    const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
    return match ? Number(match[1]) : undefined;
}

function isPresent(what: Prerequisite): boolean {
    if (what === 'java') return (javaMajorVersion() ?? 0) >= 17;
    if (what === 'pdf-tools') return PDF_TOOLS.every(onPath);
    return existsSync(CHROMIUM_PATH);
}

function fixCommand(what: Prerequisite): string {
    return `apt-get update && apt-get install -y ${DEBIAN_PACKAGES[what]}`;
}

let aptUpdated = false;

function aptInstall(pkg: string): boolean {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) {
        console.log('Updating the Debian package lists (apt-get update)…');
        if (spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status !== 0)
            return false;
        aptUpdated = true;
    }
    console.log(`Installing ${pkg} from Debian…`);
    return (
        spawnSync('apt-get', ['install', '-y', '-qq', ...pkg.split(' ')], { stdio: 'inherit', env })
            .status === 0
    );
}

/**
 * Makes sure each needed prerequisite is there, installing it when possible.
 * Returns, for each one still missing, the sentence to show the user.
 */
export async function ensurePrerequisites(
    needs: Set<Prerequisite>
): Promise<Map<Prerequisite, string>> {
    const missing = new Map<Prerequisite, string>();
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    for (const what of needs) {
        if (isPresent(what)) continue;
        if (isRoot && aptInstall(DEBIAN_PACKAGES[what]) && isPresent(what)) continue;
        const name =
            what === 'java'
                ? 'Java 17 (for the Apex security scan)'
                : what === 'pdf-tools'
                  ? 'qpdf and poppler-utils (for the rendered-PDF checks)'
                  : `Chromium at ${CHROMIUM_PATH} (for the browser tests)`;
        missing.set(what, `${name} is missing; install it with: ${fixCommand(what)}`);
    }
    return missing;
}
