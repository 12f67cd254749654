import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seedSigner, type Signer } from '../src/crypto.js';
import { isCustodyError } from '../src/errors.js';
import { formatCheckpoint, signCheckpoint } from '../src/checkpoint.js';
import { addCosignatures, cosignCheckpoint } from '../src/cosignature.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  createVerifierKey,
  formatVerifierKey,
  noteSigner,
  signNote,
} from '../src/note.js';
import { MAX_POLICY_LENGTH, auditPolicy, checkPolicy, parsePolicy } from '../src/policy.js';

function error(fn: () => unknown): { code: string; details: Record<string, unknown> } | undefined {
  try {
    fn();
  } catch (e) {
    if (isCustodyError(e)) return { code: e.code, details: { ...e.details } };
    return { code: `not a CustodyError: ${String(e)}`, details: {} };
  }
  return undefined;
}

const ORIGIN = 'ledger.example.polri.go.id/2026';
const ledger = seedSigner(new Uint8Array(32).fill(1));
const LOG_VKEY = formatVerifierKey(createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ledger.publicKey));
const otherLedger = seedSigner(new Uint8Array(32).fill(2));
const OTHER_ORIGIN = 'ledger.example.kejaksaan.go.id/2026';
const OTHER_LOG_VKEY = formatVerifierKey(createVerifierKey(OTHER_ORIGIN, SIGNATURE_TYPE_ED25519, otherLedger.publicKey));

// Six witnesses, X1..X3 and Y1..Y3, with seeds 0x11..0x16.
const WITNESS_NAMES = ['X1', 'X2', 'X3', 'Y1', 'Y2', 'Y3'] as const;
type WitnessName = (typeof WITNESS_NAMES)[number];
const witnesses = Object.fromEntries(
  WITNESS_NAMES.map((name, i) => {
    const signer = seedSigner(new Uint8Array(32).fill(0x11 + i));
    const keyName = `witness.example/${name.toLowerCase()}`;
    const vkey = formatVerifierKey(createVerifierKey(keyName, SIGNATURE_TYPE_COSIGNATURE_V1, signer.publicKey));
    return [name, { signer, keyName, vkey }];
  }),
) as Record<WitnessName, { signer: Signer; keyName: string; vkey: string }>;

// The example of C2SP tlog-policy.md, with keys, comments, tabs and URLs.
const POLICY = `# custody test policy
log ${LOG_VKEY} https://ledger.example.polri.go.id/
log ${OTHER_LOG_VKEY}

witness X1 ${witnesses.X1.vkey}
witness X2 ${witnesses.X2.vkey} https://x2.example/
\twitness X3\t${witnesses.X3.vkey}   
group X-witnesses 2 X1 X2 X3

  # the Y organisation
witness Y1 ${witnesses.Y1.vkey}
witness Y2 ${witnesses.Y2.vkey}
witness Y3 ${witnesses.Y3.vkey}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
`;
const policy = parsePolicy(POLICY);

const rootHash = new Uint8Array(32).fill(0xab);
const CHECKPOINT_TEXT = formatCheckpoint({ origin: ORIGIN, size: 42, rootHash });
const SIGNED = signCheckpoint({ origin: ORIGIN, size: 42, rootHash }, ledger);

function cosigned(names: readonly WitnessName[], text = CHECKPOINT_TEXT, note = SIGNED): string {
  return addCosignatures(
    note,
    names.map((n, i) => cosignCheckpoint(text, witnesses[n].keyName, witnesses[n].signer, 1764295200 + i)),
  );
}

test('the example policy of C2SP tlog-policy parses, with comments, blank lines, tabs and URLs', () => {
  assert.equal(policy.logs.map((l) => [formatVerifierKey(l.key), l.url]), [
    [LOG_VKEY, 'https://ledger.example.polri.go.id/'],
    [OTHER_LOG_VKEY, null],
  ]);
  assert.equal(policy.witnesses.map((w) => [w.name, formatVerifierKey(w.key), w.url]), [
    ['X1', witnesses.X1.vkey, null],
    ['X2', witnesses.X2.vkey, 'https://x2.example/'],
    ['X3', witnesses.X3.vkey, null],
    ['Y1', witnesses.Y1.vkey, null],
    ['Y2', witnesses.Y2.vkey, null],
    ['Y3', witnesses.Y3.vkey, null],
  ]);
  assert.equal(policy.groups, [
    { name: 'X-witnesses', threshold: 2, members: ['X1', 'X2', 'X3'] },
    { name: 'Y-witnesses', threshold: 1, members: ['Y1', 'Y2', 'Y3'] },
    { name: 'X-and-Y', threshold: 2, members: ['X-witnesses', 'Y-witnesses'] },
  ]);
  assert.is(policy.quorum, 'X-and-Y');
  // Without a final newline, and with `quorum none` and no witnesses at all.
  assert.is(parsePolicy(`log ${LOG_VKEY}\nquorum none`).quorum, null);
});

