import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedSigner } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import {
  MAX_CHECKPOINT_LENGTH,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from '../src/checkpoint.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  createVerifierKey,
  formatVerifierKey,
  noteSigner,
  signNote,
  splitNote,
} from '../src/note.js';
import { code } from './error-code.js';

// /work/shared/vectors/custody/protocol-v1.json, `checkpoint` (checked there with Go's sumdb/note).
const ORIGIN = 'ledger.example.polri.go.id/2026';
const ROOT_BASE64 = 'KQ4YPlrQiY/vJS6yHAcyx4miaRtT+dzrK/FWBGPENU4=';
const VECTOR_VKEY = 'ledger.example.polri.go.id/2026+15d3fb0b+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c';
const VECTOR_NOTE =
  `${ORIGIN}\n5\n${ROOT_BASE64}\n\n` +
  `— ${ORIGIN} FdP7CxEoS/QjXFPbr9iGWkGi1Ysh30bGQU/KNNQZMueWAIv6n0PmCM4JYOvxytDSVNV8pY+Ch/6O9sTQJ9AVpWF4UAs=\n`;

// C2SP tlog-checkpoint.md, the example at the top (its key is not published).
const SOFA_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SOFA_LINE =
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=';

const ledger = seedSigner(new Uint8Array(32).fill(1));
const ledgerKey = createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ledger.publicKey);
const rootHash = new Uint8Array(Buffer.from(ROOT_BASE64, 'base64'));

test('the ledger key (seed 32 × 0x01) gives the verifier key of the protocol vector', () => {
  assert.is(formatVerifierKey(ledgerKey), VECTOR_VKEY);
});

test('signCheckpoint reproduces the signed checkpoint of the protocol vector byte for byte', () => {
  assert.is(signCheckpoint({ origin: ORIGIN, size: 5, rootHash }, ledger), VECTOR_NOTE);
});

test('openCheckpoint opens the protocol vector with its verifier key', () => {
  for (const key of [VECTOR_VKEY, ledgerKey, [ledgerKey]]) {
    const opened = openCheckpoint(VECTOR_NOTE, key);
    assert.is(opened.checkpoint.origin, ORIGIN);
    assert.is(opened.checkpoint.size, 5);
    assert.equal(opened.checkpoint.rootHash, rootHash);
    assert.equal(opened.checkpoint.extensions, []);
    assert.is(opened.text, `${ORIGIN}\n5\n${ROOT_BASE64}\n`);
    assert.is(formatVerifierKey(opened.logKey), VECTOR_VKEY);
    assert.is(opened.logSignature.name, ORIGIN);
    assert.equal(opened.otherSignatures, []);
  }
});

test('the C2SP checkpoint example parses, formats back byte for byte, and its note splits', () => {
  const checkpoint = parseCheckpoint(SOFA_TEXT);
  assert.is(checkpoint.origin, 'example.com/behind-the-sofa');
  assert.is(checkpoint.size, 20852163);
  assert.is(Buffer.from(checkpoint.rootHash).toString('base64'), 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
  assert.is(formatCheckpoint(checkpoint), SOFA_TEXT);
  const { text, signatures } = splitNote(SOFA_TEXT + '\n' + SOFA_LINE + '\n');
  assert.is(text, SOFA_TEXT);
  assert.is(signatures[0]!.line, SOFA_LINE);
  assert.is(signatures[0]!.signature.length, 64);
});

test('parseCheckpoint accepts the edges of the canonical form', () => {
  const zero = Buffer.alloc(32).toString('base64');
  assert.is(parseCheckpoint(`o\n0\n${zero}\n`).size, 0);
  assert.is(parseCheckpoint(`o\n9007199254740991\n${zero}\n`).size, Number.MAX_SAFE_INTEGER);
  assert.equal(parseCheckpoint(`o\n1\n${zero}\next one\n— ext two\n`).extensions, ['ext one', '— ext two']);
});

test('parseCheckpoint rejects everything but the canonical form', () => {
  const zero = Buffer.alloc(32).toString('base64');
  const cases: Record<string, string> = {
    'no final newline': `o\n1\n${zero}`,
    'two lines': `o\n1\n`,
    'empty text': '',
    'empty origin': `\n1\n${zero}\n`,
    'origin with a space': `o o\n1\n${zero}\n`,
    'origin with a plus': `o+o\n1\n${zero}\n`,
    'origin with a tab': `o\to\n1\n${zero}\n`,
    'origin with a no-break space': `o\u00a0o\n1\n${zero}\n`,
    'origin with a lone surrogate': `o\ud800\n1\n${zero}\n`,
    'leading zero': `o\n01\n${zero}\n`,
    'double zero': `o\n00\n${zero}\n`,
    'negative size': `o\n-1\n${zero}\n`,
    'plus sign': `o\n+1\n${zero}\n`,
    'decimal point': `o\n1.0\n${zero}\n`,
    exponent: `o\n1e3\n${zero}\n`,
    hex: `o\n0x10\n${zero}\n`,
    'space before size': `o\n 1\n${zero}\n`,
    'empty size': `o\n\n${zero}\n`,
    'size 2^53': `o\n9007199254740992\n${zero}\n`,
    'size of 30 digits': `o\n${'9'.repeat(30)}\n${zero}\n`,
    'root of 31 bytes': `o\n1\n${Buffer.alloc(31).toString('base64')}\n`,
    'root of 33 bytes': `o\n1\n${Buffer.alloc(33).toString('base64')}\n`,
    'root without padding': `o\n1\n${zero.slice(0, -1)}\n`,
    'root in URL alphabet': `o\n1\n${Buffer.alloc(32, 0xff).toString('base64url')}=\n`,
    'root with non-zero unused bits': `o\n1\n${zero.slice(0, -2)}B=\n`,
    'root in hex': `o\n1\n${'00'.repeat(32)}\n`,
    'empty extension line': `o\n1\n${zero}\n\n`,
    'empty line between extensions': `o\n1\n${zero}\na\n\nb\n`,
    'extension with a control character': `o\n1\n${zero}\na\x07\n`,
    'CRLF line endings': `o\r\n1\r\n${zero}\r\n`,
    'too long': `o\n1\n${zero}\n${'x'.repeat(MAX_CHECKPOINT_LENGTH)}\n`,
  };
  for (const [what, text] of Object.entries(cases)) assert.is(code(() => parseCheckpoint(text)), 'CHECKPOINT_MALFORMED', what);
});

test('formatCheckpoint refuses values it could not read back', () => {
  assert.is(formatCheckpoint({ origin: 'o', size: 1, rootHash, extensions: ['x y'] }), `o\n1\n${ROOT_BASE64}\nx y\n`);
  assert.throws(() => formatCheckpoint({ origin: 'o', size: -1, rootHash }), RangeError);
  assert.throws(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash }), RangeError);
  assert.throws(() => formatCheckpoint({ origin: 'o', size: 2 ** 53, rootHash }), RangeError);
  assert.is(code(() => formatCheckpoint({ origin: 'o o', size: 1, rootHash })), 'CHECKPOINT_MALFORMED');
  assert.is(code(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: rootHash.subarray(1) })), 'CHECKPOINT_MALFORMED');
  assert.is(code(() => formatCheckpoint({ origin: 'o', size: 1, rootHash, extensions: [''] })), 'CHECKPOINT_MALFORMED');
  assert.is(code(() => formatCheckpoint({ origin: 'o', size: 1, rootHash, extensions: ['a\nb'] })), 'CHECKPOINT_MALFORMED');
  // An origin that smuggles in lines of its own would otherwise read back as another checkpoint.
  assert.is(code(() => formatCheckpoint({ origin: `o\n9\n${ROOT_BASE64}`, size: 1, rootHash })), 'CHECKPOINT_MALFORMED');
});

