// Interop with Go's golang.org/x/mod/sumdb/note (DESIGN §8: a checkpoint "must open with Go's
// sumdb/note"). Builds test/interop/go offline from the Debian packages and runs it on notes made
// here, and checks here what Go makes. Needs `go` and the x/mod sources: with no Go, these tests fail.
//
//   apt-get install -y golang-go golang-golang-x-mod-dev
//
// The program is built in GOPATH mode (GO111MODULE=off) with GOPATH=/usr/share/gocode, where the
// Debian package puts golang.org/x/mod; set INTEROP_GOPATH to use another tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedSigner } from '../packages/core/src/crypto.js';
import { isCustodyError } from '../packages/core/src/errors.js';
import { formatCheckpoint, openCheckpoint, signCheckpoint } from '../packages/core/src/checkpoint.js';
import { utf8 } from '../packages/core/src/codec.js';
import { leafHash, MemoryHashStore, treeHash } from '../packages/core/src/merkle.js';
import { proveConsistency, proveInclusion } from '../packages/core/src/proof.js';
import { addCosignatures, checkCosignature, cosignCheckpoint, cosignatureVerifier } from '../packages/core/src/cosignature.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  createVerifierKey,
  formatVerifierKey,
  noteSigner,
  noteVerifier,
  openNote,
  signNote,
} from '../packages/core/src/note.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const GOPATH = process.env.INTEROP_GOPATH ?? '/usr/share/gocode';

type Request =
  | { op: 'open'; note: string; vkeys: string[] }
  | { op: 'sign'; text: string; name: string; seed: string }
  | { op: 'vkey'; name: string; seed: string; type: number }
  | { op: 'cosign'; text: string; name: string; seed: string; timestamp: number }
  | { op: 'inclusion'; index: number; size: number; leaf: string; root: string; proof: string[] }
  | { op: 'consistency'; old: number; size: number; oldRoot: string; root: string; proof: string[] }
  | { op: 'treehash'; leaves: string[] };
interface Answer {
  ok: boolean;
  error?: string;
  verified?: string[];
  unverified?: string[];
  note?: string;
  vkey?: string;
  line?: string;
  root?: string;
}

let binary: string | undefined;

/** go runs the interop program on a batch of requests and returns its answers. */
function go(requests: Request[]): Answer[] {
  assert.ok(binary, 'the Go interop program was not built (see the first test)');
  const run = spawnSync(binary, { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.is(run.status, 0, `interop program failed: ${run.stderr}`);
  const answers = JSON.parse(run.stdout) as Answer[];
  assert.is(answers.length, requests.length);
  return answers;
}

function openInGo(note: string | Uint8Array, vkeys: string[]): Request {
  const bytes = typeof note === 'string' ? Buffer.from(note, 'utf8') : Buffer.from(note);
  return { op: 'open', note: bytes.toString('base64'), vkeys };
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCustodyError(e) ? e.code : `not a CustodyError: ${String(e)}`;
  }
  return undefined;
}

const seedHex = (byte: number): string => Buffer.alloc(32, byte).toString('hex');
const ORIGIN = 'ledger.example.polri.go.id/2026';
const ledger = seedSigner(new Uint8Array(32).fill(1));
const ledgerKey = createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ledger.publicKey);
const WITNESSES = [
  { name: 'witness.example.kejaksaan.go.id', seed: 4 },
  { name: 'witness.example.pengadilan.go.id', seed: 5 },
].map((w) => {
  const signer = seedSigner(new Uint8Array(32).fill(w.seed));
  return { ...w, signer, key: createVerifierKey(w.name, SIGNATURE_TYPE_COSIGNATURE_V1, signer.publicKey) };
});

test('the interop program builds offline against golang.org/x/mod/sumdb/note', () => {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  assert.ok(
    version.error === undefined && version.status === 0,
    'Go is not installed: apt-get install -y golang-go golang-golang-x-mod-dev',
  );
  assert.ok(
    existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/note/note.go')),
    `golang.org/x/mod is not in ${GOPATH}: apt-get install -y golang-golang-x-mod-dev`,
  );
  const out = join(mkdtempSync(join(tmpdir(), 'custody-interop-')), 'interop');
  const build = spawnSync('go', ['build', '-o', out, './test/interop/go'], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH,
      GOFLAGS: '',
      GOTOOLCHAIN: 'local',
      GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'custody-interop-gocache'),
    },
  });
  assert.is(build.status, 0, `go build failed: ${build.stderr}`);
  binary = out;
});

test('Go formats the same verifier keys from the same seeds', () => {
  const [log, w0, w1] = go([
    { op: 'vkey', name: ORIGIN, seed: seedHex(1), type: 1 },
    { op: 'vkey', name: WITNESSES[0]!.name, seed: seedHex(4), type: 4 },
    { op: 'vkey', name: WITNESSES[1]!.name, seed: seedHex(5), type: 4 },
  ]);
  assert.is(log!.vkey, formatVerifierKey(ledgerKey));
  assert.is(w0!.vkey, formatVerifierKey(WITNESSES[0]!.key));
  assert.is(w1!.vkey, formatVerifierKey(WITNESSES[1]!.key));
});

