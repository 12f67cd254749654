import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedSigner } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import { openCheckpoint } from '../src/checkpoint.js';
import {
  COSIGNATURE_V1_LENGTH,
  addCosignatures,
  checkCosignature,
  cosignCheckpoint,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  cosigner,
} from '../src/cosignature.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  createVerifierKey,
  formatSignatureLine,
  formatVerifierKey,
  isValidKeyName,
  openNote,
  signNote,
  splitNote,
} from '../src/note.js';
import { code } from './error-code.js';

// C2SP tlog-cosignature.md, the example at the top (its keys are not published).
const SOFA_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SOFA_NOTE =
  SOFA_TEXT +
  '\n' +
  '— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';
// The signed message the spec shows for it.
const SOFA_MESSAGE =
  'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

// /work/shared/vectors/custody/protocol-v1.json, `checkpoint` and `cosignature` (checked there with Go).
const ORIGIN = 'ledger.example.polri.go.id/2026';
const CHECKPOINT_TEXT = `${ORIGIN}\n5\nKQ4YPlrQiY/vJS6yHAcyx4miaRtT+dzrK/FWBGPENU4=\n`;
const LOG_LINE = `— ${ORIGIN} FdP7CxEoS/QjXFPbr9iGWkGi1Ysh30bGQU/KNNQZMueWAIv6n0PmCM4JYOvxytDSVNV8pY+Ch/6O9sTQJ9AVpWF4UAs=`;
const SIGNED_NOTE = `${CHECKPOINT_TEXT}\n${LOG_LINE}\n`;
const WITNESS = 'witness.example.kejaksaan.go.id';
const TIMESTAMP = 1764295200;
const WITNESS_VKEY = 'witness.example.kejaksaan.go.id+3469ff66+BMqTrBcFGHBx1nuDx/8O/oEI6OxFMFdddyaHkzPb2r58';
const SIGNED_MESSAGE = `cosignature/v1\ntime 1764295200\n${CHECKPOINT_TEXT}`;
const WITNESS_LINE = `— ${WITNESS} NGn/ZgAAAABpKQIgfZQeupStBrC8BNXex7EpHtNbU9eSpCP2vFAHMB835KgE+q+rDwnL1e2CyvZGsgUSq3Jq+XXyt6+ok4W5QdSGBQ==`;
const COSIGNED_NOTE = `${SIGNED_NOTE}${WITNESS_LINE}\n`;

const ledger = seedSigner(new Uint8Array(32).fill(1));
const ledgerKey = createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ledger.publicKey);
const witness = seedSigner(new Uint8Array(32).fill(4));
const witnessKey = createVerifierKey(WITNESS, SIGNATURE_TYPE_COSIGNATURE_V1, witness.publicKey);

test('the C2SP cosignature example carries the timestamp and signs the message the spec shows, byte for byte', () => {
  const { text, signatures } = splitNote(SOFA_NOTE);
  assert.is(text, SOFA_TEXT);
  const [log, cosignature] = signatures as [(typeof signatures)[0], (typeof signatures)[0]];
  assert.is(log.signature.length, 64);
  assert.is(cosignature.name, 'witness.example.com/w1');
  assert.is(cosignature.keyId, 0x8d66cf3f);
  assert.is(cosignature.signature.length, COSIGNATURE_V1_LENGTH);
  assert.is(cosignatureTimestamp(cosignature.signature), 1679315147);
  assert.is(new TextDecoder().decode(cosignatureMessage(text, 1679315147)), SOFA_MESSAGE);
  assert.is(formatSignatureLine(cosignature.name, cosignature.keyId, cosignature.signature), cosignature.line);
});

test('the witness key (seed 32 × 0x04) gives the verifier key of the protocol vector', () => {
  assert.is(formatVerifierKey(witnessKey), WITNESS_VKEY);
});

test('cosignatureMessage reproduces the signed message of the protocol vector', () => {
  assert.is(new TextDecoder().decode(cosignatureMessage(CHECKPOINT_TEXT, TIMESTAMP)), SIGNED_MESSAGE);
});

test('cosignCheckpoint and addCosignatures reproduce the cosigned note of the protocol vector byte for byte', () => {
  const line = cosignCheckpoint(CHECKPOINT_TEXT, WITNESS, witness, TIMESTAMP);
  assert.is(line, WITNESS_LINE);
  assert.is(addCosignatures(SIGNED_NOTE, [line]), COSIGNED_NOTE);
});

