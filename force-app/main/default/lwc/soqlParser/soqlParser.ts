/**
 * A real SOQL parser for the components: `@jetstreamapp/soql-parser-js` (MIT, built on chevrotain,
 * Apache-2.0). Components on the platform cannot import npm packages, so `npm run
 * build:components` bundles this entry with the package into one self-contained, minified ES
 * module, `soqlParser.js`, which deploys as this service component; this TypeScript entry never
 * deploys (.forceignore). jest and tsc read this file and resolve the package from node_modules.
 *
 * Export only what the components use: the bundle's size is paid on every page that loads it.
 */
export { parseQuery, composeQuery } from '@jetstreamapp/soql-parser-js';
export type {
    Condition,
    FieldType,
    FunctionExp,
    GroupByClause,
    HavingClause,
    OrderByClause,
    Query,
    Subquery,
    WhereClause
} from '@jetstreamapp/soql-parser-js';
