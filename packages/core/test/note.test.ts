import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedSigner } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import {
  MAX_NOTE_BYTES,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  computeKeyId,
  createVerifierKey,
  formatSignatureLine,
  formatVerifierKey,
  isValidKeyName,
  noteSigner,
  noteVerifier,
  openNote,
  parseSignatureLine,
  parseVerifierKey,
  signNote,
  splitNote,
} from '../src/note.js';
import { code } from './error-code.js';

// golang.org/x/mod/sumdb/note, note.go and note_test.go.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';
const PETER_NOTE = TEXT + '\n' + PETER_SIG;

// C2SP signed-note.md, the example at the top (its key is not published).
const QUASIMODO_TEXT = 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n';
const QUASIMODO_LINE =
  '— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=';

const peterSeed = new Uint8Array(Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1));
const peter = seedSigner(peterSeed);
const peterVerifier = noteVerifier(PETER_VKEY);
const enochVerifier = noteVerifier(ENOCH_VKEY);

test('the PeterNeumann verifier key of Go sumdb/note parses and formats back to the same string', () => {
  const key = parseVerifierKey(PETER_VKEY);
  assert.is(key.name, 'PeterNeumann');
  assert.is(key.keyId, 0xc74f20a3);
  assert.is(key.type, SIGNATURE_TYPE_ED25519);
  assert.equal(key.publicKey, peter.publicKey);
  assert.is(formatVerifierKey(key), PETER_VKEY);
  assert.is(formatVerifierKey(createVerifierKey('PeterNeumann', SIGNATURE_TYPE_ED25519, peter.publicKey)), PETER_VKEY);
});

test('signNote reproduces the PeterNeumann note of Go sumdb/note byte for byte', () => {
  assert.is(signNote(TEXT, [noteSigner('PeterNeumann', peter)]), PETER_NOTE);
});

test('openNote opens the PeterNeumann note and returns its text and signature', () => {
  const opened = openNote(PETER_NOTE, [peterVerifier]);
  assert.is(opened.text, TEXT);
  assert.is(opened.signatures.length, 1);
  assert.is(opened.signatures[0]!.name, 'PeterNeumann');
  assert.is(opened.signatures[0]!.keyId, 0xc74f20a3);
  assert.is(opened.signatures[0]!.line + '\n', PETER_SIG);
  assert.is(opened.unknownSignatures.length, 0);
  assert.equal(openNote(new TextEncoder().encode(PETER_NOTE), [peterVerifier]).text, TEXT);
});

test('every substring and every single-byte increment of a verifier key is rejected, as in Go TestNewVerifier', () => {
  for (let i = 0; i <= PETER_VKEY.length; i++) {
    for (let j = i + 1; j <= PETER_VKEY.length; j++) {
      if (i === 0 && j === PETER_VKEY.length) continue;
      assert.is(code(() => parseVerifierKey(PETER_VKEY.slice(i, j))), 'VERIFIER_KEY_INVALID', PETER_VKEY.slice(i, j));
    }
  }
  for (let i = 0; i < PETER_VKEY.length; i++) {
    const bad = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
    assert.is(code(() => parseVerifierKey(bad)), 'VERIFIER_KEY_INVALID', bad);
  }
  // Go's two adjusted-hash cases: a key of the wrong length, and an unknown algorithm.
  assert.is(code(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')), 'VERIFIER_KEY_INVALID');
});

test('parseVerifierKey accepts only the canonical form and valid keys', () => {
  const key = parseVerifierKey(PETER_VKEY);
  const reId = (name: string, type: number, pub: Uint8Array): string =>
    `${name}+${computeKeyId(name, type, pub).toString(16).padStart(8, '0')}+${Buffer.from([type, ...pub]).toString('base64')}`;
  // Upper-case hex is accepted by Go's ParseUint but is not the canonical form.
  assert.is(code(() => parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'C74F20A3'))), 'VERIFIER_KEY_INVALID');
  // Non-zero unused bits in the last base64 group.
  assert.is(code(() => parseVerifierKey(PETER_VKEY.slice(0, -1) + 'X')), 'VERIFIER_KEY_INVALID');
  // A name with a space, a plus, a control character, or none at all (the key ID recomputed each time).
  for (const name of ['Peter Neumann', 'Peter\u00a0Neumann', 'Peter\u2028', 'Peter\tNeumann', 'Peter\x01', '']) {
    assert.is(code(() => parseVerifierKey(reId(name, 1, key.publicKey))), 'VERIFIER_KEY_INVALID', JSON.stringify(name));
  }
  // A type 0x04 (cosignature/v1) key is a valid verifier key; type 0x02 is not supported.
  assert.is(parseVerifierKey(reId('w.example/1', 4, key.publicKey)).type, SIGNATURE_TYPE_COSIGNATURE_V1);
  assert.is(code(() => parseVerifierKey(reId('w.example/1', 2, key.publicKey))), 'VERIFIER_KEY_INVALID');
  // The identity point and a small-order point are not keys (checkPublicKey).
  const identity = new Uint8Array(32);
  identity[0] = 1;
  assert.is(code(() => parseVerifierKey(reId('PeterNeumann', 1, identity))), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => parseVerifierKey(reId('PeterNeumann', 1, new Uint8Array(32)))), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => parseVerifierKey('x'.repeat(2000))), 'VERIFIER_KEY_INVALID');
});

