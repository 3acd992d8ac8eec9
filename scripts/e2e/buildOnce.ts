import type { TestProject } from 'vitest/node';
import { buildWorkbench, type WorkbenchBuildResult } from '../workbench/build';

declare module 'vitest' {
    export interface ProvidedContext {
        workbenchBuild: WorkbenchBuildResult;
    }
}

/**
 * Builds the components and the workbench once for the whole e2e run (~25 s on two cores); each
 * test file then starts its own stack with `build: false` and reads the figures with `inject`.
 */
export default async function setup(project: TestProject): Promise<void> {
    project.provide('workbenchBuild', await buildWorkbench());
}