test('Go sumdb/note opens checkpoints signed by signCheckpoint', () => {
  const vkey = formatVerifierKey(ledgerKey);
  const checkpoints = [
    { origin: ORIGIN, size: 0, rootHash: new Uint8Array(32) },
    { origin: ORIGIN, size: 5, rootHash: new Uint8Array(32).fill(0x29) },
    { origin: ORIGIN, size: Number.MAX_SAFE_INTEGER, rootHash: new Uint8Array(32).fill(0xff) },
    { origin: ORIGIN, size: 77, rootHash: new Uint8Array(32).fill(7), extensions: ['custody/v1', 'ext — two'] },
  ];
  const answers = go(checkpoints.map((c) => openInGo(signCheckpoint(c, ledger), [vkey])));
  for (const a of answers) {
    assert.ok(a.ok, a.error);
    assert.equal(a.verified, [`${ORIGIN}+${vkey.split('+')[1]}`]);
  }
  // And Go rejects it under a key it does not know.
  const stranger = formatVerifierKey(createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, seedSigner(new Uint8Array(32).fill(9)).publicKey));
  const [unknown] = go([openInGo(signCheckpoint(checkpoints[1]!, ledger), [stranger])]);
  assert.is(unknown!.ok, false);
  assert.match(unknown!.error ?? '', 'no verifiable signatures');
});

test('Go opens a checkpoint cosigned here and verifies each cosignature/v1', () => {
  const text = formatCheckpoint({ origin: ORIGIN, size: 12, rootHash: new Uint8Array(32).fill(0x12) });
  const lines = WITNESSES.map((w, i) => cosignCheckpoint(text, w.name, w.signer, 1764295200 + i));
  const note = addCosignatures(signCheckpoint({ origin: ORIGIN, size: 12, rootHash: new Uint8Array(32).fill(0x12) }, ledger), lines);
  const vkeys = [ledgerKey, ...WITNESSES.map((w) => w.key)].map(formatVerifierKey);
  const [all, logOnly] = go([openInGo(note, vkeys), openInGo(note, vkeys.slice(0, 1))]);
  assert.ok(all!.ok, all!.error);
  assert.equal(all!.verified, vkeys.map((k) => k.split('+').slice(0, 2).join('+')));
  assert.ok(logOnly!.ok, logOnly!.error);
  assert.equal(logOnly!.unverified, vkeys.slice(1).map((k) => k.split('+').slice(0, 2).join('+')));
  // A cosignature moved onto another checkpoint fails in Go too.
  const other = signCheckpoint({ origin: ORIGIN, size: 13, rootHash: new Uint8Array(32).fill(0x12) }, ledger);
  const [moved] = go([openInGo(addCosignatures(other, lines.slice(0, 1)), vkeys)]);
  assert.is(moved!.ok, false);
  assert.match(moved!.error ?? '', 'invalid signature');
});

test('notes signed by Go note.Sign open with openNote, and signNote makes the same bytes', () => {
  const texts = [
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
    'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n',
    formatCheckpoint({ origin: ORIGIN, size: 3, rootHash: new Uint8Array(32).fill(3) }),
    '\n',
    'a\n\n\nb\n',
    'Barang bukti — 証拠 — 🔒\n',
  ];
  const name = 'go.example/signer';
  const [vkeyAnswer, ...signed] = go([
    { op: 'vkey', name, seed: seedHex(0x42), type: 1 },
    ...texts.map((text): Request => ({ op: 'sign', text, name, seed: seedHex(0x42) })),
  ]);
  const vkey = vkeyAnswer!.vkey!;
  const signer = noteSigner(name, seedSigner(new Uint8Array(32).fill(0x42)));
  texts.forEach((text, i) => {
    const goNote = signed[i]!.note!;
    assert.ok(signed[i]!.ok, signed[i]!.error);
    assert.is(openNote(goNote, [noteVerifier(vkey)]).text, text);
    assert.is(signNote(text, [signer]), goNote);
  });
});

test('cosignatures made by Go pass checkCosignature, and cosignCheckpoint makes the same line', () => {
  const text = formatCheckpoint({ origin: ORIGIN, size: 99, rootHash: new Uint8Array(32).fill(0x99) });
  const w = WITNESSES[1]!;
  const timestamps = [0, 1764295200, Number.MAX_SAFE_INTEGER];
  const answers = go(timestamps.map((timestamp): Request => ({ op: 'cosign', text, name: w.name, seed: seedHex(w.seed), timestamp })));
  timestamps.forEach((timestamp, i) => {
    const line = answers[i]!.line!;
    assert.equal(checkCosignature(text, line, w.key), { timestamp });
    assert.is(cosignCheckpoint(text, w.name, w.signer, timestamp), line);
  });
});

