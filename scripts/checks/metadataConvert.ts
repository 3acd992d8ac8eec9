/**
 * Converts the package source to Metadata API format with the Salesforce CLI, as a deploy or a
 * package version build would, and checks nothing was lost on the way: the CLI silently drops an
 * Apex class without its -meta.xml, so every source component must appear in the generated
 * package.xml; TypeScript must never reach the output. The CLI copies most XML files without
 * parsing them, so each metadata XML file is also checked to be well-formed here, and what permission
 * sets, tabs and apps refer to is checked to exist (and to be allowed: no field permissions on
 * required or master-detail fields), which only a deploy would otherwise catch.
 *
 * Run after scripts/buildComponents.ts (LWC bundles deploy the generated .js).
 * Usage: npx tsx scripts/checks/metadataConvert.ts [packageDirectory]   (default: force-app)
 */
import { XMLValidator } from 'fast-xml-parser';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sfBin = path.join(repoRoot, 'node_modules', '.bin', 'sf');

/** Offline and quiet: no update checks, no telemetry leaving the machine. */
const SF_ENV = {
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_HIDE_RELEASE_NOTES: 'true'
};

/**
 * Source folders we use and how their files name a Metadata API member. A folder not listed here
 * fails the check, so a new kind of metadata is added here rather than going unchecked.
 */
const SOURCE_FOLDERS: Record<string, { type: string; suffix: string } | 'objects' | 'lwc'> = {
    classes: { type: 'ApexClass', suffix: '.cls' },
    triggers: { type: 'ApexTrigger', suffix: '.trigger' },
    applications: { type: 'CustomApplication', suffix: '.app-meta.xml' },
    tabs: { type: 'CustomTab', suffix: '.tab-meta.xml' },
    customMetadata: { type: 'CustomMetadata', suffix: '.md-meta.xml' },
    customPermissions: { type: 'CustomPermission', suffix: '.customPermission-meta.xml' },
    permissionsets: { type: 'PermissionSet', suffix: '.permissionset-meta.xml' },
    permissionsetgroups: { type: 'PermissionSetGroup', suffix: '.permissionsetgroup-meta.xml' },
    cspTrustedSites: { type: 'CspTrustedSite', suffix: '.cspTrustedSite-meta.xml' },
    connectedApps: { type: 'ConnectedApp', suffix: '.connectedApp-meta.xml' },
    remoteSiteSettings: { type: 'RemoteSiteSetting', suffix: '.remoteSite-meta.xml' },
    flexipages: { type: 'FlexiPage', suffix: '.flexipage-meta.xml' },
    labels: { type: 'CustomLabels', suffix: '.labels-meta.xml' },
    staticresources: { type: 'StaticResource', suffix: '.resource-meta.xml' },
    messageChannels: { type: 'LightningMessageChannel', suffix: '.messageChannel-meta.xml' },
    objects: 'objects',
    lwc: 'lwc'
};

/** Child folders of an object and the member type each holds (Object.Child). */
const OBJECT_CHILDREN: Record<string, { type: string; suffix: string }> = {
    fields: { type: 'CustomField', suffix: '.field-meta.xml' },
    listViews: { type: 'ListView', suffix: '.listView-meta.xml' },
    validationRules: { type: 'ValidationRule', suffix: '.validationRule-meta.xml' },
    recordTypes: { type: 'RecordType', suffix: '.recordType-meta.xml' }
};

interface Check {
    name: string;
    ok: boolean;
    detail?: string;
}

async function listDir(dir: string) {
    return existsSync(dir) ? readdir(dir, { withFileTypes: true }) : [];
}

