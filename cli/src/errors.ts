/**
 * What the command prints when it cannot do what was asked, and the exit status (STYLE.md; the
 * table of packages/core/README.md): 2 for bad usage or bad input — including an append the custody
 * rules refuse — and 3 when it could not run (locked database, read-only file, I/O).
 */
import { isCustodyError, type CustodyError, type ErrorCode, type ErrorDetails } from '@custody/core';
import { t, type Lang, type MessageKey } from './i18n.js';

/** An error in how the command was called, found by the command itself (code USAGE, exit 2). */
export class UsageError extends Error {
  readonly key: MessageKey;
  readonly vars: Record<string, string | number>;
  readonly details: ErrorDetails;
  constructor(key: MessageKey, vars: Record<string, string | number> = {}, details: ErrorDetails = {}) {
    super(t('en', key, vars));
    this.name = 'UsageError';
    this.key = key;
    this.vars = vars;
    this.details = details;
  }
}

/** Codes a command turns into exit status 3: it could not run. */
const COULD_NOT_RUN: ReadonlySet<ErrorCode> = new Set(['LEDGER_LOCKED', 'LEDGER_READ_ONLY', 'IO_ERROR', 'WITNESS_STATE_LOCKED']);
/**
 * Codes that only ever mean "not intact" (status 1 in packages/core/README.md), e.g. a checkpoint
 * the ledger no longer reproduces. Every other thrown code is bad input or a refused append: 2.
 */
const NOT_INTACT: ReadonlySet<ErrorCode> = new Set([
  'LOG_MISMATCH', 'SEQ_MISMATCH', 'CHAIN_BROKEN', 'PROOF_INVALID', 'ROOT_MISMATCH', 'NOTE_SIGNATURE_INVALID', 'NOTE_UNKNOWN_SIGNER',
  'CHECKPOINT_MISMATCH', 'STATE_MISMATCH', 'CHECKPOINT_INCONSISTENT', 'POLICY_NOT_MET', 'BUNDLE_INCOMPLETE', 'BUNDLE_UPSTREAM_MISMATCH',
]);

export const EXIT_OK = 0;
export const EXIT_NOT_INTACT = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANNOT_RUN = 3;

/** The JSON form of a failure, as `--json` prints it under "error". */
export interface ErrorJson {
  readonly code: string;
  readonly message: string;
  readonly details: ErrorDetails;
}

