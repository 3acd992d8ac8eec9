import { describe, expect, it } from 'vitest';
import wranglerConfigText from '../wrangler.jsonc?raw';

/** Every wrangler key that binds the Worker to state it could keep between requests. */
const STORAGE_KEYS = [
    'kv_namespaces',
    'd1_databases',
    'r2_buckets',
    'durable_objects',
    'migrations',
    'queues',
    'analytics_engine_datasets',
    'hyperdrive',
    'vectorize',
    'services',
    'workflows',
    'secrets_store_secrets',
    'send_email',
    'pipelines',
    'browser',
    'ai',
    'images',
    'dispatch_namespaces',
    'mtls_certificates',
    'containers',
    'assets',
    'unsafe'
];

/** The keys a stateless relay may use; anything new must be added here on purpose, after review. */
const ALLOWED_KEYS = new Set([
    '$schema',
    'name',
    'main',
    'compatibility_date',
    'compatibility_flags',
    'observability',
    'vars',
    'secrets',
    // Rate Limiting counters live in Cloudflare's edge, keyed by org/user id; the relay cannot read
    // or store anything through them.
    'ratelimits',
    'triggers',
    'limits',
    'placement',
    'routes',
    'route',
    'workers_dev',
    'preview_urls',
    'minify',
    // Build-time module substitution (the PDF renderer's unused pdf-lib fonts); no runtime binding.
    'alias',
    'keep_vars',
    'upload_source_maps',
    'send_metrics',
    'dev',
    'env'
]);

/** JSONC to JSON: drops comments and trailing commas, leaving string contents (e.g. URLs) intact. */
function parseJsonc(text: string): unknown {
    let json = '';
    for (let i = 0; i < text.length; i++) {
        const char = text[i];
        if (char === '"') {
            const end = endOfString(text, i);
            json += text.slice(i, end);
            i = end - 1;
        } else if (char === '/' && text[i + 1] === '/') {
            i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i) - 1;
        } else if (char === '/' && text[i + 1] === '*') {
            i = text.indexOf('*/', i + 2) + 1;
        } else {
            json += char;
        }
    }
    return JSON.parse(json.replace(/,(\s*[}\]])/g, '$1'));
}

function endOfString(text: string, start: number): number {
    let i = start + 1;
    while (i < text.length && text[i] !== '"') {
        i += text[i] === '\\' ? 2 : 1;
    }
    return i + 1;
}

function sectionsOf(config: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
    const sections: Array<[string, Record<string, unknown>]> = [['top level', config]];
    const environments = config.env;
    if (typeof environments === 'object' && environments !== null) {
        for (const [name, section] of Object.entries(environments)) {
            sections.push([`env.${name}`, section as Record<string, unknown>]);
        }
    }
    return sections;
}

describe('relay/wrangler.jsonc', () => {
    const config = parseJsonc(wranglerConfigText) as Record<string, unknown>;

    it('parses and names the relay', () => {
        expect(config.name).toBe('resident-relay');
        expect(config.main).toBe('src/index.ts');
    });

    it('declares no storage binding of any kind, in any environment', () => {
        for (const [where, section] of sectionsOf(config)) {
            const found = STORAGE_KEYS.filter((key) => key in section);
            expect(found, `storage bindings at ${where}`).toEqual([]);
        }
    });

    it('uses only keys reviewed for a stateless relay', () => {
        for (const [where, section] of sectionsOf(config)) {
            const unreviewed = Object.keys(section).filter((key) => !ALLOWED_KEYS.has(key));
            expect(unreviewed, `unreviewed keys at ${where}`).toEqual([]);
        }
    });

    it('keeps secrets out of vars', () => {
        const vars = (config.vars ?? {}) as Record<string, unknown>;
        expect(Object.keys(vars)).not.toContain('ANTHROPIC_API_KEY');
        expect(JSON.stringify(vars)).not.toMatch(/sk-ant-/);
    });
});
