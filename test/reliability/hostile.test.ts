// Targeted hostile inputs: oversized and deeply nested bundles (and upstream chains), identifiers and
// descriptions carrying SQL, control characters, right-to-left marks and lone surrogates — through
// the library and the CLI — and directory hashing given `..` paths and symlink loops. Every refusal
// is a coded error; whatever is accepted is stored verbatim and verifies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUNDLE_LIMITS,
  canonicalBytes,
  checkManifestPath,
  isCustodyError,
  manifestBytes,
  parseBundle,
  parseManifest,
  parseStatementFile,
  utf8,
  verifyBundle,
  type Bundle,
} from '../../packages/core/src/index.js';
import { exportBundle, formatBundle, hashDirectory, Ledger, ledgerVerifierKey, nodeCrypto, signLedgerCheckpoint, verifyLedger } from '../../packages/ledger/src/index.js';
import { tempDir } from '../../packages/ledger/test/helpers.js';
import { custody, world } from '../../cli/test/helpers.js';
import { createStoryLedger, DIGESTS, people } from './fixtures.js';

const { dir, cleanup } = tempDir('custody-hostile-');

/** refusedWith runs `fn` and returns the CustodyError code it throws (failing on anything else). */
function refusedWith(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isCustodyError(e), `a coded error, not ${String(e)}`);
    return (e as { code: string }).code;
  }
  assert.unreachable('was accepted');
  return '';
}

const register = (item: string, description = 'Ponsel') => ({ type: 'item.register' as const, item, actor: 'budi', data: { kind: 'phone', description, digests: DIGESTS } });

test('bundles: over the size limit, nested past the depth limit, and upstream chains past their limit are refused with codes', () => {
  const path = join(dir, 'bundle.db');
  const ledger = createStoryLedger(path);
  ledger.append(register('BB-1'), people.budi);
  signLedgerCheckpoint(ledger, people.ledger);
  const bundle = exportBundle(ledger, ['BB-1']);
  const logKeys = [ledgerVerifierKey(ledger)];
  ledger.close();
  assert.ok(verifyBundle(formatBundle(bundle), { logKeys }, nodeCrypto).ok, 'the bundle itself verifies');

  const oversized = new Uint8Array(BUNDLE_LIMITS.maxBytes + 1).fill(0x20);
  assert.is(refusedWith(() => parseBundle(oversized)), 'JSON_TOO_LARGE');
  const deep = 200_000;
  assert.is(refusedWith(() => parseBundle(`${'['.repeat(deep)}${']'.repeat(deep)}`)), 'JSON_TOO_DEEP');
  const nestedData = structuredClone(bundle) as unknown as { records: { record: { data: Record<string, unknown> } }[] };
  let inner: Record<string, unknown> = {};
  nestedData.records[nestedData.records.length - 1]!.record.data['deep'] = inner;
  for (let i = 0; i < 150; i++) inner = (inner['x'] = {}) as Record<string, unknown>;
  assert.ok(['JSON_TOO_DEEP', 'BUNDLE_MALFORMED', 'SCHEMA_INVALID'].includes(refusedWith(() => parseBundle(JSON.stringify(nestedData)))));

  // An upstream chain deeper than BUNDLE_LIMITS.maxUpstreamDepth: refused, or verified as not intact.
  let chain: Bundle = bundle;
  for (let i = 0; i <= BUNDLE_LIMITS.maxUpstreamDepth + 2; i++) chain = { ...bundle, upstream: [chain] } as Bundle;
  const text = new TextDecoder().decode(canonicalBytes(chain));
  let parsed: Bundle | undefined;
  try {
    parsed = parseBundle(text);
  } catch (e) {
    assert.ok(isCustodyError(e), String(e));
  }
  if (parsed !== undefined) assert.not.ok(verifyBundle(parsed, { logKeys }, nodeCrypto).ok, 'a too deep upstream chain is never intact');
});

test('identifiers carrying SQL, control characters, right-to-left marks or lone surrogates are refused; nothing is written', () => {
  const path = join(dir, 'ids.db');
  const ledger = createStoryLedger(path);
  const size = ledger.size();
  for (const id of ["BB-1'); DROP TABLE records;--", 'BB-1" OR 1=1 --', 'BB\u0000-1', 'BB-1\n', 'BB-\u202e1-gnp', 'BB-\ud800', '../BB-1', '', 'x'.repeat(129)]) {
    const code = refusedWith(() => ledger.append(register(id), people.budi));
    assert.ok(['SCHEMA_INVALID', 'JSON_LONE_SURROGATE'].includes(code), `${JSON.stringify(id)}: ${code}`);
  }
  assert.is(ledger.size(), size, 'nothing written');
  ledger.close();
});

