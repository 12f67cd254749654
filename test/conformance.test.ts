// The conformance corpus (test/conformance/, docs/PROTOCOL.md §12): the project's own verifiers give
// exactly the expected verdict and first error code on every case, with both crypto paths (noble,
// as in a browser, and node:crypto); and the committed corpus is exactly what the generator writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  auditLedger,
  checkPolicy,
  isCustodyError,
  nobleCrypto,
  openCheckpoint,
  parseBase64,
  parsePolicy,
  parseRecord,
  toHex,
  verifyBundle,
  type Crypto,
  type ExpectedRoot,
} from '../packages/core/src/index.js';
import { nodeCrypto } from '../packages/ledger/src/node-crypto.js';
import { main, type Io } from '../cli/src/main.js';
import { listCorpusFiles, type Case } from '../scripts/gen-conformance.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpusDir = join(root, 'test/conformance');
const { cases } = JSON.parse(readFileSync(join(corpusDir, 'cases.json'), 'utf8')) as { cases: Case[] };

interface Verdict {
  ok: boolean;
  error: string | null;
  seq?: number | null;
  warnings?: string[];
}

const read = (path: string): Uint8Array => new Uint8Array(readFileSync(join(corpusDir, path)));
const readText = (path: string): string => readFileSync(join(corpusDir, path), 'utf8');

/** splitJsonLines returns the leaves of a JSON Lines export: the bytes between "\n"s (PROTOCOL.md §10). */
export function splitJsonLines(bytes: Uint8Array): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      leaves.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) leaves.push(bytes.subarray(start)); // a last line without "\n"
  return leaves;
}

/** thrown runs `fn` and turns a CustodyError into a verdict. */
function thrown(fn: () => void): Verdict {
  try {
    fn();
    return { ok: true, error: null };
  } catch (e) {
    if (!isCustodyError(e)) throw e;
    return { ok: false, error: e.code };
  }
}

function run(c: Case, crypto: Crypto): Verdict {
  const { trust } = c;
  switch (c.kind) {
    case 'ledger': {
      const expectedRoots: ExpectedRoot[] = (trust.checkpoints ?? []).map((path) => {
        const { checkpoint } = openCheckpoint(read(path), trust.logKeys ?? [], crypto);
        return { size: checkpoint.size, rootHash: checkpoint.rootHash, source: path };
      });
      const report = auditLedger(splitJsonLines(read(c.input)), {
        crypto,
        expectedRoots,
        ...(trust.origin === undefined ? {} : { origin: trust.origin }),
        ...(trust.ledgerKey === undefined ? {} : { ledgerKey: parseBase64(trust.ledgerKey, 32) }),
        ...(trust.strict ? { strict: true } : {}),
      });
      const first = report.failures[0];
      return {
        ok: report.ok,
        error: first?.code ?? null,
        seq: first === undefined ? undefined : first.seq,
        warnings: report.warnings.map((w) => w.code),
      };
    }
    case 'record':
      return thrown(() => parseRecord(read(c.input)));
    case 'checkpoint':
      return thrown(() => openCheckpoint(read(c.input), trust.logKeys!, crypto));
    case 'policy':
      return thrown(() => checkPolicy(read(c.input), parsePolicy(readText(trust.policy!), crypto), crypto));
    case 'bundle': {
      const bundleTrust = trust.policy !== undefined ? { policy: parsePolicy(readText(trust.policy), crypto) } : { logKeys: trust.logKeys! };
      const report = verifyBundle(read(c.input), bundleTrust, crypto);
      const first = report.failures[0] ?? upstreamFailure(report);
      return { ok: report.ok, error: first?.code ?? (report.ok ? null : 'UNNAMED'), seq: first?.seq ?? null };
    }
  }
}

function upstreamFailure(report: ReturnType<typeof verifyBundle>): { code: string; seq: number | null } | undefined {
  for (const u of report.upstream) {
    const f = u.failures[0] ?? upstreamFailure(u);
    if (f !== undefined) return f;
  }
  return undefined;
}

function check(c: Case, crypto: Crypto, label: string): void {
  const got = run(c, crypto);
  // A known divergence is held to today's answer, so that fixing it shows here: then drop the
  // `divergence` from the case in scripts/gen-conformance.ts and regenerate.
  const want = c.divergence?.actual ?? c.expect;
  const where = `${c.id} (${label})${c.divergence ? ' [known divergence: ' + c.divergence.note + ']' : ''}: ${c.description}`;
  assert.is(got.ok, want.ok, `${where}: ok`);
  assert.is(got.error, want.error, `${where}: first error code`);
  if (want.seq !== undefined) assert.is(got.seq, want.seq, `${where}: seq of the first failure`);
  if (c.kind === 'ledger' && c.divergence === undefined) assert.equal(got.warnings, c.expect.warnings ?? [], `${where}: warnings`);
}