/** describeError returns the exit status, the JSON error and one sentence for stderr. */
export function describeError(e: unknown, lang: Lang): { status: number; error: ErrorJson } {
  if (e instanceof UsageError) {
    return { status: EXIT_USAGE, error: { code: 'USAGE', message: t(lang, e.key, e.vars), details: e.details } };
  }
  if (isCustodyError(e)) {
    const status = COULD_NOT_RUN.has(e.code) ? EXIT_CANNOT_RUN : NOT_INTACT.has(e.code) ? EXIT_NOT_INTACT : EXIT_USAGE;
    return { status, error: { code: e.code, message: custodyMessage(e, lang), details: e.details } };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { status: EXIT_CANNOT_RUN, error: { code: 'INTERNAL', message: t(lang, 'err.internal', { message }), details: {} } };
}

/** oneLine keeps a message to one line for stderr. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

type Details = ErrorDetails;
const str = (d: Details, k: string): string | undefined => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : undefined);

/**
 * custodyMessage says what went wrong in `lang`. English keeps the library's own message and adds
 * the file it concerns where that message does not name it; Indonesian has a sentence per code,
 * with the details the library gives.
 */
export function custodyMessage(e: CustodyError, lang: Lang): string {
  const d = e.details;
  const path = str(d, 'path');
  const withPath = (m: string): string => (path !== undefined && !m.includes(path) ? `${path}: ${m}` : m);
  if (lang === 'en') return withPath(e.message);
  const id = INDONESIAN[e.code]?.(d, e.message);
  return id ?? `${e.message}`;
}

const INDONESIAN: Partial<Record<ErrorCode, (d: Details, en: string) => string | undefined>> = {
  FILE_NOT_FOUND: (d) => `Berkas atau direktori tidak ditemukan: ${str(d, 'path') ?? ''}.`,
  FILE_EXISTS: (d) => `Berkas sudah ada dan tidak akan ditimpa: ${str(d, 'path') ?? ''}.`,
  FILE_UNREADABLE: (d) => `Tidak dapat dibaca (bukan berkas biasa, atau izin ditolak): ${str(d, 'path') ?? ''}.`,
  KEY_FILE_INVALID: (d) => `${str(d, 'path') ?? 'Berkas kunci'} bukan berkas kunci Ed25519 terenkripsi yang sah, atau rusak.`,
  PASSPHRASE_WRONG: (d) => `Frasa sandi untuk ${str(d, 'path') ?? 'berkas kunci'} salah.`,
  PASSPHRASE_WEAK: (d) => `Frasa sandi untuk berkas kunci baru terlalu lemah: minimal ${str(d, 'minLength') ?? '12'} karakter dan bukan satu karakter yang diulang (beberapa kata, mis. empat, sudah cukup).`,
  LEDGER_NOT_FOUND: (d) => `Tidak ada buku register di ${str(d, 'path') ?? ''}.`,
  LEDGER_SCHEMA_TAMPERED: (d) => `${str(d, 'path') ?? 'Berkas ini'} telah diubah di luar custody: skemanya bukan skema yang dibuat custody (objek "${str(d, 'object') ?? '?'}"). Berkas ditolak; tidak ada isinya yang dibaca.`,
  LEDGER_DAMAGED: (d) => {
    const damaged = `${str(d, 'path') ?? 'Buku register'} rusak atau diubah di luar custody`;
    if (str(d, 'rows') !== undefined) {
      return `Tabel records berisi ${str(d, 'rows')} baris, tetapi pembacaan menurut urutan seq hanya memberikan ${str(d, 'read') ?? '?'}: ada baris yang disembunyikan dari pembacaan berurutan (B-tree yang saling bertentangan, atau seq yang tidak mungkin dimiliki catatan). Berkas diubah di luar custody.`;
    }
    if (str(d, 'table') !== undefined) return `${damaged}: isi tabel ${str(d, 'table')} tidak seperti yang dibuat custody (jalankan custody verify).`;
    if (str(d, 'seq') !== undefined) return `${damaged}: catatan ${str(d, 'seq')} tidak dapat dibaca sebagai catatan yang sah (jalankan custody verify).`;
    return `${damaged}. Keterangan SQLite: ${str(d, 'reason') ?? '-'}`;
  },
  LEDGER_NOT_A_LEDGER: (d) => `${str(d, 'path') ?? 'Berkas ini'} bukan buku register custody (atau rusak).`,
  LEDGER_SCHEMA_NEWER: (d) => `${str(d, 'path') ?? 'Buku register ini'} ditulis oleh versi custody yang lebih baru; perbarui custody.`,
  LEDGER_LOCKED: (d) => `${str(d, 'path') ?? 'Buku register'} sedang dikunci oleh proses lain; coba lagi setelah selesai.`,
  WITNESS_STATE_LOCKED: (d) => `Berkas keadaan saksi ${str(d, 'path') ?? ''} sedang dipakai proses lain; coba lagi setelah selesai.`,
  LEDGER_READ_ONLY: (d) => `${str(d, 'path') ?? 'Buku register'} hanya dapat dibaca di sini; tidak ada yang ditulis.`,
  LEDGER_EXISTS: (d) => `${str(d, 'path') ?? 'Berkas'} sudah ada; buku register hanya dibuat pada berkas baru.`,
  ITEM_UNKNOWN: (d) => `Tidak ada barang bukti "${str(d, 'item') ?? ''}" di buku register ini.`,
  ITEM_EXISTS: (d) => `Barang bukti "${str(d, 'item') ?? ''}" sudah terdaftar di buku register ini.`,
  RECORD_UNKNOWN: (d) => `Tidak ada catatan ${str(d, 'seq') ?? ''} di buku register ini.`,
  IDENTITY_UNKNOWN: (d) =>
    str(d, 'fingerprint') !== undefined
      ? `Kunci dalam ${str(d, 'path') ?? ''} (sidik jari ${str(d, 'fingerprint')!.replace(/.{4}(?!$)/g, '$& ')}) bukan kunci yang berlaku bagi identitas mana pun di buku register ini.`
      : `"${str(d, 'id') ?? str(d, 'signer') ?? ''}" bukan identitas yang terdaftar.`,
  COSIGNATURE_MISSING: (d) => `Catatan ini harus ditandatangani juga oleh "${str(d, 'id') ?? ''}" (berikan --cosign-key atau --cosig).`,
  COSIGNATURE_INVALID: (d) => `Tanda tangan "${str(d, 'signer') ?? str(d, 'id') ?? ''}" pada pernyataan ini tidak sah.`,
  SIGNATURE_INVALID: (d) => `Tanda tangan "${str(d, 'signer') ?? ''}"${str(d, 'seq') !== undefined ? ` pada catatan ${str(d, 'seq')}` : ''} tidak sah.`,
  KEY_NOT_VALID: (d) => `Kunci "${str(d, 'signer') ?? ''}" tidak berlaku saat ini (${str(d, 'problem') ?? ''}).`,
  KEY_INVALID: () => 'Kunci publik ini bukan kunci Ed25519 yang sah.',
  HEX_INVALID: (d) =>
    str(d, 'algorithm') !== undefined ? `Nilai hash ${str(d, 'algorithm')} harus berupa heksadesimal dengan panjang yang tepat.` : 'Nilai heksadesimal tidak sah.',
  BASE64_INVALID: () => 'Nilai base64 tidak sah (harus base64 standar kanonis dengan padding).',
  SCHEMA_INVALID: (d, en) =>
    str(d, 'algorithm') !== undefined
      ? `Algoritme hash "${str(d, 'algorithm')}" tidak dikenal atau diberikan dua kali (ditulis ALG:HEX, mis. sha256:9f86…).`
      : `Masukan tidak sesuai skema: ${en}`,
  ITEM_CHAIN_BROKEN: (d) => `Rantai catatan barang bukti "${str(d, 'item') ?? ''}" tidak bersambung (ada catatan yang lebih baru).`,
  IO_ERROR: (d, en) => `Gagal membaca atau menulis${str(d, 'path') !== undefined ? ` ${str(d, 'path')}` : ''}: ${en}`,
  CUSTODY_RULE: (d, en) => custodyRuleId(d, en),
  JSON_SYNTAX: () => 'Masukan bukan JSON yang sah.',
  JSON_DUPLICATE_KEY: () => 'Masukan JSON menyebut anggota yang sama dua kali.',
  JSON_TOO_LARGE: () => 'Masukan terlalu besar.',
  JSON_NUMBER: () => 'Masukan JSON memuat bilangan yang bukan bilangan bulat yang aman.',
  CHECKPOINT_MISMATCH: (d, en) =>
    /records have been removed/.test(en)
      ? `Checkpoint ${str(d, 'source') ?? ''} mencakup lebih banyak catatan daripada yang ada di buku register: ada catatan yang dihapus.`.replace('  ', ' ')
      : `Buku register tidak sesuai dengan checkpoint: ${en}`,
  CHAIN_BROKEN: (d) => `Catatan ${str(d, 'seq') ?? ''} tidak bertaut ke nilai hash catatan sebelumnya.`,
  SEQ_MISMATCH: (d) => `Urutan catatan terputus di ${str(d, 'seq') ?? ''}: ada catatan yang hilang atau disisipkan.`,
  LOG_MISMATCH: () => 'Catatan ini milik buku register lain (origin berbeda).',
  ROOT_MISMATCH: () => 'Nilai hash pohon Merkle yang tersimpan tidak sesuai dengan catatan.',
  STATE_MISMATCH: () => 'Data turunan yang tersimpan (tabel untuk kueri) tidak sesuai dengan catatan.',
  TIME_REGRESSION: (d) => `Waktu catatan ${str(d, 'seq') ?? ''} lebih dari 5 menit sebelum catatan sebelumnya.`,
  TIME_IN_FUTURE: (d) =>
    `Ditolak: waktu ${str(d, 'time') ?? ''} lebih dari 5 menit setelah jam komputer ini (${str(d, 'now') ?? ''}); catatan tidak boleh bertanggal di masa depan. Periksa jam komputer ini (tanggal, jam dan zona waktu) serta waktu yang diberikan.`,
  TIME_BEFORE_GENESIS: (d) =>
    str(d, 'path') === '/late/recorded'
      ? `Ditolak: waktu pencatatan ${str(d, 'time') ?? ''} sebelum buku register ini dibuat (${str(d, 'genesisTime') ?? ''}); periksa jam komputer ini.`
      : `Ditolak: catatan bertanggal ${str(d, 'time') ?? ''}, sebelum buku register ini dibuat (${str(d, 'genesisTime') ?? ''}). Peristiwa sebelum itu hanya dapat dicatat sebagai catatan terlambat, beserta alasannya (--late-reason).`,
  TEXT_MIXED_SCRIPT: (d) =>
    `Ditolak: teks pada ${str(d, 'path') ?? ''} mencampur aksara dalam satu kata: "${str(d, 'word') ?? ''}" (${str(d, 'scripts') ?? ''}; huruf ${str(d, 'letters') ?? ''} dari aksara lain: huruf serupa?). Ketik ulang kata itu dalam satu aksara.`,
  CHECKPOINT_INCONSISTENT: () => 'Buku register tidak lagi memiliki root yang pernah ditandatangani: riwayatnya ditulis ulang. Tidak ada checkpoint yang ditandatangani.',
  CHECKPOINT_MALFORMED: () => 'Berkas checkpoint tidak berformat C2SP (origin, ukuran, root).',
  NOTE_MALFORMED: () => 'Berkas checkpoint bukan signed note C2SP yang sah.',
  NOTE_SIGNATURE_INVALID: () => 'Tanda tangan pada checkpoint tidak sah.',
  NOTE_UNKNOWN_SIGNER: () => 'Checkpoint tidak ditandatangani oleh kunci verifikasi yang diberikan.',
  VERIFIER_KEY_INVALID: () => 'Kunci verifikasi tidak sah (format: origin+keyid+base64).',
};

/** The custody rules' refusals, in Indonesian. The library gives a reason in words only, so the common ones are recognised here. */
function custodyRuleId(d: Details, en: string): string {
  const item = str(d, 'item') ?? /item "([^"]*)"|of "([^"]*)"/.exec(en)?.slice(1).find((x) => x !== undefined) ?? '';
  if (d['from'] !== undefined && d['custodian'] !== undefined) {
    return `Ditolak: "${str(d, 'from')}" bukan pemegang barang bukti "${item}" (pemegangnya "${str(d, 'custodian')}").`;
  }
  if (d['custodian'] !== undefined) {
    return `Ditolak: hanya pemegang barang bukti "${item}" ("${str(d, 'custodian')}") yang boleh melakukannya.`;
  }
  if (/external identity never appends/.test(en)) return 'Ditolak: identitas external (pihak luar) tidak pernah menambahkan catatan ke buku register ini.';
  if (/disposed of/.test(en)) return `Ditolak: barang bukti "${item}" sudah diselesaikan (dimusnahkan/dikembalikan); hanya keterangan yang boleh menyusul.`;
  if (/in transit/.test(en)) return `Ditolak: barang bukti "${item}" sedang dalam pengiriman; hanya terima, tolak atau batal yang boleh menyusul.`;
  if (/has no open offer/.test(en)) return `Ditolak: barang bukti "${item}" tidak sedang ditawarkan.`;
  if (/must be signed by/.test(en)) return `Ditolak: "${str(d, 'actor') ?? ''}" (${str(d, 'role') ?? ''}) tidak berwenang membuat catatan ini.`;
  if (/Only the offerer/.test(en)) return 'Ditolak: hanya pihak yang menawarkan yang boleh membatalkan penawaran.';
  if (/revoked/.test(en)) return `Ditolak: identitas "${str(d, 'id') ?? ''}" sudah dicabut.`;
  if (/is (officer|admin|external|witness); it must be/.test(en)) return `Ditolak: "${str(d, 'id') ?? ''}" (${str(d, 'role') ?? ''}) tidak dapat menerima barang bukti.`;
  if (/not sealed|seal numbers/.test(en)) return `Ditolak: nomor segel tidak sesuai dengan yang tercatat untuk "${item}".`;
  return `Ditolak oleh aturan rantai penguasaan: ${en}`;
}