/** Every component the source holds, as `Type:Member`, plus the checks that need no CLI. */
async function readSource(packageDir: string, checks: Check[]): Promise<Set<string>> {
    const expected = new Set<string>();
    const defaultDir = path.join(packageDir, 'main', 'default');
    for (const folder of await listDir(defaultDir)) {
        if (!folder.isDirectory()) continue;
        const kind = SOURCE_FOLDERS[folder.name];
        const folderPath = path.join(defaultDir, folder.name);
        if (kind === undefined) {
            checks.push({
                name: `${folder.name}/ is a known metadata folder`,
                ok: false,
                detail: `add ${folder.name} to SOURCE_FOLDERS in scripts/checks/metadataConvert.ts`
            });
            continue;
        }
        if (kind === 'lwc') {
            for (const bundle of await listDir(folderPath)) {
                if (!bundle.isDirectory() || bundle.name.startsWith('__')) continue;
                expected.add(`LightningComponentBundle:${bundle.name}`);
                const js = path.join(folderPath, bundle.name, `${bundle.name}.js`);
                checks.push({
                    name: `lwc/${bundle.name} has its deployable ${bundle.name}.js`,
                    ok: existsSync(js),
                    detail: 'run npm run build:components first (it compiles the TypeScript)'
                });
            }
            continue;
        }
        if (kind === 'objects') {
            for (const object of await listDir(folderPath)) {
                if (!object.isDirectory()) continue;
                expected.add(`CustomObject:${object.name}`);
                for (const child of await listDir(path.join(folderPath, object.name))) {
                    const childKind = OBJECT_CHILDREN[child.name];
                    if (!child.isDirectory()) continue;
                    if (!childKind) {
                        checks.push({
                            name: `objects/${object.name}/${child.name}/ is a known folder`,
                            ok: false,
                            detail: 'add it to OBJECT_CHILDREN in scripts/checks/metadataConvert.ts'
                        });
                        continue;
                    }
                    for (const file of await listDir(
                        path.join(folderPath, object.name, child.name)
                    )) {
                        if (file.isFile() && file.name.endsWith(childKind.suffix)) {
                            const member = file.name.slice(0, -childKind.suffix.length);
                            expected.add(`${childKind.type}:${object.name}.${member}`);
                        }
                    }
                }
            }
            continue;
        }
        const names = new Set(
            (await listDir(folderPath)).filter((f) => f.isFile()).map((f) => f.name)
        );
        for (const file of names) {
            if (!file.endsWith(kind.suffix)) continue;
            const member = file.slice(0, -kind.suffix.length);
            expected.add(`${kind.type}:${member}`);
            if (kind.type === 'StaticResource') {
                // Generated resources (pdf.js) are built, not committed: convert would drop them.
                checks.push({
                    name: `staticresources/${member} has its content file`,
                    ok: [...names].some((n) => n !== file && n.startsWith(`${member}.`)),
                    detail: 'run npm run build:components first (it builds the static resources)'
                });
            }
            // Apex source needs its -meta.xml, or the CLI drops it without a word.
            if (kind.type === 'ApexClass' || kind.type === 'ApexTrigger') {
                checks.push({
                    name: `${folder.name}/${file} has ${file}-meta.xml`,
                    ok: names.has(`${file}-meta.xml`),
                    detail: 'without it the class is silently left out of the package'
                });
            }
        }
    }
    return expected;
}

/** Members listed in the generated package.xml, as `Type:Member`. */
function readManifest(xml: string): Set<string> {
    const listed = new Set<string>();
    for (const block of xml.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
        const body = block[1] ?? '';
        const type = /<name>([^<]+)<\/name>/.exec(body)?.[1];
        if (!type) continue;
        for (const member of body.matchAll(/<members>([^<]+)<\/members>/g)) {
            listed.add(`${type}:${member[1]}`);
        }
    }
    return listed;
}

