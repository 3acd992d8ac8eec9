import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests of the Node-side scripts (stand-ins, orchestrators); run from the repo root with
// `npx vitest run --config scripts/vitest.config.mts`.
export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    // The components' TypeScript is the source of truth: prefer it to the generated .js beside it,
    // which may be stale between two `npm run build:components`.
    resolve: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
    test: {
        include: ['**/*.test.ts'],
        // The browser end-to-end tests have their own config (scripts/e2e/vitest.config.mts).
        exclude: ['e2e/**', '**/node_modules/**'],
        environment: 'node',
        testTimeout: 20_000
    }
});