test('a checkpoint with extension lines is signed and opened', () => {
  const note = signCheckpoint({ origin: ORIGIN, size: 7, rootHash, extensions: ['custody/v1'] }, ledger);
  assert.equal(openCheckpoint(note, ledgerKey).checkpoint.extensions, ['custody/v1']);
});

test('openCheckpoint rejects a note signed by another key, or by the log key under another name', () => {
  const other = createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, seedSigner(new Uint8Array(32).fill(2)).publicKey);
  assert.is(code(() => openCheckpoint(VECTOR_NOTE, other)), 'NOTE_UNKNOWN_SIGNER');
  // The same key under a name that is not the origin: a valid signature, but not the log's (DESIGN §8).
  const text = formatCheckpoint({ origin: ORIGIN, size: 5, rootHash });
  const misnamed = signNote(text, [noteSigner('ledger.example.polri.go.id/2025', ledger)]);
  const misnamedKey = createVerifierKey('ledger.example.polri.go.id/2025', SIGNATURE_TYPE_ED25519, ledger.publicKey);
  assert.is(code(() => openCheckpoint(misnamed, misnamedKey)), 'CHECKPOINT_MISMATCH');
  // Accepting several log keys, the one named for the origin counts, and the others are kept.
  const both = signNote(text, [noteSigner('ledger.example.polri.go.id/2025', ledger), noteSigner(ORIGIN, ledger)]);
  const opened = openCheckpoint(both, [misnamedKey, ledgerKey]);
  assert.is(opened.logSignature.name, ORIGIN);
  assert.equal(opened.otherSignatures.map((s) => s.name), ['ledger.example.polri.go.id/2025']);
});

test('openCheckpoint refuses a cosignature/v1 key as the log key', () => {
  const witness = createVerifierKey(ORIGIN, SIGNATURE_TYPE_COSIGNATURE_V1, ledger.publicKey);
  assert.is(code(() => openCheckpoint(VECTOR_NOTE, witness)), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => openCheckpoint(VECTOR_NOTE, 'not a key')), 'VERIFIER_KEY_INVALID');
});

test('a validly signed note whose text is not a checkpoint is CHECKPOINT_MALFORMED', () => {
  for (const text of [`${ORIGIN}\n5\n`, `${ORIGIN}\n05\n${ROOT_BASE64}\n`, `${ORIGIN}\n5\n${ROOT_BASE64}\n\n`]) {
    const note = signNote(text, [noteSigner(ORIGIN, ledger)]);
    assert.is(code(() => openCheckpoint(note, ledgerKey)), 'CHECKPOINT_MALFORMED', JSON.stringify(text));
  }
});

test('every single-byte change of the signed checkpoint is rejected', () => {
  const bytes = new TextEncoder().encode(VECTOR_NOTE);
  const textLength = VECTOR_NOTE.indexOf('\n\n') + 1;
  for (let i = 0; i < bytes.length; i++) {
    const mutated = bytes.slice();
    mutated[i]! ^= 0x01;
    const got = code(() => openCheckpoint(mutated, ledgerKey));
    if (i < textLength && bytes[i] !== 0x0a) {
      // An ASCII character of the text became another printable one: the signature no longer holds.
      assert.is(got, 'NOTE_SIGNATURE_INVALID', `byte ${i}`);
    } else {
      assert.ok(got !== undefined && got.startsWith('NOTE_'), `byte ${i}: ${got}`);
    }
  }
});

test.run();