test('key names follow the spec: non-empty, no Unicode space, no plus, no control characters', () => {
  for (const ok of ['PeterNeumann', 'example.com/log42', 'ledger.dittipidsiber.polri.go.id/2026', 'é/ü', 'a\ufeffb', 'a\x7fb']) {
    assert.ok(isValidKeyName(ok), JSON.stringify(ok));
  }
  for (const bad of ['', 'a b', 'a+b', 'a\u0085b', 'a\u00a0b', 'a\u1680b', 'a\u2000b', 'a\u200ab', 'a\u2029b', 'a\u202fb', 'a\u205fb', 'a\u3000b', 'a\nb', 'a\x00b', '\ud800', 7]) {
    assert.not.ok(isValidKeyName(bad), JSON.stringify(bad));
  }
});

test('openNote keeps signatures by unknown keys aside and verifies the known ones, as Go TestOpen', () => {
  const both = TEXT + '\n' + PETER_SIG + ENOCH_SIG;
  const one = openNote(both, [peterVerifier]);
  assert.equal(one.signatures.map((s) => s.name), ['PeterNeumann']);
  assert.equal(one.unknownSignatures.map((s) => [s.name, s.keyId]), [['EnochRoot', 0xaf0cfe78]]);
  const two = openNote(both, [peterVerifier, enochVerifier]);
  assert.equal(two.signatures.map((s) => s.name), ['PeterNeumann', 'EnochRoot']);
  assert.is(two.unknownSignatures.length, 0);
  assert.is(code(() => openNote(both, [])), 'NOTE_UNKNOWN_SIGNER');
});

test('openNote drops repeated identical lines but checks every distinct line of a known key', () => {
  const enochAbcd = ENOCH_SIG.slice(0, 60) + 'ABCD' + ENOCH_SIG.slice(60);
  const note = TEXT + '\n' + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enochAbcd;
  const opened = openNote(note, [peterVerifier]);
  assert.equal(opened.signatures.map((s) => s.name), ['PeterNeumann']);
  assert.equal(opened.unknownSignatures.map((s) => s.line + '\n'), [ENOCH_SIG, enochAbcd]);
  // Go skips a known key's second line unchecked; the spec says a known key's signature MUST be verified.
  const peterAbcd = PETER_SIG.slice(0, 60) + 'ABCD' + PETER_SIG.slice(60);
  assert.is(code(() => openNote(TEXT + '\n' + PETER_SIG + peterAbcd, [peterVerifier])), 'NOTE_SIGNATURE_INVALID');
  assert.is(code(() => openNote(TEXT + '\n' + peterAbcd, [peterVerifier])), 'NOTE_SIGNATURE_INVALID');
});