test('the corpus has at least 100 cases of every kind, each with a unique id and existing files', () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  for (const kind of ['ledger', 'record', 'checkpoint', 'policy', 'bundle']) {
    assert.ok(cases.some((c) => c.kind === kind && c.expect.ok), `a valid ${kind} case`);
    assert.ok(cases.some((c) => c.kind === kind && !c.expect.ok), `an invalid ${kind} case`);
  }
  assert.is(new Set(cases.map((c) => c.id)).size, cases.length, 'unique ids');
  const files = new Set(listCorpusFiles(corpusDir));
  for (const c of cases) {
    for (const path of [c.input, c.trust.policy, ...(c.trust.checkpoints ?? [])]) {
      if (path !== undefined) assert.ok(files.has(path), `${c.id}: ${path} exists`);
    }
    assert.is(c.expect.ok, c.expect.error === null, `${c.id}: ok exactly when there is no error code`);
    if (c.divergence) assert.not.equal(c.divergence.actual, c.expect, `${c.id}: a divergence differs from the expectation`);
  }
});

/**
 * memoized returns `crypto` with verify answers remembered: the cases share most of their records,
 * and pure-JavaScript Ed25519 is slow. Every distinct (signature, message, key) is still verified
 * once by `crypto` itself.
 */
function memoized(crypto: Crypto): Crypto {
  const answers = new Map<string, boolean>();
  return {
    ...crypto,
    verify(signature, message, publicKey) {
      const key = `${toHex(signature)}:${toHex(publicKey)}:${toHex(nodeCrypto.sha256(message))}:${message.length}`;
      let answer = answers.get(key);
      if (answer === undefined) answers.set(key, (answer = crypto.verify(signature, message, publicKey)));
      return answer;
    },
  };
}

test('core verifiers with noble (the browser path) give every case its expected verdict and first error code', () => {
  const noble = memoized(nobleCrypto);
  for (const c of cases) check(c, noble, 'noble');
});

test('core verifiers with node:crypto give every case its expected verdict and first error code', () => {
  for (const c of cases) check(c, nodeCrypto, 'node:crypto');
});

/**
 * cli runs the custody command in this process (as cli/bin/custody.js does) and returns its exit
 * status and the one JSON document it prints with --json.
 */
async function cli(argv: string[]): Promise<{ status: number; json: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  let out = '';
  const sink = { write: (chunk: string) => ((out += chunk), true) } as unknown as NodeJS.WriteStream;
  const quiet = { write: () => true } as unknown as NodeJS.WriteStream;
  const io: Io = { env: { LANG: 'C' }, stdin: process.stdin, stdout: sink, stderr: quiet };
  const status = await main([...argv, '--json'], io);
  return { status, json: JSON.parse(out) };
}

// The CLI has commands for two kinds of case: `custody bundle verify` (bundles) and `custody checkpoint
// verify --policy` (cosigned checkpoints under a policy). It has none that takes a JSON Lines export
// (`custody verify` reads a SQLite ledger), a single record, or a checkpoint under a bare log key.
test('custody bundle verify gives every bundle case its expected verdict, first error code and exit status', async () => {
  for (const c of cases.filter((x) => x.kind === 'bundle')) {
    const want = c.divergence?.actual ?? c.expect;
    const trust = c.trust.policy !== undefined ? ['--policy', join(corpusDir, c.trust.policy)] : (c.trust.logKeys ?? []).flatMap((k) => ['--log-key', k]);
    const { status, json } = await cli(['bundle', 'verify', join(corpusDir, c.input), ...trust]);
    const notABundle = want.error !== null && (want.error.startsWith('JSON_') || want.error === 'SCHEMA_INVALID');
    assert.is(status, want.ok ? 0 : notABundle ? 2 : 1, `${c.id}: exit status`);
    assert.is(json['ok'], want.ok, `${c.id}: ok`);
    assert.is(json['failures'][0]?.code ?? null, want.error, `${c.id}: first error code`);
  }
});

test('custody checkpoint verify --policy gives every policy case its expected verdict, error code and exit status', async () => {
  for (const c of cases.filter((x) => x.kind === 'policy')) {
    const { status, json } = await cli(['checkpoint', 'verify', join(corpusDir, c.input), '--policy', join(corpusDir, c.trust.policy!)]);
    assert.is(status, c.expect.ok ? 0 : c.expect.error === 'POLICY_MALFORMED' ? 2 : 1, `${c.id}: exit status`);
    assert.is(json['ok'], c.expect.ok, `${c.id}: ok`);
    assert.is(json['error']?.code ?? null, c.expect.error, `${c.id}: error code`);
  }
});

test('regenerating the corpus reproduces every committed file byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custody-conformance-'));
  try {
    const result = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'scripts/gen-conformance.ts'), dir], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.is(result.status, 0, result.stderr);
    const committed = listCorpusFiles(corpusDir);
    assert.equal(listCorpusFiles(dir), committed, 'the same file names');
    for (const path of committed) {
      assert.ok(Buffer.from(readFileSync(join(dir, path))).equals(readFileSync(join(corpusDir, path))), `${path} is byte for byte the same`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