test('checkPolicy accepts a checkpoint whose nested quorum is met and names the witnesses that cosigned', () => {
  const result = checkPolicy(cosigned(['X1', 'X3', 'Y2']), policy);
  assert.is(result.checkpoint.size, 42);
  assert.is(result.text, CHECKPOINT_TEXT);
  assert.is(formatVerifierKey(result.logKey), LOG_VKEY);
  assert.equal(result.witnesses, [
    { name: 'X1', timestamp: 1764295200 },
    { name: 'X3', timestamp: 1764295201 },
    { name: 'Y2', timestamp: 1764295202 },
  ]);
  assert.equal(checkPolicy(cosigned([...WITNESS_NAMES].reverse()), policy).witnesses.map((w) => w.name), [...WITNESS_NAMES]);
});

test('checkPolicy throws POLICY_NOT_MET naming the quorum and the group that fell short', () => {
  const cases: [WitnessName[], string][] = [
    [['X1', 'Y1', 'Y2', 'Y3'], 'X-witnesses'],
    [['X1', 'X2', 'X3'], 'Y-witnesses'],
    [['X2', 'Y3'], 'X-witnesses'],
    [[], 'X-witnesses Y-witnesses'],
  ];
  for (const [names, unsatisfied] of cases) {
    const e = error(() => checkPolicy(cosigned(names), policy));
    assert.is(e?.code, 'POLICY_NOT_MET', names.join(' '));
    assert.is(e?.details.quorum, 'X-and-Y');
    assert.is(e?.details.threshold, 2);
    assert.is(e?.details.unsatisfied, unsatisfied, names.join(' '));
  }
});

test('auditPolicy reports every witness and group without throwing', () => {
  const audit = auditPolicy(cosigned(['X1', 'Y1', 'Y2']), policy);
  assert.is(audit.ok, false);
  assert.is(audit.failure?.code, 'POLICY_NOT_MET');
  assert.is(audit.checkpoint?.size, 42);
  assert.equal(audit.witnesses.map((w) => [w.name, w.status]), [
    ['X1', 'cosigned'],
    ['X2', 'missing'],
    ['X3', 'missing'],
    ['Y1', 'cosigned'],
    ['Y2', 'cosigned'],
    ['Y3', 'missing'],
  ]);
  assert.equal(audit.groups, [
    { name: 'X-witnesses', threshold: 2, satisfied: 1, met: false },
    { name: 'Y-witnesses', threshold: 1, satisfied: 2, met: true },
    { name: 'X-and-Y', threshold: 2, satisfied: 1, met: false },
  ]);
  assert.is(audit.quorumMet, false);
  const good = auditPolicy(cosigned(['X1', 'X2', 'Y3']), policy);
  assert.is(good.ok, true);
  assert.is(good.failure, null);
  assert.is(good.quorumMet, true);
});

test('a cosignature by a policy witness that does not verify rejects the checkpoint', () => {
  // X1's cosignature of another checkpoint, attached to this one.
  const otherText = formatCheckpoint({ origin: ORIGIN, size: 43, rootHash });
  const stale = cosignCheckpoint(otherText, witnesses.X1.keyName, witnesses.X1.signer, 1764295200);
  const note = addCosignatures(cosigned(['X2', 'X3', 'Y1']), [stale]);
  const e = error(() => checkPolicy(note, policy));
  assert.is(e?.code, 'COSIGNATURE_INVALID');
  assert.is(e?.details.witness, 'X1');
  const audit = auditPolicy(note, policy);
  assert.is(audit.witnesses[0]!.status, 'invalid');
  assert.is(audit.quorumMet, true);
});

test('cosignatures by witnesses outside the policy are ignored', () => {
  const stranger = seedSigner(new Uint8Array(32).fill(0x77));
  const note = addCosignatures(cosigned(['X1', 'X2']), [cosignCheckpoint(CHECKPOINT_TEXT, 'stranger.example', stranger, 1)]);
  assert.is(error(() => checkPolicy(note, policy))?.code, 'POLICY_NOT_MET');
  // A key with a witness's name but another key: unknown, not invalid.
  const impostor = addCosignatures(cosigned(['X1', 'X2', 'Y1']), [cosignCheckpoint(CHECKPOINT_TEXT, witnesses.X3.keyName, stranger, 1)]);
  assert.equal(checkPolicy(impostor, policy).witnesses.map((w) => w.name), ['X1', 'X2', 'Y1']);
});