function runSf(args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(sfBin, args, {
            cwd: repoRoot,
            env: { ...process.env, ...SF_ENV },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}` }));
        child.on('close', (code) => resolve({ code: code ?? 1, output }));
    });
}

async function findFiles(dir: string, pattern: RegExp): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries
        .filter((e) => e.isFile() && pattern.test(e.name))
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** One check per metadata XML file: a malformed file would otherwise fail only on deploy. */
async function checkXmlWellFormed(packageDir: string, checks: Check[]): Promise<void> {
    const defaultDir = path.join(packageDir, 'main', 'default');
    const files = existsSync(defaultDir) ? await findFiles(defaultDir, /\.xml$/) : [];
    for (const file of files.filter((f) => !f.split(path.sep).includes('__tests__')).sort()) {
        const result = XMLValidator.validate(await readFile(path.join(defaultDir, file), 'utf8'));
        checks.push({
            name: `${file} is well-formed XML`,
            ok: result === true,
            detail:
                result === true
                    ? undefined
                    : `line ${result.err.line}:${result.err.col} ${result.err.msg}`
        });
    }
}

/** The first text of each `<tag>` in an XML string. */
function tagValues(xml: string, tag: string): string[] {
    return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');
}

/**
 * The icons a custom tab may have (CustomTab `motif`): Salesforce's fixed list, by number and name.
 * A deploy rejects any other value, and the CLI's conversion does not look.
 */
const TAB_MOTIFS = new Set(
    (
        '1 Heart|2 Fan|3 Sun|4 Hexagon|5 Leaf|6 Triangle|7 Square|8 Diamond|9 Lightning|10 Moon|' +
        '11 Star|12 Circle|13 Box|14 Hands|15 People|16 Bank|17 Sack|18 Form|19 Wrench|' +
        '20 Airplane|21 Computer|22 Telephone|23 Envelope|24 Building|25 Alarm clock|26 Flag|' +
        '27 Laptop|28 Cell phone|29 PDA|30 Radar dish|31 Car|32 Factory|33 Desk|34 Insect|' +
        '35 Microphone|36 Train|37 Bridge|38 Camera|39 Telescope|40 Credit card|41 Cash|42 Treasure chest|' +
        '43 Jewel|44 Hammer|45 Ticket|46 Stamp|47 Knight|48 Trophy|49 CD/DVD|50 Big top|51 Apple|' +
        '52 Balls|53 Bell|54 Boat|55 Books|56 Bottle|57 Building Block|58 Caduceus|59 Can|60 Umbrella|' +
        '61 Castle|62 Chalkboard|63 Chip|64 Compass|65 Cup|66 Dice|67 Gears|68 Globe|69 Guitar|' +
        '70 Handsaw|71 Headset|72 Helicopter|73 Highway Sign|74 Hot Air Balloon|75 IP Phone|76 Keys|' +
        '77 Locked|78 Map|79 Measuring Tape|80 Motorcycle|81 Musical Note|82 Whistle|83 Pencil|' +
        '84 Presenter|85 Real Estate Sign|86 Red Cross|87 Safe|88 Sailboat|89 Saxophone|90 Scales|' +
        '91 Shield|92 Ship|93 Shopping Cart|94 Stethoscope|95 Stopwatch|96 Street Sign|97 Thermometer|' +
        '98 Truck|99 TV CRT|100 TV Widescreen'
    )
        .split('|')
        .map((entry) => entry.replace(/^(\d+) /, 'Custom$1: '))
);

/**
 * What the CLI's conversion does not look at but a deploy rejects: a permission set or app that
 * names an object, field or tab the package does not have, and field permissions on fields that
 * cannot carry them (required fields and master-detail fields get their access from the object).
 */
async function checkReferences(packageDir: string, checks: Check[]): Promise<void> {
    const defaultDir = path.join(packageDir, 'main', 'default');
    const objectsDir = path.join(defaultDir, 'objects');
    const objects = new Set<string>();
    const fields = new Map<string, string>(); // Object.Field -> why it cannot have FLS, or ''
    for (const object of await listDir(objectsDir)) {
        if (!object.isDirectory()) continue;
        objects.add(object.name);
        for (const file of await listDir(path.join(objectsDir, object.name, 'fields'))) {
            if (!file.name.endsWith('.field-meta.xml')) continue;
            const xml = await readFile(
                path.join(objectsDir, object.name, 'fields', file.name),
                'utf8'
            );
            const why = tagValues(xml, 'type').includes('MasterDetail')
                ? 'a master-detail field'
                : tagValues(xml, 'required').includes('true')
                  ? 'a required field'
                  : '';
            fields.set(`${object.name}.${file.name.slice(0, -'.field-meta.xml'.length)}`, why);
        }
    }
    const tabs = new Set(
        (await listDir(path.join(defaultDir, 'tabs')))
            .filter((f) => f.name.endsWith('.tab-meta.xml'))
            .map((f) => f.name.slice(0, -'.tab-meta.xml'.length))
    );
    for (const tab of tabs) {
        const tabXml = await readFile(path.join(defaultDir, 'tabs', `${tab}.tab-meta.xml`), 'utf8');
        const [component] = tagValues(tabXml, 'lwcComponent');
        const [motif] = tagValues(tabXml, 'motif');
        checks.push({
            name: `tabs/${tab} has one of Salesforce's tab icons`,
            ok: TAB_MOTIFS.has(motif ?? ''),
            detail: `"${motif ?? ''}" is not a CustomTab motif (e.g. "Custom19: Wrench")`
        });
        if (component) {
            // A Lightning component tab: its component must exist and be exposed for tabs.
            const meta = await readFile(
                path.join(defaultDir, 'lwc', component, `${component}.js-meta.xml`),
                'utf8'
            ).catch(() => '');
            checks.push({
                name: `tabs/${tab} shows the component ${component}`,
                ok:
                    tagValues(meta, 'isExposed').includes('true') &&
                    tagValues(meta, 'target').includes('lightning__Tab'),
                detail: `lwc/${component} must exist, be exposed and target lightning__Tab`
            });
            continue;
        }
        checks.push({
            name: `tabs/${tab} is the tab of a package object`,
            ok: objects.has(tab),
            detail: 'a custom object tab is named after its object'
        });
    }
    const isOurs = (name: string) => /__(c|mdt)$/.test(name);
    // Tabs: every one that is not a standard tab (`standard-Account`) must be the package's own.
    const isOurTab = (name: string) => name !== '' && !name.startsWith('standard-');
    for (const file of await listDir(path.join(defaultDir, 'permissionsets'))) {
        if (!file.name.endsWith('.permissionset-meta.xml')) continue;
        const xml = await readFile(path.join(defaultDir, 'permissionsets', file.name), 'utf8');
        const where = `permissionsets/${file.name}`;
        for (const block of xml.matchAll(/<objectPermissions>([\s\S]*?)<\/objectPermissions>/g)) {
            const object = tagValues(block[1] ?? '', 'object')[0] ?? '';
            if (!isOurs(object)) continue;
            checks.push({ name: `${where}: object ${object} exists`, ok: objects.has(object) });
        }
        for (const block of xml.matchAll(/<fieldPermissions>([\s\S]*?)<\/fieldPermissions>/g)) {
            const field = tagValues(block[1] ?? '', 'field')[0] ?? '';
            if (!isOurs(field.split('.')[0] ?? '')) continue;
            const why = fields.get(field);
            checks.push({
                name: `${where}: field permission on ${field}`,
                ok: why === '',
                detail:
                    why === undefined
                        ? 'no such field in the package'
                        : `${why} cannot have field permissions; a deploy rejects them`
            });
        }
        for (const block of xml.matchAll(/<tabSettings>([\s\S]*?)<\/tabSettings>/g)) {
            const tab = tagValues(block[1] ?? '', 'tab')[0] ?? '';
            if (isOurTab(tab))
                checks.push({ name: `${where}: tab ${tab} exists`, ok: tabs.has(tab) });
        }
    }
    for (const file of await listDir(path.join(defaultDir, 'applications'))) {
        if (!file.name.endsWith('.app-meta.xml')) continue;
        const xml = await readFile(path.join(defaultDir, 'applications', file.name), 'utf8');
        for (const tab of tagValues(xml, 'tabs').filter(isOurTab)) {
            checks.push({
                name: `applications/${file.name}: tab ${tab} exists`,
                ok: tabs.has(tab)
            });
        }
    }
}

