/**
 * `npm run deploy -- --target-org ALIAS`: compiles the components from TypeScript, then deploys the
 * package source with the Salesforce CLI. Needs an authorised org (`sf org login web` or a scratch
 * org); it is not run on machines without one.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);
const args = process.argv.slice(2);

if (!args.includes('--target-org') && !args.includes('-o')) {
    console.error('Name the org to deploy to: npm run deploy -- --target-org ALIAS');
    process.exit(2);
}

const steps: [string, string[]][] = [
    [bin('tsx'), [path.join(repoRoot, 'scripts', 'buildComponents.ts')]],
    [
        bin('sf'),
        ['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '30', ...args]
    ]
];
for (const [command, commandArgs] of steps) {
    const result = spawnSync(command, commandArgs, {
        cwd: repoRoot,
        stdio: 'inherit',
        env: { ...process.env, SF_DISABLE_AUTOUPDATE: 'true' }
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
}