test('the log signature must verify under one of the policy log keys', () => {
  const otherSigned = signCheckpoint({ origin: OTHER_ORIGIN, size: 1, rootHash }, otherLedger);
  const otherText = formatCheckpoint({ origin: OTHER_ORIGIN, size: 1, rootHash });
  const note = addCosignatures(
    otherSigned,
    (['X1', 'X2', 'Y1'] as const).map((n) => cosignCheckpoint(otherText, witnesses[n].keyName, witnesses[n].signer, 5)),
  );
  assert.is(checkPolicy(note, policy).checkpoint.origin, OTHER_ORIGIN);
  // A log outside the policy.
  const outsider = seedSigner(new Uint8Array(32).fill(3));
  assert.is(error(() => checkPolicy(cosigned(['X1', 'X2', 'Y1'], CHECKPOINT_TEXT, signCheckpoint({ origin: ORIGIN, size: 42, rootHash }, outsider)), policy))?.code, 'NOTE_UNKNOWN_SIGNER');
  // The log key under a name that is not the checkpoint's origin.
  const misnamed = signNote(otherText, [noteSigner(ORIGIN, ledger)]);
  assert.is(error(() => checkPolicy(misnamed, policy))?.code, 'CHECKPOINT_MISMATCH');
  // A tampered checkpoint, and what auditPolicy says about it.
  const tampered = cosigned(['X1', 'X2', 'Y1']).replace('\n42\n', '\n41\n');
  assert.is(error(() => checkPolicy(tampered, policy))?.code, 'NOTE_SIGNATURE_INVALID');
  const audit = auditPolicy(tampered, policy);
  assert.is(audit.ok, false);
  assert.is(audit.failure?.code, 'NOTE_SIGNATURE_INVALID');
  assert.is(audit.checkpoint, null);
  assert.equal(audit.witnesses, []);
});

test('quorum none needs no cosignature, and a single-witness quorum needs that witness', () => {
  const none = parsePolicy(`log ${LOG_VKEY}\nquorum none\n`);
  assert.equal(checkPolicy(SIGNED, none).witnesses, []);
  const single = parsePolicy(`log ${LOG_VKEY}\nwitness Y2 ${witnesses.Y2.vkey}\nquorum Y2\n`);
  assert.equal(checkPolicy(cosigned(['Y2']), single).witnesses.map((w) => w.name), ['Y2']);
  const e = error(() => checkPolicy(cosigned(['Y1']), single));
  assert.is(e?.code, 'POLICY_NOT_MET');
  assert.is(e?.details.unsatisfied, 'Y2');
});

test('deeper nesting: a quorum of two of three groups, one of them itself a group of groups', () => {
  const text = `log ${LOG_VKEY}
witness X1 ${witnesses.X1.vkey}
witness X2 ${witnesses.X2.vkey}
witness X3 ${witnesses.X3.vkey}
witness Y1 ${witnesses.Y1.vkey}
witness Y2 ${witnesses.Y2.vkey}
witness Y3 ${witnesses.Y3.vkey}
group A all X1 X2
group B any Y1 Y2
group AB 1 A B
group C 1 X3
group top 2 AB C Y3
quorum top
`;
  const nested = parsePolicy(text);
  const met: WitnessName[][] = [['X1', 'X2', 'X3'], ['Y1', 'Y3'], ['X3', 'Y3'], ['Y2', 'X3']];
  const notMet: WitnessName[][] = [['X1', 'X3'], ['Y3'], ['X1', 'Y3'], ['X2', 'X1'], ['Y1', 'Y2']];
  for (const names of met) assert.ok(auditPolicy(cosigned(names), nested).ok, names.join(' '));
  for (const names of notMet) assert.is(error(() => checkPolicy(cosigned(names), nested))?.code, 'POLICY_NOT_MET', names.join(' '));
});

