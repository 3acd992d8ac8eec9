import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import type { WorkbenchBuildResult } from '../workbench/build';

declare module 'vitest' {
    export interface ProvidedContext {
        workbenchBuild: WorkbenchBuildResult;
    }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Builds the components and the workbench once for the whole e2e run (~25 s on two cores); each
 * test file then starts its own stack with `build: false` and reads the figures with `inject`.
 * The build runs in a process of its own: loaded through vitest, the LWC compiler's packages flood
 * the output with missing source map warnings.
 */
export default async function setup(project: TestProject): Promise<void> {
    const { stdout } = await promisify(execFile)(
        path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
        [path.join(repoRoot, 'scripts', 'workbench', 'build.ts'), '--json'],
        { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(
            `The workbench build failed: ${error.stderr || error.stdout || error.message}`
        );
    });
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    project.provide('workbenchBuild', JSON.parse(lastLine) as WorkbenchBuildResult);
}
