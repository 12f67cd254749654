/**
 * `custody demo`: the whole custody story on a new ledger, told step by step. Every "evidence" file
 * is generated random bytes — never real or imitation content. Ends with a tampered copy of the
 * database failing verification, and the commands to try next.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createVerifierKey, formatVerifierKey, openCheckpoint, SIGNATURE_TYPE_ED25519, signStatement, statementOf, toBase64, unsignedRecord, type RecordInput } from '@custody/core';
import { formatFingerprint, generateKeyPair, hashFile, Ledger, signLedgerCheckpoint, verifyLedger, writeKeyFile, type KeyPair } from '@custody/ledger';
import type { Context, GlobalArgs, Result } from '../context.js';
import { UsageError } from '../errors.js';
import { timeLine } from '../render.js';
import { printLine } from '../safe-text.js';

const ORIGIN = 'ledger.dittipidsiber.polri.go.id/demo';
const PHONE = 'BB/017/XI/2026/Dittipidsiber';
const IMAGE = 'BB/017/XI/2026/Dittipidsiber/IMG-1';
/** The demo key files' passphrase: printed below for trying the commands, so it is no secret, but it meets the rule. */
const PASSPHRASE = 'demo-bukan-rahasia';
const CASE = 'LP/B/0123/XI/2026/SPKT/Bareskrim Polri';

interface Person {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly agency: string;
  readonly role: 'officer' | 'external';
  readonly nrp?: string;
  readonly about: readonly [string, string];
}

const PEOPLE: readonly Person[] = [
  { id: 'budi.santoso', name: 'Budi Santoso', title: 'AKP', nrp: '87050123', agency: 'Dittipidsiber Bareskrim Polri', role: 'officer', about: ['seizing investigator', 'penyidik yang menyita'] },
  { id: 'sari.wulandari', name: 'Sari Wulandari', title: 'IPTU', nrp: '90010456', agency: 'Dittipidsiber Bareskrim Polri', role: 'officer', about: ['evidence custodian', 'PPBB (Pejabat Pengelola Barang Bukti)'] },
  { id: 'rudi.hartono', name: 'Rudi Hartono', title: 'KOMPOL', nrp: '82030789', agency: 'Puslabfor Polri', role: 'officer', about: ['forensic examiner', 'pemeriksa Labfor'] },
  { id: 'fbi.dana.miller', name: 'Dana Miller', title: 'Special Agent', agency: 'FBI Legal Attaché Jakarta', role: 'external', about: ['foreign partner (external)', 'mitra luar negeri (external)'] },
];

