// @custody/core must run in a browser (DESIGN §11): no Node built-ins, no Buffer, no require.
// (a) its source names none of them outside comments; (b) it bundles for the browser with esbuild,
// pulling in nothing but its own source and @noble; (c) the bundle builds, audits and catches a
// tampered ledger inside a node:vm context that holds only what a browser would give it. The
// README's example runs there too, and prints what the README says it prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build, transform, type BuildOptions } from 'esbuild';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const coreSrc = join(root, 'packages/core/src');
const coreDependencies = Object.keys(
  (JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
);

// ---------------------------------------------------------------------------------------------
// (a) the source

interface Finding {
  readonly file: string;
  readonly what: string;
  readonly line: string;
}

/** Names in code (comments removed) that a browser does not have. */
const NODE_ONLY: ReadonlyArray<[string, RegExp]> = [
  ['a node: specifier', /node:/],
  ['Buffer', /\bBuffer\b/],
  ['require(', /\brequire\s*\(/],
  ['process.', /\bprocess\s*(\.|\[|\?\.)/],
  ['__dirname or __filename', /\b__(dirname|filename)\b/],
  ['module.exports', /\bmodule\.exports\b/],
];

/**
 * scanSource lists what in `text` (a TypeScript file) would not run in a browser: Node-only names
 * in the code with comments removed (by the TypeScript printer, which knows what a comment is), and
 * module specifiers that are Node built-ins or packages core does not declare as dependencies.
 */
function scanSource(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const code = ts.createPrinter({ removeComments: true }).printFile(source);
  for (const line of code.split('\n')) {
    for (const [what, pattern] of NODE_ONLY) if (pattern.test(line)) findings.push({ file, what, line: line.trim() });
  }
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      specifiers.push(arg && ts.isStringLiteralLike(arg) ? arg.text : '<computed import()>');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    } else if (ts.isImportEqualsDeclaration(node)) {
      specifiers.push('<import = require>');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const specifier of specifiers) {
    if (specifier.startsWith('./') || specifier.startsWith('../')) continue;
    const bare = specifier.replace(/^node:/, '').split('/')[0]!;
    if (specifier.startsWith('node:') || builtinModules.includes(bare)) {
      findings.push({ file, what: 'a Node built-in module', line: specifier });
    } else if (!coreDependencies.some((d) => specifier === d || specifier.startsWith(`${d}/`))) {
      findings.push({ file, what: 'a module core does not depend on', line: specifier });
    }
  }
  return findings;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

test('core source uses no node: module, Buffer, require, process or other Node-only name', () => {
  const files = tsFiles(coreSrc);
  assert.ok(files.some((f) => f.endsWith('index.ts')) && files.some((f) => f.endsWith('validators.ts')), 'found the sources');
  const findings = files.flatMap((f) => scanSource(relative(root, f), readFileSync(f, 'utf8')));
  assert.equal(findings, [], findings.map((f) => `${f.file}: ${f.what}: ${f.line}`).join('\n'));
});

test('the source scan catches Node-only code and ignores the same words in comments', () => {
  const bad = [
    `import { createHash } from 'node:crypto';`,
    `import { readFileSync } from 'fs';`,
    `export { join } from 'path';`,
    `import yaml from 'js-yaml';`,
    `const b = Buffer.from('aa', 'hex');`,
    `const m = require ('x');`,
    `const e = process.env.HOME;`,
    `const g = globalThis.process?.versions;`,
    `const d = __dirname;`,
    `type T = import('node:fs').Stats;`,
    `const x = await import('os');`,
  ].join('\n');
  const whats = scanSource('bad.ts', bad).map((f) => f.what);
  assert.equal(whats.filter((w) => w === 'a Node built-in module').length, 5, whats.join(', '));
  assert.equal(whats.filter((w) => w === 'a module core does not depend on').length, 1);
  for (const what of ['Buffer', 'require(', 'process.', '__dirname or __filename', 'a node: specifier']) assert.ok(whats.includes(what), what);
  assert.is(whats.filter((w) => w === 'process.').length, 2);

  const fine = [
    `// Node callers inject node:crypto; no Buffer, no require(), no process.env here.`,
    `/** Unlike Buffer.from, parseHex is strict. */`,
    `export const hex = (s: string) => s; /* process.exit() never */`,
    `import { sha256 } from '@noble/hashes/sha2.js';`,
    `import { parseHex } from './codec.js';`,
    `const url = 'https://example.org/a//b';`,
  ].join('\n');
  assert.equal(scanSource('fine.ts', fine), []);
});

// ---------------------------------------------------------------------------------------------
// (b) the bundle

const BROWSER: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  globalName: 'custody',
  target: 'es2022',
  minify: true,
  write: false,
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: root,
};

interface CoreBundle {
  readonly code: string;
  readonly inputs: string[];
  readonly warnings: number;
}

let bundled: Promise<CoreBundle> | undefined;
/** bundleCore bundles packages/core/src/index.ts for the browser, once per run. */
function bundleCore(): Promise<CoreBundle> {
  bundled ??= build({ ...BROWSER, entryPoints: ['packages/core/src/index.ts'] }).then((result) => {
    assert.equal(result.errors, []);
    return {
      code: result.outputFiles![0]!.text,
      inputs: Object.keys(result.metafile!.inputs),
      warnings: result.warnings.length,
    };
  });
  return bundled;
}

test('core bundles for the browser with no warnings, from its own source and @noble only', async () => {
  const bundle = await bundleCore();
  assert.is(bundle.warnings, 0);
  const foreign = bundle.inputs.filter(
    (input) => !/^packages\/core\/src\/[\w./-]+\.ts$/.test(input) && !/(^|\/)node_modules\/@noble\/(ed25519|hashes)\//.test(input),
  );
  assert.equal(foreign, []);
  assert.ok(bundle.inputs.includes('packages/core/src/generated/validators.ts'), 'the validators are in the bundle');
  assert.ok(bundle.inputs.some((i) => i.includes('@noble/ed25519')), 'noble ed25519 is in the bundle');
  assert.not.match(bundle.code, /\brequire\b/);
  assert.not.match(bundle.code, /node:/);
});

test('the browser build fails on a Node built-in, so a clean build means there is none', async () => {
  for (const contents of [`import { createHash } from 'node:crypto'; export const h = createHash;`, `import { readFileSync } from 'fs'; export const r = readFileSync;`]) {
    const failed = await build({ ...BROWSER, stdin: { contents, resolveDir: coreSrc, loader: 'ts' } }).then(
      () => undefined,
      (e: { errors?: unknown[] }) => e,
    );
    assert.ok(failed?.errors && failed.errors.length > 0, `built: ${contents}`);
  }
});

// ---------------------------------------------------------------------------------------------
// (c) running it where only browser globals exist

/**
 * Installs, in the vm's own realm, the few web APIs core may use: TextEncoder and TextDecoder (UTF-8),
 * crypto.getRandomValues, and console.log. They return the context's own Uint8Arrays, as a browser's
 * would, so nothing passes only because Node's objects leaked in. Nothing else is added: no
 * require, process, Buffer, module or global.
 */
const WEB_GLOBALS = `(host) => {
  'use strict';
  const define = (name, value) => Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      const bytes = host.encode(String(input));
      const out = new Uint8Array(bytes.length);
      out.set(bytes);
      return out;
    }
  }
  class TextDecoder {
    #fatal; #ignoreBOM;
    constructor(label = 'utf-8', options = {}) {
      if (!/^(utf-?8|unicode-1-1-utf-8)$/i.test(String(label).trim())) throw new RangeError('only UTF-8 here');
      this.#fatal = Boolean(options.fatal);
      this.#ignoreBOM = Boolean(options.ignoreBOM);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input) { return host.decode(input, this.#fatal, this.#ignoreBOM); }
  }
  define('TextEncoder', TextEncoder);
  define('TextDecoder', TextDecoder);
  define('crypto', {
    getRandomValues(array) {
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(host.random(array.byteLength));
      return array;
    },
  });
  define('console', { log: (...args) => host.log(args.map(String).join(' ')) });
}`;

/** browserContext returns a fresh vm context with the JavaScript built-ins and WEB_GLOBALS only. */
function browserContext(log: string[] = []): vm.Context {
  // No eval or new Function either: core must also run under a strict Content-Security-Policy.
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
  const install = vm.runInContext(WEB_GLOBALS, context) as (host: unknown) => void;
  install({
    encode: (text: string) => new TextEncoder().encode(text),
    decode: (input: Uint8Array | undefined, fatal: boolean, ignoreBOM: boolean) => new TextDecoder('utf-8', { fatal, ignoreBOM }).decode(input),
    random: (n: number) => webcrypto.getRandomValues(new Uint8Array(n)),
    log: (line: string) => log.push(line),
  });
  return context;
}

interface Summary {
  ok: boolean;
  size: number;
  rootHash: string;
  failures: Array<{ seq: number | null; code: string }>;
}

test('in a browser-like context the bundle builds a ledger, audits it intact, and names the tampered record', async () => {
  const { code } = await bundleCore();
  const context = browserContext();
  vm.runInContext(code, context, { filename: 'custody-core.iife.js' });
  const scenario = readFileSync(join(root, 'test/fixtures/browser-ledger.js'), 'utf8');
  const result = JSON.parse(vm.runInContext(scenario, context, { filename: 'browser-ledger.js' }) as string) as {
    intact: Summary;
    tampered: Summary;
    flippedByte: number;
    records: string[];
    environment: Record<string, string | boolean>;
  };

  assert.equal(result.environment, {
    require: 'undefined',
    process: 'undefined',
    Buffer: 'undefined',
    module: 'undefined',
    global: 'undefined',
    leafIsRealmUint8Array: true,
  });
  assert.equal(result.records, ['ledger.genesis', 'identity.enrol', 'identity.enrol', 'item.register', 'custody.transfer']);
  assert.equal(result.intact.failures, []);
  assert.is(result.intact.ok, true);
  assert.is(result.intact.size, 5);
  assert.match(result.intact.rootHash, /^[0-9a-f]{64}$/);

  assert.ok(result.flippedByte > 0);
  assert.is(result.tampered.ok, false);
  assert.is(result.tampered.size, 5);
  assert.is.not(result.tampered.rootHash, result.intact.rootHash);
  // Record 3's own signature no longer verifies, and record 4 no longer links to it.
  assert.equal(result.tampered.failures, [
    { seq: 3, code: 'SIGNATURE_INVALID' },
    { seq: 4, code: 'CHAIN_BROKEN' },
    { seq: 4, code: 'ITEM_CHAIN_BROKEN' },
  ]);
});

test('the browser-like context has no Node globals and refuses eval', () => {
  const context = browserContext();
  const kinds = vm.runInContext(
    `JSON.stringify(['require', 'process', 'Buffer', 'module', 'exports', 'global', 'setImmediate'].map((n) => typeof globalThis[n]))`,
    context,
  ) as string;
  assert.equal(JSON.parse(kinds), Array(7).fill('undefined'));
  assert.throws(() => vm.runInContext(`eval('1')`, context));
  const bytes = vm.runInContext(`const b = new TextEncoder().encode('Kab. Tangerang'); [b instanceof Uint8Array, new TextDecoder().decode(b)].join()`, context);
  assert.is(bytes, 'true,Kab. Tangerang');
});

// ---------------------------------------------------------------------------------------------
// The example in packages/core/README.md

/** readmeExample returns the first ```ts block of the core README. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'packages/core/README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)\n```/.exec(readme);
  assert.ok(match, 'the README has a ```ts example');
  return match![1]!;
}

test('the README example runs in the browser-like context and prints what its comments say', async () => {
  const example = readmeExample();
  const imports = /^import \{([^}]*)\} from '@custody\/core';$/m;
  assert.match(example, imports);
  const script = example.replace(imports, (_, names: string) => `const {${names}} = custody;`);
  assert.not.match(script, /^\s*import\b/m, 'only @custody/core is imported');
  const { code: js } = await transform(script, { loader: 'ts', target: 'es2022' });
  const expected = [...example.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
  assert.ok(expected.length >= 2, 'the example shows its output in // → comments');

  const { code } = await bundleCore();
  const log: string[] = [];
  const context = browserContext(log);
  vm.runInContext(code, context);
  vm.runInContext(js, context, { filename: 'README.md' });
  assert.equal(log, expected);
});

test.run();