test('parsePolicy rejects each kind of error with POLICY_MALFORMED and its line number', () => {
  const w = witnesses;
  const logAsWitness = LOG_VKEY; // type 0x01
  const witnessAsLog = w.X1.vkey; // type 0x04
  // The same public key as X1 under another name (a different vkey, the same key).
  const x1Renamed = formatVerifierKey(createVerifierKey('renamed.example', SIGNATURE_TYPE_COSIGNATURE_V1, w.X1.signer.publicKey));
  const logRenamed = formatVerifierKey(createVerifierKey('renamed.example', SIGNATURE_TYPE_ED25519, ledger.publicKey));
  const cases: [string, string, number | null][] = [
    ['unknown keyword', `log ${LOG_VKEY}\nwitnesses X1 ${w.X1.vkey}\nquorum none\n`, 2],
    ['keyword in capitals', `LOG ${LOG_VKEY}\nquorum none\n`, 1],
    ['log without key', `log\nquorum none\n`, 1],
    ['log with two URLs', `log ${LOG_VKEY} https://a/ https://b/\nquorum none\n`, 1],
    ['log with a bad key', `log ${LOG_VKEY.slice(0, -2)}\nquorum none\n`, 1],
    ['log with a witness key', `log ${witnessAsLog}\nquorum none\n`, 1],
    ['witness with a log key', `witness X1 ${logAsWitness}\nquorum none\n`, 1],
    ['witness without key', `witness X1\nquorum none\n`, 1],
    ['witness with too many fields', `witness X1 ${w.X1.vkey} https://a/ extra\nquorum none\n`, 1],
    ['duplicate log key', `log ${LOG_VKEY}\nlog ${logRenamed}\nquorum none\n`, 2],
    ['duplicate witness key', `witness X1 ${w.X1.vkey}\nwitness X9 ${x1Renamed}\nquorum none\n`, 2],
    ['duplicate witness name', `witness X1 ${w.X1.vkey}\nwitness X1 ${w.X2.vkey}\nquorum X1\n`, 2],
    ['group named like a witness', `witness X1 ${w.X1.vkey}\ngroup X1 any X1\nquorum X1\n`, 2],
    ['witness named none', `witness none ${w.X1.vkey}\nquorum none\n`, 1],
    ['group named none', `witness X1 ${w.X1.vkey}\ngroup none any X1\nquorum none\n`, 2],
    ['undefined member', `witness X1 ${w.X1.vkey}\ngroup G any X1 X2\nquorum G\n`, 2],
    ['member defined later', `group G any X1\nwitness X1 ${w.X1.vkey}\nquorum G\n`, 1],
    ['group that names itself (a cycle)', `witness X1 ${w.X1.vkey}\ngroup G any X1 G\nquorum G\n`, 2],
    ['none as a member', `witness X1 ${w.X1.vkey}\ngroup G any X1 none\nquorum G\n`, 2],
    ['member listed twice', `witness X1 ${w.X1.vkey}\nwitness X2 ${w.X2.vkey}\ngroup G 2 X1 X2 X1\nquorum G\n`, 3],
    ['member of two groups', `witness X1 ${w.X1.vkey}\nwitness X2 ${w.X2.vkey}\ngroup G any X1\ngroup H any X1 X2\ngroup T all G H\nquorum T\n`, 4],
    ['group without members', `witness X1 ${w.X1.vkey}\ngroup G any\nquorum none\n`, 2],
    ['threshold 0', `witness X1 ${w.X1.vkey}\ngroup G 0 X1\nquorum G\n`, 2],
    ['threshold above n', `witness X1 ${w.X1.vkey}\nwitness X2 ${w.X2.vkey}\ngroup G 3 X1 X2\nquorum G\n`, 3],
    ['threshold with a leading zero', `witness X1 ${w.X1.vkey}\ngroup G 01 X1\nquorum G\n`, 2],
    ['negative threshold', `witness X1 ${w.X1.vkey}\ngroup G -1 X1\nquorum G\n`, 2],
    ['threshold word', `witness X1 ${w.X1.vkey}\ngroup G some X1\nquorum G\n`, 2],
    ['undefined quorum', `witness X1 ${w.X1.vkey}\nquorum X2\n`, 2],
    ['quorum defined later', `quorum X1\nwitness X1 ${w.X1.vkey}\n`, 1],
    ['two quorum lines', `quorum none\nquorum none\n`, 2],
    ['quorum with two names', `witness X1 ${w.X1.vkey}\nquorum X1 none\n`, 2],
    ['no quorum', `log ${LOG_VKEY}\n`, null],
    ['empty file', '', null],
    ['carriage return', `log ${LOG_VKEY}\r\nquorum none\n`, 1],
    ['DEL character', `# \x7f\nquorum none\n`, 1],
    ['NUL in a comment', `quorum none\n# \x00\n`, 2],
    ['too long', `# ${'x'.repeat(MAX_POLICY_LENGTH)}\nquorum none\n`, null],
  ];
  for (const [what, text, line] of cases) {
    const e = error(() => parsePolicy(text));
    assert.is(e?.code, 'POLICY_MALFORMED', what);
    assert.is(e?.details.line, line, what);
  }
});

test('parsePolicy treats non-ASCII octets in names and comments as opaque', () => {
  const p = parsePolicy(`# Saksi — Kejaksaan\nwitness Kéjaksaan ${witnesses.X1.vkey}\ngroup K any Kéjaksaan\nquorum K\n`);
  assert.equal(p.groups[0]!.members, ['Kéjaksaan']);
  assert.is(error(() => parsePolicy(`witness K ${witnesses.X1.vkey}\ngroup G any \u212a\nquorum G\n`))?.code, 'POLICY_MALFORMED');
});

test.run();
