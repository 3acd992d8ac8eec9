import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { generateKeyPairSync } from 'node:crypto';
import { startAnthropicStandIn } from '../scripts/standins/anthropicStandIn';
import {
    ORG_ID,
    startSalesforceOrgStandIn,
    STANDIN_USERNAMES
} from '../scripts/standins/salesforceOrgStandIn/index';
import { REVOKED_TEST_KEY_ID, TEST_MASTER_SECRETS } from './test/testMasterKeys';

// Relay tests run inside workerd with the bindings of wrangler.jsonc. Run from the repo root:
// `npx vitest run --config relay/vitest.config.mts`.
// Wrangler's warnings about the experimental `secrets` field and the (deliberately) missing key are
// noise here; errors still show.
process.env.WRANGLER_LOG ??= 'error';

// The LLM route's tests talk to the Anthropic stand-in (a test double speaking the real wire format)
// over the loopback network, as the deployed relay talks to Anthropic. Tests script it and read what
// it received through its `/__standin/*` endpoints at ANTHROPIC_BASE_URL. It closes with the process.
const anthropicStandIn = await startAnthropicStandIn({ port: 0, unref: true });

// Scheduled reports sign in to the Salesforce org stand-in with the JWT bearer flow: a key pair
// made for this run, the public half given to the stand-in as the connected app's certificate.
const schedulerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SCHEDULER_CONSUMER_KEY = 'resident-relay-test-consumer-key';
const salesforceStandIn = await startSalesforceOrgStandIn({
    port: 0,
    jwtPublicKey: schedulerKeys.publicKey,
    consumerKey: SCHEDULER_CONSUMER_KEY,
    unref: true
});

export default defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    plugins: [
        cloudflareTest({
            wrangler: { configPath: fileURLToPath(new URL('./wrangler.jsonc', import.meta.url)) },
            miniflare: {
                // Tests never see a real key, even when relay/.dev.vars or the shell has one.
                bindings: {
                    ANTHROPIC_API_KEY: '',
                    ANTHROPIC_BASE_URL: anthropicStandIn.url,
                    RELAY_MASTER_KEYS: JSON.stringify(TEST_MASTER_SECRETS),
                    REVOKED_KEY_IDS: REVOKED_TEST_KEY_ID,
                    SCHEDULER_ORGS: JSON.stringify([
                        {
                            orgId: ORG_ID,
                            loginUrl: salesforceStandIn.url,
                            consumerKey: SCHEDULER_CONSUMER_KEY,
                            schedulerUsername: STANDIN_USERNAMES.ada
                        }
                    ]),
                    SCHEDULER_PRIVATE_KEY: schedulerKeys.privateKey
                        .export({ type: 'pkcs8', format: 'pem' })
                        .toString(),
                    SCHEDULER_RETRY_BASE_MS: '20'
                }
            }
        })
    ],
    // The components' TypeScript is the source of truth: prefer it to the generated .js beside it,
    // which may be stale between two `npm run build:components`.
    resolve: { extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] },
    test: {
        include: ['test/**/*.test.ts'],
        // The relay's one-line request logs only matter when a test fails.
        silent: 'passed-only'
    }
});