test('checkCosignature accepts the protocol vector cosignature and returns its timestamp', () => {
  assert.equal(checkCosignature(CHECKPOINT_TEXT, WITNESS_LINE, WITNESS_VKEY), { timestamp: TIMESTAMP });
  assert.equal(checkCosignature(CHECKPOINT_TEXT, WITNESS_LINE, witnessKey), { timestamp: TIMESTAMP });
});

test('openNote checks a cosignature through cosignatureVerifier, and openCheckpoint keeps it aside', () => {
  const opened = openNote(COSIGNED_NOTE, [cosignatureVerifier(WITNESS_VKEY)]);
  assert.equal(opened.signatures.map((s) => s.line), [WITNESS_LINE]);
  assert.equal(opened.unknownSignatures.map((s) => s.line), [LOG_LINE]);
  assert.equal(openCheckpoint(COSIGNED_NOTE, ledgerKey).otherSignatures.map((s) => s.line), [WITNESS_LINE]);
  const tampered = COSIGNED_NOTE.replace('\n5\n', '\n6\n');
  assert.is(code(() => openNote(tampered, [cosignatureVerifier(WITNESS_VKEY)])), 'NOTE_SIGNATURE_INVALID');
});

test('checkCosignature rejects a cosignature of another checkpoint, time or witness', () => {
  const otherText = CHECKPOINT_TEXT.replace('\n5\n', '\n6\n');
  assert.is(code(() => checkCosignature(otherText, WITNESS_LINE, witnessKey)), 'COSIGNATURE_INVALID');
  // The same signature bytes under another timestamp.
  const raw = Buffer.from(WITNESS_LINE.split(' ')[2]!, 'base64');
  raw.writeBigUInt64BE(BigInt(TIMESTAMP + 1), 4);
  const retimed = `— ${WITNESS} ${raw.toString('base64')}`;
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, retimed, witnessKey)), 'COSIGNATURE_INVALID');
  // A line by another witness, or by this witness's key under another name.
  const other = seedSigner(new Uint8Array(32).fill(5));
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, cosignCheckpoint(CHECKPOINT_TEXT, 'w.example/2', other, TIMESTAMP), witnessKey)), 'COSIGNATURE_INVALID');
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, cosignCheckpoint(CHECKPOINT_TEXT, 'w.example/2', witness, TIMESTAMP), witnessKey)), 'COSIGNATURE_INVALID');
  // The log's own line is not a cosignature by the witness.
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, LOG_LINE, witnessKey)), 'COSIGNATURE_INVALID');
});

test('checkCosignature rejects malformed cosignatures, texts and keys with their own codes', () => {
  const raw = Buffer.from(WITNESS_LINE.split(' ')[2]!, 'base64');
  const line = (bytes: Buffer): string => `— ${WITNESS} ${bytes.toString('base64')}`;
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, line(raw.subarray(0, 75)), witnessKey)), 'COSIGNATURE_MALFORMED');
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, line(Buffer.concat([raw, Buffer.of(0)])), witnessKey)), 'COSIGNATURE_MALFORMED');
  const late = Buffer.from(raw);
  late.writeBigUInt64BE(2n ** 53n, 4); // beyond the safe integers this protocol uses
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, line(late), witnessKey)), 'COSIGNATURE_MALFORMED');
  for (const bad of ['', 'not a line', `- ${WITNESS} ${raw.toString('base64')}`, `— ${WITNESS} ${raw.toString('base64url')}`, WITNESS_LINE + '\n']) {
    assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, bad, witnessKey)), 'COSIGNATURE_MALFORMED', JSON.stringify(bad));
  }
  assert.is(code(() => checkCosignature('not a checkpoint\n', WITNESS_LINE, witnessKey)), 'CHECKPOINT_MALFORMED');
  assert.is(code(() => checkCosignature(CHECKPOINT_TEXT, WITNESS_LINE, ledgerKey)), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => cosignatureVerifier(formatVerifierKey(ledgerKey))), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => cosignatureTimestamp(new Uint8Array(71))), 'COSIGNATURE_MALFORMED');
});

