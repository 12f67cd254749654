// Keys on the ledger file and through the CLI: a signature by a revoked key after its revocation, by
// a rotated-out key, by a key enrolled only after the record, and an `external` identity acting as
// appender. Each is refused when appended with `custody` (exit 2, a coded error, nothing written),
// and, written into the file by someone who holds it and the key (a fully consistent row: leaf,
// Merkle hashes, columns), flagged by `custody verify` at that record with the right code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { leafBytesOf, leafHash, signRecord, storedHashesForLeaf, toBase64, unsignedRecord, type Signer } from '../../packages/core/src/index.js';
import { generateKeyPair, Ledger, nodeCrypto, writeKeyFile } from '../../packages/ledger/src/index.js';
import { custody, LOW_COST, PASSPHRASE, world, type World } from '../../cli/test/helpers.js';
import { openRaw } from '../../packages/ledger/test/raw-sqlite.js';

/** forge writes, as a holder of the file and of `signer` would, a note by `actor` at the end of the ledger. */
function forge(db: string, actor: string, signer: Signer, text: string): number {
  const ledger = Ledger.open(db);
  try {
    const head = ledger.head();
    const record = signRecord(unsignedRecord(ledger, head, { type: 'item.note', item: null, actor, data: { text } }), signer);
    const leaf = leafBytesOf(record);
    const hashes = Buffer.concat(storedHashesForLeaf(head.size, leafHash(leaf, nodeCrypto), ledger, nodeCrypto).map((s) => Buffer.from(s.hash)));
    const raw = openRaw(db);
    raw
      .prepare('INSERT INTO records (seq, leaf, hashes, type, item, item_prev, actor, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(head.size, leaf, hashes, record.type, null, null, actor, record.time);
    raw.close();
    return head.size;
  } finally {
    ledger.close();
  }
}

async function json(w: World, args: string[]): Promise<{ status: number | null; code: string | undefined; doc: Record<string, unknown> }> {
  const r = await custody([...args, '--json'], w.env);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  return { status: r.status, code: (doc['error'] as { code?: string } | undefined)?.code, doc };
}

/** refusedNote checks that `custody item note` signed with `keyFile` is refused with one of `codes` and writes nothing. */
async function refusedNote(w: World, keyFile: string, codes: string[]): Promise<void> {
  const before = w.size();
  const r = await json(w, ['item', 'note', 'BB-1', '--text', 'Catatan', '--key', keyFile]);
  assert.is(r.status, 2, JSON.stringify(r.doc));
  assert.ok(r.code !== undefined && codes.includes(r.code), `refused with ${codes.join(' or ')}: ${r.code}`);
  assert.is(w.size(), before, 'nothing written');
}

/** flagged checks that `custody verify` fails (exit 1) at `seq` with one of `codes`. */
async function flagged(w: World, seq: number, codes: string[]): Promise<void> {
  const r = await json(w, ['verify']);
  assert.is(r.status, 1, JSON.stringify(r.doc));
  const failures = (r.doc['report'] as { failures: { seq: number | null; code: string }[] }).failures;
  assert.ok(failures.some((f) => f.seq === seq && codes.includes(f.code)), `record ${seq} flagged ${codes.join(' or ')}: ${JSON.stringify(failures)}`);
}

test('a revoked key after its revocation: refused by custody item note, flagged by custody verify', async () => {
  const w = world();
  try {
    assert.is((await json(w, ['identity', 'revoke', 'budi', '--reason', 'Mutasi', '--key', w.key('adm')])).status, 0);
    await refusedNote(w, w.key('budi'), ['KEY_NOT_VALID', 'IDENTITY_UNKNOWN']);
    const seq = forge(w.db, 'budi', w.keys['budi']!.signer, 'Setelah dicabut');
    await flagged(w, seq, ['KEY_NOT_VALID']);
  } finally {
    w.cleanup();
  }
});

test('a rotated-out key: refused once the rotation is recorded, flagged by verify; the new key signs', async () => {
  const w = world();
  try {
    const next = generateKeyPair();
    const nextFile = join(w.dir, 'sari-2.key');
    writeKeyFile(nextFile, next, PASSPHRASE, LOW_COST);
    assert.is((await json(w, ['identity', 'rotate', 'sari', '--public-key', toBase64(next.publicKey), '--key', w.key('sari')])).status, 0);
    await refusedNote(w, w.key('sari'), ['KEY_NOT_VALID', 'IDENTITY_UNKNOWN', 'SIGNATURE_INVALID']);
    assert.is((await json(w, ['item', 'note', 'BB-1', '--text', 'Kunci baru', '--key', nextFile])).status, 0, 'the new key signs');
    const seq = forge(w.db, 'sari', w.keys['sari']!.signer, 'Dengan kunci lama');
    await flagged(w, seq, ['SIGNATURE_INVALID', 'KEY_NOT_VALID']);
  } finally {
    w.cleanup();
  }
});

test('a key enrolled later than the record: refused before the enrolment, flagged by verify after it', async () => {
  const w = world();
  try {
    await refusedNote(w, w.key('eve'), ['IDENTITY_UNKNOWN', 'KEY_NOT_VALID']);
    const seq = forge(w.db, 'eve', w.keys['eve']!.signer, 'Sebelum didaftarkan');
    const enrol = await json(w, ['identity', 'enrol', 'eve', '--name', 'Eve', '--agency', 'Polri', '--role', 'officer', '--public-key', toBase64(w.keys['eve']!.publicKey), '--key', w.key('ledger')]);
    assert.is(enrol.status, 0, JSON.stringify(enrol.doc));
    await flagged(w, seq, ['IDENTITY_UNKNOWN', 'KEY_NOT_VALID']);
  } finally {
    w.cleanup();
  }
});

test('an external identity acting as appender: refused (CUSTODY_RULE), flagged by verify', async () => {
  const w = world();
  try {
    await refusedNote(w, w.key('fbi.doe'), ['CUSTODY_RULE']);
    const register = await json(w, ['item', 'register', 'FBI-1', '--kind', 'phone', '--description', 'x', '--digest', `sha256:${'ab'.repeat(32)}`, '--key', w.key('fbi.doe')]);
    assert.is(register.status, 2);
    assert.is(register.code, 'CUSTODY_RULE');
    const seq = forge(w.db, 'fbi.doe', w.keys['fbi.doe']!.signer, 'Oleh mitra luar');
    await flagged(w, seq, ['CUSTODY_RULE']);
  } finally {
    w.cleanup();
  }
});

test.run();