/** demo runs the story in --dir (new or empty) or a new temporary directory. */
export async function demo(ctx: Context, args: GlobalArgs & { dir?: string }): Promise<Result> {
  const L = (en: string, id: string): string => (ctx.lang === 'id' ? id : en);
  const dir = prepareDir(args.dir);
  const db = join(dir, 'polri.db');
  const out: string[] = [];
  const say = (line = ''): void => {
    out.push(line);
    if (!ctx.json) printLine(ctx.io.stdout, line, { keepTabs: true });
  };
  let clock = Date.now() - 3 * 24 * 3600 * 1000;
  const at = (minutes: number): string => {
    clock += minutes * 60_000;
    return new Date(clock).toISOString();
  };

  say(L('custody demo — a made-up case. Every "evidence" file here is random bytes, never real content.', 'custody demo — perkara rekaan. Setiap berkas "barang bukti" di sini berisi byte acak, bukan isi sebenarnya.'));
  say(L(`Directory: ${dir}`, `Direktori: ${dir}`));
  say();

  // Keys: encrypted key files, as officers keep them (passphrase "demo-bukan-rahasia", "demo, not a secret").
  const keys = new Map<string, KeyPair>();
  for (const name of ['ledger', ...PEOPLE.map((p) => p.id)]) {
    const pair = generateKeyPair();
    writeKeyFile(join(dir, `${name}.key`), pair, PASSPHRASE);
    keys.set(name, pair);
  }
  const key = (id: string): KeyPair => keys.get(id)!;
  const ledgerKey = key('ledger');

  // 1. The ledger.
  let ledger = Ledger.create(db, {
    origin: ORIGIN, name: 'Register Barang Bukti Digital (demo)', agency: 'Dittipidsiber Bareskrim Polri', signer: ledgerKey.signer, time: at(0), zone: 'Asia/Jakarta',
  });
  const verifierKey = formatVerifierKey(createVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ledgerKey.publicKey));
  say(L(`1. Ledger ${ORIGIN} created (polri.db). Verifier key:`, `1. Buku register ${ORIGIN} dibuat (polri.db). Kunci verifikasi:`));
  say(`   ${verifierKey}`);
  say(L(`   Ledger key fingerprint ${formatFingerprint(ledgerKey.fingerprint)}`, `   Sidik jari kunci buku register ${formatFingerprint(ledgerKey.fingerprint)}`));

  // 2. People.
  for (const p of PEOPLE) {
    ledger.append({
      type: 'identity.enrol', item: null, actor: 'ledger', time: at(1), zone: 'Asia/Jakarta',
      data: { id: p.id, name: p.name, agency: p.agency, role: p.role, key: toBase64(key(p.id).publicKey), title: p.title, ...(p.nrp === undefined ? {} : { nrp: p.nrp }) },
    }, ledgerKey.signer);
  }
  say(L('2. Enrolled, each with their own key file:', '2. Didaftarkan, masing-masing dengan berkas kuncinya sendiri:'));
  for (const p of PEOPLE) say(`   ${p.id.padEnd(16)} ${p.title} ${p.name}, ${p.agency} — ${L(...p.about)}`);

  const append = (input: RecordInput, signer: string, cosigners: string[] = []): number => {
    const fixed = { ...input, time: input.time ?? at(5) };
    const statement = statementOf(unsignedRecord(ledger, ledger.head(), fixed));
    const cosigs = cosigners.map((id) => signStatement(statement, id, key(id).signer));
    return ledger.append({ ...fixed, cosigs }, key(signer).signer).seq;
  };

  // 3. Seizure: a synthetic sample stands in for the phone's content.
  const phoneFile = join(dir, 'phone-sample.bin');
  writeFileSync(phoneFile, randomBytes(2 * 1024 * 1024));
  const phone = await hashFile(phoneFile, ['sha512', 'md5']);
  const seizedAt = at(60 * 20);
  const registerSeq = append({
    type: 'item.register', item: PHONE, actor: 'budi.santoso', time: at(30), zone: 'Asia/Makassar',
    data: {
      kind: 'phone',
      description: 'Ponsel Samsung Galaxy A54, hitam, layar retak (sampel sintetis: byte acak)',
      digests: phone.digests,
      size: phone.size,
      identifiers: { imei: '350000000000000' },
      cases: [CASE],
      seizure: { authority: 'SP.Sita/45/XI/2026/Dittipidsiber', place: 'Jl. Contoh No. 1, Makassar', time: seizedAt, witnesses: ['Ahmad Fauzi (Ketua RT 05)', 'Rina Marlina'] },
      seal: { numbers: ['SGL-2026-000417'], state: 'intact' },
      location: 'Tas barang bukti penyidik',
    },
  }, 'budi.santoso');
  say(L(
    `3. Seized in Makassar and registered as ${PHONE} by budi.santoso (#${registerSeq}),`,
    `3. Disita di Makassar dan didaftarkan sebagai ${PHONE} oleh budi.santoso (#${registerSeq}),`,
  ));
  say(L(`   at ${timeLine(ledger.record(registerSeq).record.time, 'Asia/Makassar')}; sample file phone-sample.bin (2 MiB random bytes)`, `   pada ${timeLine(ledger.record(registerSeq).record.time, 'Asia/Makassar')}; berkas sampel phone-sample.bin (2 MiB byte acak)`));
  say(`   sha256 ${phone.digests.sha256}`);
  say(L('   sealed SGL-2026-000417; witnesses Ahmad Fauzi (Ketua RT 05), Rina Marlina', '   disegel SGL-2026-000417; saksi Ahmad Fauzi (Ketua RT 05), Rina Marlina'));

  // 4. Handover to the evidence custodian, both signatures on one record.
  const t1 = append({
    type: 'custody.transfer', item: PHONE, actor: 'budi.santoso', time: at(60 * 6), zone: 'Asia/Jakarta',
    data: { from: 'budi.santoso', to: 'sari.wulandari', purpose: 'Penyerahan ke PPBB untuk disimpan', place: 'Ruang PPBB Dittipidsiber', seal: { numbers: ['SGL-2026-000417'], state: 'intact' } },
  }, 'budi.santoso', ['sari.wulandari']);
  append({ type: 'item.move', item: PHONE, actor: 'sari.wulandari', zone: 'Asia/Jakarta', data: { location: 'Gudang BB Dittipidsiber, lemari 7' } }, 'sari.wulandari');
  say(L(
    `4. Handover (BAST) budi.santoso → sari.wulandari (#${t1}), signed by both; stored in Gudang BB, lemari 7.`,
    `4. Serah terima (BAST) budi.santoso → sari.wulandari (#${t1}), ditandatangani keduanya; disimpan di Gudang BB, lemari 7.`,
  ));

  // 5. To the lab.
  const t2 = append({
    type: 'custody.transfer', item: PHONE, actor: 'sari.wulandari', time: at(60 * 18), zone: 'Asia/Jakarta',
    data: { from: 'sari.wulandari', to: 'rudi.hartono', purpose: 'Pemeriksaan laboratoris forensik digital', authority: 'Surat Permintaan Pemeriksaan B/77/XI/2026', seal: { numbers: ['SGL-2026-000417'], state: 'intact' } },
  }, 'sari.wulandari', ['rudi.hartono']);
  append({ type: 'item.unseal', item: PHONE, actor: 'rudi.hartono', zone: 'Asia/Jakarta', data: { numbers: ['SGL-2026-000417'], found: 'intact', purpose: 'Akuisisi forensik', place: 'Puslabfor Polri' } }, 'rudi.hartono');
  say(L(
    `5. Handover sari.wulandari → rudi.hartono at Labfor (#${t2}), both signatures; seal found intact and opened.`,
    `5. Serah terima sari.wulandari → rudi.hartono di Labfor (#${t2}), dua tanda tangan; segel ditemukan utuh lalu dibuka.`,
  ));

  // 6. A forensic image derived from the phone, and checked.
  const imageFile = join(dir, 'phone-image-sample.bin');
  writeFileSync(imageFile, randomBytes(3 * 1024 * 1024));
  const image = await hashFile(imageFile, ['sha512']);
  const derived = append({
    type: 'item.derive', item: IMAGE, actor: 'rudi.hartono', zone: 'Asia/Jakarta',
    data: {
      parents: [{ item: PHONE, head: ledger.itemState(PHONE).head }],
      kind: 'image', description: 'Citra forensik fisik ponsel (sampel sintetis: byte acak)', method: 'physical acquisition', tool: 'contoh-akuisisi 1.0',
      digests: image.digests, size: image.size, cases: [CASE],
    },
  }, 'rudi.hartono');
  const recheck = await hashFile(imageFile, ['sha512']);
  const checked = append({
    type: 'item.check', item: IMAGE, actor: 'rudi.hartono', zone: 'Asia/Jakarta',
    data: { digests: recheck.digests, size: recheck.size, result: recheck.digests.sha256 === image.digests.sha256 ? 'match' : 'mismatch', tool: 'custody hashFile' },
  }, 'rudi.hartono');
  append({ type: 'item.seal', item: PHONE, actor: 'rudi.hartono', zone: 'Asia/Jakarta', data: { numbers: ['SGL-LAB-2026-0091'], place: 'Puslabfor Polri' } }, 'rudi.hartono');
  const back = append({
    type: 'custody.transfer', item: PHONE, actor: 'rudi.hartono', zone: 'Asia/Jakarta',
    data: { from: 'rudi.hartono', to: 'sari.wulandari', purpose: 'Pengembalian setelah pemeriksaan', seal: { numbers: ['SGL-LAB-2026-0091'], state: 'intact' } },
  }, 'rudi.hartono', ['sari.wulandari']);
  say(L(
    `6. Forensic image ${IMAGE} derived (#${derived}) and re-measured: match (#${checked}).`,
    `6. Citra forensik ${IMAGE} diturunkan (#${derived}) dan diukur ulang: cocok (#${checked}).`,
  ));
  say(L(
    `   Phone resealed SGL-LAB-2026-0091 and handed back to the PPBB (#${back}).`,
    `   Ponsel disegel ulang SGL-LAB-2026-0091 dan diserahkan kembali ke PPBB (#${back}).`,
  ));

  // A copy of the file as it is now: later it stands for a copy whose newest records were deleted.
  ledger.close();
  const truncated = join(dir, 'truncated.db');
  copyFileSync(db, truncated);
  ledger = Ledger.open(db);

  // 7. To the FBI: offer, then acceptance with the agent's cosignature.
  const offer = append({
    type: 'custody.offer', item: IMAGE, actor: 'rudi.hartono', zone: 'Asia/Jakarta',
    data: { to: 'fbi.dana.miller', purpose: 'Bantuan timbal balik (MLA) melalui Divhubinter Polri', authority: 'Surat Divhubinter B/1234/XI/2026' },
  }, 'rudi.hartono');
  const accepted = append({
    type: 'custody.accept', item: IMAGE, actor: 'rudi.hartono', zone: 'Asia/Jakarta',
    data: { offer: ledger.itemState(IMAGE).offer!.leafHash, place: 'Kedutaan Besar AS, Jakarta', check: { digests: { sha256: image.digests.sha256! }, size: image.size, result: 'match' } },
  }, 'rudi.hartono', ['fbi.dana.miller']);
  say(L(
    `7. Image offered to fbi.dana.miller (#${offer}); accepted with the agent's cosignature after re-measuring (#${accepted}).`,
    `7. Citra ditawarkan kepada fbi.dana.miller (#${offer}); diterima dengan tanda tangan agen setelah diukur ulang (#${accepted}).`,
  ));
  say(L('   Custody in this ledger ends there: the FBI agent is external.', '   Penguasaan dalam buku register ini berakhir di sana: agen FBI adalah pihak luar (external).'));
  const size = ledger.size();
  // The ledger key signs a checkpoint, handed to someone outside the agency (here: a file).
  const checkpointFile = join(dir, 'checkpoint.txt');
  writeFileSync(checkpointFile, signLedgerCheckpoint(ledger, ledgerKey.signer).note);
  ledger.close();

  // 8. Verify.
  const good = await verifyLedger(db, { threads: 0 });
  say(good.ok
    ? L(`8. custody verify: ${good.size} records, intact (every hash, signature, link and custody rule checked).`, `8. custody verify: ${good.size} catatan, utuh (setiap hash, tanda tangan, tautan dan aturan penguasaan diperiksa).`)
    : L(`8. custody verify: NOT intact (${good.failureCount} problems).`, `8. custody verify: TIDAK utuh (${good.failureCount} masalah).`));

  // 9. One byte of a copy changed.
  const tampered = join(dir, 'tampered.db');
  copyFileSync(db, tampered);
  const bytes = readFileSync(tampered);
  const target = Buffer.from('Ahmad Fauzi');
  const at0 = bytes.indexOf(target);
  if (at0 >= 0) bytes[at0 + 3] = 'e'.charCodeAt(0); // "Ahmad" → "Ahmed", inside record #registerSeq
  writeFileSync(tampered, bytes);
  const bad = await verifyLedger(tampered, { threads: 0 });
  const first = bad.failures.find((f) => f.seq !== null);
  const firstCodes = first === undefined ? '' : [...new Set(bad.failures.filter((f) => f.seq === first.seq).map((f) => f.code))].sort().join(', ');
  say(L(
    `9. One byte changed in a copy (tampered.db: the witness "Ahmad" became "Ahmed"). custody verify on it:`,
    `9. Satu byte diubah pada salinan (tampered.db: saksi "Ahmad" menjadi "Ahmed"). custody verify padanya:`,
  ));
  say(first === undefined
    ? L('   (the change was not found)', '   (perubahan tidak ditemukan)')
    : L(`   verification failed — record #${first.seq}: ${firstCodes}; ${bad.failureCount} problem(s) in all.`, `   gagal verifikasi — catatan #${first.seq}: ${firstCodes}; ${bad.failureCount} masalah seluruhnya.`));

  // 10. Records deleted from the end cannot be seen in the file alone, only against a checkpoint held elsewhere.
  const alone = await verifyLedger(truncated, { threads: 0 });
  const held = openCheckpoint(readFileSync(checkpointFile), verifierKey).checkpoint;
  const roots = [{ size: held.size, rootHash: held.rootHash, source: 'checkpoint.txt' }];
  const against = await verifyLedger(truncated, { threads: 0, expectedRoots: roots });
  say(L(
    `10. truncated.db is a copy without the newest ${size - alone.size} records. On its own it verifies (${alone.ok ? 'intact' : 'not intact'}):`,
    `10. truncated.db adalah salinan tanpa ${size - alone.size} catatan terbaru. Sendirian ia lolos verifikasi (${alone.ok ? 'utuh' : 'tidak utuh'}):`,
  ));
  say(L(
    `    deleting the newest records leaves no trace in the file. Against checkpoint.txt, signed at ${size} records and`,
    `    menghapus catatan terbaru tidak meninggalkan jejak di berkas. Terhadap checkpoint.txt, ditandatangani pada ${size} catatan dan`,
  ));
  say(L(
    `    held outside the agency, it fails: ${against.failures[0]?.code ?? 'no failure'}.`,
    `    disimpan di luar instansi, ia gagal: ${against.failures[0]?.code ?? 'tidak ada kegagalan'}.`,
  ));

  const env = `CUSTODY_DB=${db} CUSTODY_PASSPHRASE=${PASSPHRASE}`;
  say();
  say(L('Try next:', 'Coba selanjutnya:'));
  if (process.argv[1] !== undefined && /custody\.js$/.test(process.argv[1])) say(`  alias custody='node ${process.argv[1]}'`);
  say(`  export ${env}`);
  say(`  custody history ${PHONE} --lang id`);
  say(`  custody history ${IMAGE}`);
  say(`  custody verify`);
  say(`  custody verify --db ${tampered}`);
  say(`  custody verify --db ${truncated} --checkpoint ${checkpointFile} --verifier-key ${verifierKey}`);
  say(`  custody log`);
  say(`  custody item note ${PHONE} --text "Catatan uji" --key ${join(dir, 'sari.wulandari.key')}`);
  say(`  custody item move ${PHONE} --location "Lemari 9" --key ${join(dir, 'budi.santoso.key')}   # ${L('refused: budi is not the custodian', 'ditolak: budi bukan pemegang')}`);
  say(`  custody export --out ${join(dir, 'polri.jsonl')}`);

  return {
    status: good.ok && !bad.ok && alone.ok && !against.ok ? 0 : 1,
    json: {
      dir, db, tampered, origin: ORIGIN, verifierKey, size, items: [PHONE, IMAGE],
      verify: { ok: good.ok, size: good.size, rootHash: good.rootHash },
      truncated, checkpointFile,
      truncatedVerify: { alone: alone.ok, againstCheckpoint: against.ok, failures: against.failures.map((f) => f.code) },
      tamperedVerify: { ok: bad.ok, failureCount: bad.failureCount, firstFailure: first === undefined ? null : { seq: first.seq, code: first.code } },
      story: out,
    },
    text: '',
  };
}

function prepareDir(dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), 'custody-demo-'));
  const abs = resolve(dir);
  if (existsSync(abs) && readdirSync(abs).length > 0) throw new UsageError('err.demoDir', { path: abs });
  mkdirSync(abs, { recursive: true });
  return abs;
}