async function main(): Promise<number> {
    const packageDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'force-app'));
    const checks: Check[] = [];
    const expected = await readSource(packageDir, checks);
    await checkXmlWellFormed(packageDir, checks);
    await checkReferences(packageDir, checks);

    const outDir = await mkdtemp(path.join(os.tmpdir(), 'resident-convert-'));
    try {
        const converted = path.join(outDir, 'mdapi');
        const started = Date.now();
        const { code, output } = await runSf([
            'project',
            'convert',
            'source',
            '--root-dir',
            packageDir,
            '--output-dir',
            converted,
            '--json'
        ]);
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        checks.push({
            name: `sf project convert source succeeds (${seconds} s)`,
            ok: code === 0,
            detail: output.trim()
        });
        const manifestPath = path.join(converted, 'package.xml');
        if (code === 0 && existsSync(manifestPath)) {
            const listed = readManifest(await readFile(manifestPath, 'utf8'));
            for (const member of [...expected].sort()) {
                checks.push({
                    name: `package.xml lists ${member}`,
                    ok: listed.has(member),
                    detail: 'the CLI left it out of the converted package'
                });
            }
            const typeScript = await findFiles(converted, /\.ts$/);
            checks.push({
                name: 'no TypeScript in the converted package (.forceignore)',
                ok: typeScript.length === 0,
                detail: typeScript.join(', ')
            });
        }
    } finally {
        await rm(outDir, { recursive: true, force: true });
    }

    for (const check of checks) {
        if (!check.ok)
            console.error(`FAIL ${check.name}${check.detail ? `: ${check.detail}` : ''}`);
    }
    const failed = checks.filter((c) => !c.ok).length;
    const passed = checks.length - failed;
    console.log(
        `Converted ${path.relative(process.cwd(), packageDir) || '.'}: ${expected.size} component(s) expected`
    );
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        console.log('0 passed, 1 failed');
        process.exitCode = 1;
    }
);