test('two different verifiers for one name and key ID are an error only when a signature needs them', () => {
  const enochAgain = noteVerifier(ENOCH_VKEY);
  assert.is(code(() => openNote(TEXT + '\n' + ENOCH_SIG, [enochVerifier, peterVerifier, enochAgain])), 'VERIFIER_KEY_INVALID');
  assert.is(openNote(TEXT + '\n' + PETER_SIG, [enochVerifier, peterVerifier, enochAgain]).signatures.length, 1);
  assert.is(openNote(TEXT + '\n' + ENOCH_SIG, [enochVerifier, enochVerifier]).signatures.length, 1);
});

test('openNote accepts up to 100 signature lines and rejects 101', () => {
  assert.is(openNote(TEXT + '\n' + PETER_SIG.repeat(100), [peterVerifier]).signatures.length, 1);
  assert.is(code(() => openNote(TEXT + '\n' + PETER_SIG.repeat(101), [peterVerifier])), 'NOTE_MALFORMED');
  assert.is(code(() => openNote(TEXT + '\n' + PETER_SIG.repeat(101), [])), 'NOTE_MALFORMED');
});

test('openNote accepts sixteen distinct signers, as the spec requires', () => {
  const signers = Array.from({ length: 16 }, (_, i) => noteSigner(`signer.example/${i}`, seedSigner(new Uint8Array(32).fill(i + 10))));
  const verifiers = signers.map((s, i) =>
    noteVerifier(createVerifierKey(s.name, SIGNATURE_TYPE_ED25519, seedSigner(new Uint8Array(32).fill(i + 10)).publicKey)),
  );
  const note = signNote(TEXT, signers);
  assert.is(openNote(note, verifiers).signatures.length, 16);
});

test('openNote rejects the malformed messages of Go TestOpen', () => {
  const bad = [
    TEXT,
    TEXT + '\n',
    TEXT + '\n' + PETER_SIG.slice(0, -1),
    '\x01' + TEXT + '\n' + PETER_SIG,
    TEXT + '\n' + '— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=',
    TEXT + '\n' + PETER_SIG + 'Unexpected line.\n',
  ];
  for (const note of bad) assert.is(code(() => openNote(note, [peterVerifier])), 'NOTE_MALFORMED', JSON.stringify(note));
  const invalidUtf8 = new Uint8Array([0xff, ...new TextEncoder().encode(TEXT + '\n' + PETER_SIG)]);
  assert.is(code(() => openNote(invalidUtf8, [peterVerifier])), 'NOTE_MALFORMED');
});

test('openNote rejects other malformed notes: size, surrogates, carriage returns, bad signature lines', () => {
  const cases: Record<string, string> = {
    'lone surrogate': '\ud800' + PETER_NOTE,
    'CRLF text': TEXT.replace(/\n/g, '\r\n') + '\r\n' + PETER_SIG,
    'hyphen instead of em dash': TEXT + '\n' + PETER_SIG.replace('—', '-'),
    'two spaces after the dash': TEXT + '\n' + PETER_SIG.replace('— ', '—  '),
    'two spaces before the base64': TEXT + '\n' + PETER_SIG.replace('Neumann ', 'Neumann  '),
    'trailing space': TEXT + '\n' + PETER_SIG.replace('=\n', '= \n'),
    'no base64': TEXT + '\n' + '— PeterNeumann\n',
    'base64 without padding': TEXT + '\n' + PETER_SIG.replace('=\n', '\n'),
    'non-zero unused base64 bits': TEXT + '\n' + PETER_SIG.replace('AM=\n', 'AN=\n'),
    'four bytes of signature, no more': TEXT + '\n' + '— PeterNeumann x08gow==\n',
    'name with a plus': TEXT + '\n' + PETER_SIG.replace('PeterNeumann', 'Peter+Neumann'),
  };
  for (const [what, note] of Object.entries(cases)) assert.is(code(() => openNote(note, [peterVerifier])), 'NOTE_MALFORMED', what);
  // An empty line among the signatures becomes the separator: the text then holds a signature line.
  assert.is(code(() => openNote(TEXT + '\n' + PETER_SIG + '\n' + PETER_SIG, [peterVerifier])), 'NOTE_SIGNATURE_INVALID');
  const huge = 'x'.repeat(MAX_NOTE_BYTES) + '\n' + '\n' + PETER_SIG;
  assert.is(code(() => openNote(huge, [peterVerifier])), 'NOTE_MALFORMED');
  assert.is(code(() => openNote(new TextEncoder().encode(huge), [peterVerifier])), 'NOTE_MALFORMED');
  // 'é' is one UTF-16 unit but two UTF-8 bytes: the cap counts bytes.
  assert.is(code(() => openNote('é'.repeat(MAX_NOTE_BYTES / 2) + '\n\n' + PETER_SIG, [peterVerifier])), 'NOTE_MALFORMED');
});