test('every single-bit change of a cosignature line is rejected with the code its position calls for', () => {
  const original = Buffer.from(WITNESS_LINE.split(' ')[2]!, 'base64');
  const bytes = new TextEncoder().encode(WITNESS_LINE);
  const seen = new Set<string>();
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const mutated = bytes.slice();
      mutated[i]! ^= 1 << bit;
      let line: string;
      try {
        line = new TextDecoder('utf-8', { fatal: true }).decode(mutated);
      } catch {
        continue; // not a string: a line is text
      }
      const got = code(() => checkCosignature(CHECKPOINT_TEXT, line, witnessKey));
      const m = /^— (\S+) ([A-Za-z0-9+/]+={0,2})$/.exec(line);
      const raw = m ? Buffer.from(m[2]!, 'base64') : Buffer.alloc(0);
      let want: string;
      if (!m || !isValidKeyName(m[1]) || raw.toString('base64') !== m[2] || raw.length < 5) want = 'COSIGNATURE_MALFORMED';
      else if (m[1] !== WITNESS || raw.readUInt32BE(0) !== original.readUInt32BE(0)) want = 'COSIGNATURE_INVALID'; // another key
      else if (raw.length !== 76 || raw.readBigUInt64BE(4) > BigInt(Number.MAX_SAFE_INTEGER)) want = 'COSIGNATURE_MALFORMED';
      else want = 'COSIGNATURE_INVALID';
      assert.is(got, want, `byte ${i} bit ${bit}`);
      seen.add(want);
    }
  }
  assert.equal([...seen].sort(), ['COSIGNATURE_INVALID', 'COSIGNATURE_MALFORMED']);
});

test('addCosignatures keeps the log signature first, appends in order and leaves out second lines by one key', () => {
  const second = seedSigner(new Uint8Array(32).fill(6));
  const line2 = cosignCheckpoint(CHECKPOINT_TEXT, 'w.example/2', second, TIMESTAMP + 60);
  const again = cosignCheckpoint(CHECKPOINT_TEXT, WITNESS, witness, TIMESTAMP + 1);
  const note = addCosignatures(SIGNED_NOTE, [WITNESS_LINE, line2, WITNESS_LINE, again]);
  assert.is(note, `${SIGNED_NOTE}${WITNESS_LINE}\n${line2}\n`);
  assert.is(addCosignatures(note, [again, line2]), note);
  assert.is(addCosignatures(SIGNED_NOTE, []), SIGNED_NOTE);
  const key2 = createVerifierKey('w.example/2', SIGNATURE_TYPE_COSIGNATURE_V1, second.publicKey);
  const opened = openNote(note, [cosignatureVerifier(witnessKey), cosignatureVerifier(key2)]);
  assert.equal(opened.signatures.map((s) => s.name), [WITNESS, 'w.example/2']);
});

test('addCosignatures rejects a malformed note, a malformed line, and a note that would have too many lines', () => {
  assert.is(code(() => addCosignatures(CHECKPOINT_TEXT, [WITNESS_LINE])), 'NOTE_MALFORMED');
  for (const bad of ['', `— ${WITNESS}`, `— bad name AAAAAAA=`, `${WITNESS_LINE}\n— x AAAAAAA=`, `${WITNESS_LINE}\r`]) {
    assert.is(code(() => addCosignatures(SIGNED_NOTE, [bad])), 'COSIGNATURE_MALFORMED', JSON.stringify(bad));
  }
  const many = Array.from({ length: 100 }, (_, i) => cosignCheckpoint(CHECKPOINT_TEXT, `w.example/${i}`, witness, TIMESTAMP));
  assert.is(code(() => addCosignatures(SIGNED_NOTE, many)), 'NOTE_MALFORMED');
  assert.is(splitNote(addCosignatures(SIGNED_NOTE, many.slice(0, 99))).signatures.length, 100);
});

test('cosignCheckpoint signs only checkpoints, at a timestamp that is a safe integer', () => {
  assert.is(code(() => cosignCheckpoint('hello\n', WITNESS, witness, TIMESTAMP)), 'CHECKPOINT_MALFORMED');
  assert.throws(() => cosignCheckpoint(CHECKPOINT_TEXT, WITNESS, witness, -1), RangeError);
  assert.throws(() => cosignCheckpoint(CHECKPOINT_TEXT, WITNESS, witness, 1.5), RangeError);
  assert.throws(() => cosigner(WITNESS, witness, 2 ** 53), RangeError);
  assert.is(code(() => cosignCheckpoint(CHECKPOINT_TEXT, 'bad name', witness, TIMESTAMP)), 'VERIFIER_KEY_INVALID');
  // Timestamps 0 and 2^53 − 1 round-trip.
  for (const t of [0, Number.MAX_SAFE_INTEGER]) {
    assert.equal(checkCosignature(CHECKPOINT_TEXT, cosignCheckpoint(CHECKPOINT_TEXT, WITNESS, witness, t), witnessKey), { timestamp: t });
  }
});

test('a cosigner signs a note through signNote exactly as cosignCheckpoint makes its line', () => {
  const note = signNote(CHECKPOINT_TEXT, [cosigner(WITNESS, witness, TIMESTAMP)]);
  assert.is(note, `${CHECKPOINT_TEXT}\n${WITNESS_LINE}\n`);
});

test.run();