test('Go and openNote agree on every single-bit change of a cosigned checkpoint', () => {
  const checkpoint = { origin: ORIGIN, size: 5, rootHash: new Uint8Array(32).fill(0x29) };
  const text = formatCheckpoint(checkpoint);
  const note = addCosignatures(signCheckpoint(checkpoint, ledger), [cosignCheckpoint(text, WITNESSES[0]!.name, WITNESSES[0]!.signer, 1764295200)]);
  const keys = [ledgerKey, WITNESSES[0]!.key];
  const vkeys = keys.map(formatVerifierKey);
  const verifiers = [noteVerifier(ledgerKey), cosignatureVerifier(WITNESSES[0]!.key)];
  const bytes = Buffer.from(note, 'utf8');
  const mutations: Buffer[] = [];
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const m = Buffer.from(bytes);
      m[i]! ^= 1 << bit;
      mutations.push(m);
    }
  }
  const answers = go(mutations.map((m) => openInGo(m, vkeys)));
  let bothAccept = 0;
  let onlyGoAccepts = 0;
  mutations.forEach((m, k) => {
    const where = `byte ${k >> 3} bit ${k & 7}`;
    const ours = code(() => openNote(m, verifiers));
    const answer = answers[k]!;
    if (!answer.ok) {
      assert.ok(ours !== undefined, `${where}: Go rejects (${answer.error}) but openNote accepts`);
      return;
    }
    if (ours === undefined) {
      // A change in one signature line that makes it unknown: the other known key still signed.
      bothAccept++;
      const opened = openNote(m, verifiers);
      assert.equal(opened.signatures.map((s) => `${s.name}+${s.keyId.toString(16).padStart(8, '0')}`), answer.verified, where);
      return;
    }
    // Go accepts base64 whose unused low bits are not zero (encoding/base64 is not strict); openNote
    // accepts only the canonical encoding. That is the one way Go may accept what openNote rejects.
    onlyGoAccepts++;
    assert.is(ours, 'NOTE_MALFORMED', `${where}: Go accepts`);
    const lines = m.toString('utf8').split('\n').filter((l) => l.startsWith('— '));
    assert.ok(
      lines.some((l) => {
        const b64 = l.split(' ')[2] ?? '';
        return Buffer.from(b64, 'base64').toString('base64') !== b64;
      }),
      `${where}: Go accepts and the base64 is canonical`,
    );
  });
  // Both kinds of acceptance do occur.
  assert.ok(bothAccept > 0 && onlyGoAccepts > 0, `${bothAccept} ${onlyGoAccepts}`);
});

test('openCheckpoint opens what Go signs as a checkpoint under the origin key', () => {
  const text = formatCheckpoint({ origin: ORIGIN, size: 8, rootHash: new Uint8Array(32).fill(8) });
  const [signed] = go([{ op: 'sign', text, name: ORIGIN, seed: seedHex(1) }]);
  const opened = openCheckpoint(signed!.note!, ledgerKey);
  assert.is(opened.checkpoint.size, 8);
  assert.is(opened.text, text);
});

test('Go sumdb/tlog gives the same roots and accepts every inclusion and consistency proof up to 40 leaves, and rejects flipped ones', () => {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const leaves = Array.from({ length: 40 }, (_, i) => utf8(`{"leaf":${i}}`));
  const store = new MemoryHashStore();
  const requests: Request[] = [];
  const expectOk: boolean[] = [];
  for (let n = 1; n <= leaves.length; n++) {
    store.append(leafHash(leaves[n - 1]!));
    const root = treeHash(n, store);
    const [goRoot] = go([{ op: 'treehash', leaves: leaves.slice(0, n).map(b64) }]);
    assert.is(goRoot!.root, b64(root), `root of ${n} leaves`);
    for (let i = 0; i < n; i++) {
      const proof = proveInclusion(i, n, store);
      const request = { op: 'inclusion' as const, index: i, size: n, leaf: b64(leafHash(leaves[i]!)), root: b64(root), proof: proof.map(b64) };
      requests.push(request);
      expectOk.push(true);
      if (proof.length > 0) {
        const flipped = proof.map((h) => h.slice());
        flipped[0]![0] = flipped[0]![0]! ^ 1;
        requests.push({ ...request, proof: flipped.map(b64) });
        expectOk.push(false);
      }
    }
    for (let m = 1; m <= n; m++) {
      const proof = proveConsistency(m, n, store);
      const request = { op: 'consistency' as const, old: m, size: n, oldRoot: b64(treeHash(m, store)), root: b64(root), proof: proof.map(b64) };
      requests.push(request);
      expectOk.push(true);
      if (proof.length > 0) {
        const flipped = proof.map((h) => h.slice());
        const last = flipped.length - 1;
        flipped[last]![31] = flipped[last]![31]! ^ 0x80;
        requests.push({ ...request, proof: flipped.map(b64) });
        expectOk.push(false);
      }
    }
  }
  const answers = go(requests);
  answers.forEach((a, i) => assert.is(a.ok, expectOk[i], `${JSON.stringify(requests[i]).slice(0, 120)}: ${a.error ?? ''}`));
  assert.ok(requests.length > 1500);
});

test.run();
