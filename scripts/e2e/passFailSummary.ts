import type { Reporter, TestModule } from 'vitest/node';

/** Ends the run with `N passed, M failed`, the line `npm test` sums across layers. */
export default class PassFailSummary implements Reporter {
    onTestRunEnd(
        testModules: ReadonlyArray<TestModule>,
        unhandledErrors: ReadonlyArray<unknown>
    ): void {
        let passed = 0;
        let failed = unhandledErrors.length;
        for (const testModule of testModules) {
            let failedInModule = 0;
            for (const test of testModule.children.allTests()) {
                const state = test.result().state;
                if (state === 'passed') passed += 1;
                if (state === 'failed') failedInModule += 1;
            }
            // A file whose setup failed (e.g. Chromium missing) counts once, its tests skipped.
            failed +=
                testModule.state() === 'failed' ? Math.max(1, failedInModule) : failedInModule;
        }
        // Listed after the default reporter, so this follows its summary as the last line.
        process.stdout.write(`${passed} passed, ${failed} failed\n`);
    }
}
