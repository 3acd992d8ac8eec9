// One ESLint configuration for the whole repository (ESLint 9 flat config).
// - Components: Salesforce's LWC rules run on the JavaScript we deploy (compiled from TypeScript by
//   scripts/buildComponents.ts, which keeps comments), because that is what the platform judges;
//   the TypeScript sources get typescript-eslint's rules.
// - Relay, scripts and tests: typescript-eslint's recommended rules; jest rules for component tests.
import lwcConfig from '@salesforce/eslint-config-lwc';
import lwcPlugin from '@lwc/eslint-plugin-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const deployedComponentJs = ['force-app/main/default/lwc/**/*.js'];
const typeScript = ['**/*.ts', '**/*.mts'];

export default [
    {
        ignores: [
            '**/node_modules/**',
            '.tmp/**',
            'dist/**',
            'coverage/**',
            '**/.wrangler/**',
            'relay/worker-configuration.d.ts',
            // pdf.js, bundled and minified by scripts/buildPdfJsResource.ts
            'force-app/main/default/staticresources/Resident_PdfJs.js',
            // A minified bundle of an npm package (scripts/buildComponents.ts), not our code; the
            // platform compile check still runs on it.
            'force-app/main/default/lwc/soqlParser/soqlParser.js'
        ]
    },
    ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: deployedComponentJs })),
    ...tseslint.configs.recommended.map((config) => ({ ...config, files: typeScript })),
    {
        files: typeScript,
        // Registered so `eslint-disable` comments naming LWC rules resolve in the TypeScript source.
        plugins: { '@lwc/lwc': lwcPlugin },
        // Those LWC rules run on the compiled JavaScript, so here their directives look unused.
        linterOptions: { reportUnusedDisableDirectives: 'off' },
        rules: {
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
            ]
        }
    },
    {
        files: ['relay/**/*.ts', 'scripts/**/*.ts', '**/*.mts', 'jest.config.ts'],
        languageOptions: { globals: { ...globals.node } }
    },
    {
        files: ['force-app/**/__tests__/**/*.ts', 'force-app/test/**/*.ts'],
        ...jestPlugin.configs['flat/recommended'],
        languageOptions: { globals: { ...globals.jest, ...globals.browser } }
    }
];
