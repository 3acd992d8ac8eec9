/**
 * Component unit tests: jest with the @salesforce/sfdx-lwc-jest configuration. Run `jest` directly
 * (the sfdx-lwc-jest wrapper ignores a TypeScript config). Components are TypeScript; the LWC jest
 * transformer strips their types, and `tsc` checks them separately.
 */
import type { Config } from 'jest';

// jest compiles this file to CommonJS (ts-node), so the CommonJS preset is required, not imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config') as { jestConfig: Config };

const config: Config = {
    ...jestConfig,
    // Test the TypeScript sources, never the generated JavaScript beside them.
    moduleFileExtensions: ['ts', 'js', 'html', 'css', 'json'],
    testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.ts'],
    moduleNameMapper: {
        ...(jestConfig.moduleNameMapper ?? {}),
        '^@resident/jest-utils$': '<rootDir>/force-app/test/jestUtils.ts',
        // Base components whose sfdx-lwc-jest stub lacks a property the real one has (see each stub).
        '^lightning/progressBar$':
            '<rootDir>/force-app/test/jest-mocks/lightning/progressBar/progressBar.ts'
    },
    modulePathIgnorePatterns: ['<rootDir>/.tmp/', '<rootDir>/dist/'],
    testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/relay/', '<rootDir>/scripts/'],
    setupFilesAfterEnv: [
        ...(jestConfig.setupFilesAfterEnv ?? []),
        '<rootDir>/force-app/test/jestSetup.ts'
    ]
};

export default config;