test('a text with empty lines is signed and opened, the last empty line being the separator', () => {
  for (const text of ['\n', 'a\n\n', '\n\nb\n', QUASIMODO_TEXT, '— looks like a signature line\n']) {
    const note = signNote(text, [noteSigner('PeterNeumann', peter)]);
    assert.is(openNote(note, [peterVerifier]).text, text, JSON.stringify(text));
  }
});

test('signNote refuses a text that does not end in a newline or has control characters', () => {
  const s = noteSigner('PeterNeumann', peter);
  assert.is(code(() => signNote('abc', [s])), 'NOTE_MALFORMED');
  assert.is(code(() => signNote('a\rb\n', [s])), 'NOTE_MALFORMED');
  assert.is(code(() => signNote('\udc00\n', [s])), 'NOTE_MALFORMED');
  assert.throws(() => signNote(TEXT, []), TypeError);
  assert.throws(() => signNote(TEXT, [s, s]), RangeError);
  assert.throws(() => signNote(TEXT, [{ ...s, name: 'bad name' }]), RangeError);
});

test('the signed-note example of C2SP splits into its text and one signature line, byte for byte', () => {
  const note = QUASIMODO_TEXT + '\n' + QUASIMODO_LINE + '\n';
  const { text, signatures } = splitNote(note);
  assert.is(text, QUASIMODO_TEXT);
  assert.is(signatures.length, 1);
  const sig = signatures[0]!;
  assert.is(sig.name, 'quasimodo.example/salvatore');
  const raw = Buffer.from(QUASIMODO_LINE.split(' ')[2]!, 'base64');
  assert.is(sig.keyId, raw.readUInt32BE(0));
  assert.equal(sig.signature, new Uint8Array(raw.subarray(4)));
  assert.is(sig.signature.length, 64);
  assert.is(formatSignatureLine(sig.name, sig.keyId, sig.signature), QUASIMODO_LINE);
  assert.equal(parseSignatureLine(QUASIMODO_LINE), sig);
  // Its public key is not published: a key of the same name but another ID is simply not known.
  const other = noteVerifier(createVerifierKey('quasimodo.example/salvatore', SIGNATURE_TYPE_ED25519, peter.publicKey));
  assert.is.not(other.keyId, sig.keyId);
  assert.is(code(() => openNote(note, [other])), 'NOTE_UNKNOWN_SIGNER');
});

test('a key with the name of a known key but another key ID is ignored, and so is one with the ID but another name', () => {
  const renamed = PETER_SIG.replace('PeterNeumann', 'PeterNeumanm');
  assert.equal(openNote(TEXT + '\n' + renamed + PETER_SIG, [peterVerifier]).unknownSignatures.map((s) => s.name), ['PeterNeumanm']);
  const otherKey = noteVerifier(createVerifierKey('PeterNeumann', SIGNATURE_TYPE_ED25519, seedSigner(new Uint8Array(32).fill(9)).publicKey));
  assert.is(code(() => openNote(PETER_NOTE, [otherKey])), 'NOTE_UNKNOWN_SIGNER');
});

