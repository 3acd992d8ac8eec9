import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`npx playwright install` cannot work offline); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
];

export function requireChromium(): void {
    if (!existsSync(CHROMIUM_PATH)) {
        throw new Error(
            `Chromium is missing at ${CHROMIUM_PATH}, so the browser tests cannot run: install it with \`apt-get update && apt-get install -y chromium\`.`
        );
    }
}

export interface ChromiumSession {
    context: BrowserContext;
    close(): Promise<void>;
}

/** A headless Chromium with a fresh profile of its own, removed when closed. */
export async function launchChromium(): Promise<ChromiumSession> {
    requireChromium();
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'resident-e2e-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1440, height: 900 }
    });
    return {
        context,
        close: async () => {
            await context.close();
            await rm(userDataDir, { recursive: true, force: true });
        }
    };
}
