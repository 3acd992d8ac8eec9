import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import PassFailSummary from './passFailSummary';

// Browser end-to-end tests: each file starts the whole workbench stack (build, stand-ins, relay on
// workerd, workbench server) on free ports and drives Debian's Chromium. Run from the repo root:
// `npx vitest run --config scripts/e2e/vitest.config.mts`.
export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    test: {
        include: ['**/*.e2e.test.ts'],
        globalSetup: ['./buildOnce.ts'],
        environment: 'node',
        // One stack and one browser at a time: two cores, and every test shares the stack.
        fileParallelism: false,
        sequence: { concurrent: false },
        testTimeout: 60_000,
        hookTimeout: 180_000,
        reporters: ['default', new PassFailSummary()]
    }
});