test('descriptions carrying SQL (and tabs, newlines) are stored verbatim and verify; control characters, right-to-left marks and lone surrogates are refused', async () => {
  const path = join(dir, 'text.db');
  const ledger = createStoryLedger(path);
  const sqlTexts = ["x'); DROP TABLE records;--", 'Robert"); DELETE FROM items; --', "1' OR '1'='1", 'tab\tand\nnewline (allowed in text)'];
  sqlTexts.forEach((t, i) => ledger.append(register(`BB-T${i}`, t), people.budi));
  sqlTexts.forEach((t, i) => assert.is(ledger.timeline(`BB-T${i}`)[0]!.record.data['description'], t, 'stored verbatim'));
  const size = ledger.size();
  for (const t of ['bell\u0007', 'Ponsel \u202egnp.exe', '\u0000nul', '\u001b[31mmerah\u001b[0m', 'a\rb', 'next\u0085line']) {
    assert.is(refusedWith(() => ledger.append(register('BB-C', t), people.budi)), 'SCHEMA_INVALID', JSON.stringify(t));
  }
  assert.is(refusedWith(() => ledger.append(register('BB-S', 'lone \ud800 surrogate'), people.budi)), 'JSON_LONE_SURROGATE');
  assert.is(refusedWith(() => parseStatementFile('{"format":"custody-statement/v1","statement":{"x":"\\ud800"}}')), 'JSON_LONE_SURROGATE');
  assert.is(ledger.size(), size, 'nothing written by a refusal');
  ledger.close();
  const report = await verifyLedger(path, { threads: 0 });
  assert.equal(report.failures, []);
  const reopened = Ledger.open(path, { readonly: true });
  assert.is(reopened.items().length, sqlTexts.length, 'the tables are all still there');
  reopened.close();
});

test('the CLI refuses an item id carrying SQL with exit 2 and a code, and a hostile statement file with exit 2', async () => {
  const w = world();
  try {
    const before = w.size();
    const r = await custody(['item', 'register', "BB-9'); DROP TABLE records;--", '--kind', 'phone', '--description', 'x', '--digest', `sha256:${'ab'.repeat(32)}`, '--key', w.key('budi'), '--json'], w.env);
    assert.is(r.status, 2, r.stdout);
    assert.ok((JSON.parse(r.stdout) as { error: { code: string } }).error.code.length > 0);
    for (const [name, body] of [
      ['deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['dup.json', '{"format":"custody-statement/v1","format":"x","statement":{}}'],
      ['surrogate.json', '{"format":"custody-statement/v1","statement":{"type":"\\udc00"}}'],
      ['float.json', '{"format":"custody-statement/v1","statement":{"v":1.5}}'],
      ['big.json', `{"format":"custody-statement/v1","statement":{"x":"${'a'.repeat(2 * 1024 * 1024)}"}}`],
    ] as const) {
      writeFileSync(join(w.dir, name), body);
      const s = await custody(['transfer', '--statement', join(w.dir, name), '--cosig', 'sari:AAAA', '--key', w.key('budi'), '--json'], w.env);
      assert.is(s.status, 2, `${name}: ${s.stdout}${s.stderr}`);
      const doc = JSON.parse(s.stdout) as { error: { code: string } };
      assert.ok(/^[A-Z_]+$/.test(doc.error.code) && doc.error.code !== 'INTERNAL', `${name}: ${doc.error.code}`);
    }
    assert.is(w.size(), before, 'nothing written');
  } finally {
    w.cleanup();
  }
});

test('directory hashing: symlink loops and links to .. are skipped, never followed; manifests refuse .. paths', async () => {
  const root = join(dir, 'evidence');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'a.bin'), 'a');
  writeFileSync(join(root, 'sub', 'b.bin'), 'b');
  symlinkSync('.', join(root, 'sub', 'loop'));
  symlinkSync('..', join(root, 'sub', 'up'));
  symlinkSync(join(root, 'self-a'), join(root, 'self-a'));
  symlinkSync('../../..', join(root, 'escape'));
  const hashed = await hashDirectory(root, [], { threads: 1 });
  assert.equal(hashed.entries.map((e) => e.path), ['a.bin', 'sub/b.bin']);
  assert.equal(hashed.skipped.map((s) => [s.path, s.kind]), [['escape', 'symlink'], ['self-a', 'symlink'], ['sub/loop', 'symlink'], ['sub/up', 'symlink']]);
  for (const path of ['../a', 'a/../b', './a', '/a', 'a//b', 'a/', '..', 'a\u0000b']) {
    assert.is(refusedWith(() => checkManifestPath(path)), 'SCHEMA_INVALID', path);
  }
  const good = manifestBytes([{ path: 'a.bin', size: 1, digests: { sha256: 'ab'.repeat(32) } }]);
  const evil = new TextDecoder().decode(good).replace('a.bin', '../a.bin');
  assert.ok(['SCHEMA_INVALID', 'JSON_NOT_CANONICAL'].includes(refusedWith(() => parseManifest(utf8(evil)))));
});

test.after(cleanup);
test.run();