test('noteVerifier refuses a cosignature/v1 key, which signs a different message', () => {
  const witness = createVerifierKey('w.example/1', SIGNATURE_TYPE_COSIGNATURE_V1, peter.publicKey);
  assert.is(code(() => noteVerifier(witness)), 'VERIFIER_KEY_INVALID');
  assert.is(code(() => noteVerifier(formatVerifierKey(witness))), 'VERIFIER_KEY_INVALID');
});

/**
 * The code openNote must give for a note whose byte `i` was changed, worked out from where the byte
 * is and what it became (with Node's own decoders as the reference for UTF-8 and base64).
 */
function expectedCode(original: string, mutated: Uint8Array, i: number): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(mutated);
  } catch {
    return 'NOTE_MALFORMED';
  }
  if (/[\x00-\x09\x0b-\x1f]/.test(text)) return 'NOTE_MALFORMED';
  const bytes = new TextEncoder().encode(original);
  const textLength = new TextEncoder().encode(original.slice(0, original.lastIndexOf('\n\n') + 1)).length;
  if (i < textLength - 1) return 'NOTE_SIGNATURE_INVALID'; // the text changed, its structure did not
  if (i <= textLength || i === bytes.length - 1) return 'NOTE_MALFORMED'; // separator or final newline
  const line = text.slice(text.lastIndexOf('\n\n') + 2, -1);
  const m = /^— (\S+) (\S+)$/.exec(line);
  if (m === null || !isValidKeyName(m[1])) return 'NOTE_MALFORMED';
  const b64 = m[2]!;
  const raw = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || raw.toString('base64') !== b64 || raw.length < 5) return 'NOTE_MALFORMED';
  const originalLine = original.slice(original.lastIndexOf('\n\n') + 2, -1);
  const originalRaw = Buffer.from(originalLine.split(' ')[2]!, 'base64');
  if (m[1] !== originalLine.split(' ')[1] || raw.readUInt32BE(0) !== originalRaw.readUInt32BE(0)) return 'NOTE_UNKNOWN_SIGNER';
  return 'NOTE_SIGNATURE_INVALID';
}

test('every single-bit change of a signed note is rejected with the code its position calls for', () => {
  const bytes = new TextEncoder().encode(PETER_NOTE);
  const seen = new Set<string>();
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const mutated = bytes.slice();
      mutated[i]! ^= 1 << bit;
      const got = code(() => openNote(mutated, [peterVerifier]));
      const want = expectedCode(PETER_NOTE, mutated, i);
      assert.is(got, want, `byte ${i} bit ${bit}`);
      seen.add(want);
    }
  }
  // The mutations reached every kind of rejection.
  assert.equal([...seen].sort(), ['NOTE_MALFORMED', 'NOTE_SIGNATURE_INVALID', 'NOTE_UNKNOWN_SIGNER']);
});

test('every single-byte replacement in a note with non-ASCII text is rejected', () => {
  const poet = seedSigner(new Uint8Array(32).fill(7));
  const key = createVerifierKey('quasimodo.example/salvatore', SIGNATURE_TYPE_ED25519, poet.publicKey);
  const note = signNote(QUASIMODO_TEXT, [noteSigner(key.name, poet)]);
  const bytes = new TextEncoder().encode(note);
  const verifier = noteVerifier(key);
  for (let i = 0; i < bytes.length; i++) {
    for (const value of [0x00, 0x0a, 0x20, 0x41, 0x7f, 0x80, 0xc3, 0xe2, 0xff]) {
      if (bytes[i] === value) continue;
      const mutated = bytes.slice();
      mutated[i] = value;
      assert.is(code(() => openNote(mutated, [verifier])), expectedCode(note, mutated, i), `byte ${i} = ${value}`);
    }
  }
});

test.run();
