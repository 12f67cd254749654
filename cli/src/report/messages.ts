/**
 * The words of the court report, the handover record (berita acara serah terima) and the verifier
 * page, in English and Bahasa Indonesia, with the terms of shared/GLOSSARY.md. Legal documents are
 * named in both languages whichever is chosen. Pure: runs in the browser page too.
 */
export type ReportLang = 'en' | 'id';

type Entry = readonly [en: string, id: string];

export const REPORT_MESSAGES = {
  'doc.report': ['Chain-of-custody report', 'Laporan rantai penguasaan barang bukti'],
  'doc.reportOther': ['Laporan rantai penguasaan barang bukti', 'Chain-of-custody report'],
  'doc.bast': ['Handover record', 'Berita Acara Serah Terima'],
  'doc.bastOther': ['Berita Acara Serah Terima (BAST)', 'Handover record'],
  'doc.verifier': ['Offline verifier of custody bundles', 'Pemeriksa bundel rantai penguasaan (luring)'],
  'sec.verdict': ['Verification result', 'Hasil verifikasi'],
  'sec.checks': ['What was checked', 'Yang diperiksa'],
  'sec.items': ['Evidence items (barang bukti)', 'Barang bukti (evidence items)'],
  'sec.timeline': ['Chain of custody (rantai penguasaan)', 'Rantai penguasaan (chain of custody)'],
  'sec.identities': ['Persons and keys involved', 'Pihak yang terlibat dan kuncinya'],
  'sec.checkpoint': ['Checkpoint and witnesses', 'Checkpoint dan saksi (witness)'],
  'sec.legal': ['Legal note', 'Catatan hukum'],
  'sec.failures': ['Failures', 'Kegagalan'],
  'sec.warnings': ['Warnings', 'Peringatan'],
  'sec.upstream': ['Upstream ledgers (other agencies)', 'Buku register asal (instansi lain)'],
  'sec.howToVerify': ['How anyone can verify this record', 'Cara siapa pun memverifikasi catatan ini'],
  'sec.signatures': ['Signatures', 'Tanda tangan'],
  'v.intact': ['INTACT — verified', 'UTUH — terverifikasi'],
  'v.notIntact': ['NOT INTACT — verification failed', 'TIDAK UTUH — gagal verifikasi'],
  'v.notBundle': ['NOT A CUSTODY BUNDLE', 'BUKAN BUNDEL RANTAI PENGUASAAN'],
  'v.intactText': [
    'Every check below ran and passed: the records are the ones the ledger signed, in the order it signed them, and the custody rules hold.',
    'Semua pemeriksaan di bawah dijalankan dan lolos: catatan-catatan ini adalah yang ditandatangani buku register, dalam urutan aslinya, dan aturan penguasaan terpenuhi.',
  ],
  'v.notIntactText': [
    'At least one check failed or could not run. Do not rely on this history until the failures below are explained.',
    'Sedikitnya satu pemeriksaan gagal atau tidak dapat dijalankan. Jangan mengandalkan riwayat ini sebelum kegagalan di bawah dijelaskan.',
  ],
  'h.ledger': ['Ledger (register)', 'Buku register'],
  'h.origin': ['Origin', 'Origin'],
  'h.agency': ['Agency', 'Instansi'],
  'h.logKey': ['Ledger verifier key', 'Kunci pemverifikasi buku register'],
  'h.trust': ['Trusted as', 'Dipercaya melalui'],
  'h.trustPolicy': ['a trust policy (log key and witness quorum)', 'kebijakan kepercayaan (kunci log dan kuorum saksi)'],
  'h.trustKey': ['the log key given to the verifier', 'kunci log yang diberikan kepada pemeriksa'],
  'h.trustOwn': ['the ledger’s own key (this agency’s ledger)', 'kunci buku register sendiri (buku register instansi ini)'],
  'h.item': ['Exhibit number (nomor barang bukti)', 'Nomor barang bukti'],
  'h.kind': ['Kind', 'Jenis'],
  'h.description': ['Description', 'Uraian'],
  'h.cases': ['Case references (LP / nomor perkara)', 'Laporan polisi / nomor perkara'],
  'h.seizure': ['Seizure (penyitaan)', 'Penyitaan'],
  'h.identifiers': ['Identifiers', 'Pengenal'],
  'h.digests': ['Hash values (nilai hash)', 'Nilai hash'],
  'h.size': ['Size', 'Ukuran'],
  'h.custodian': ['Custodian now (pemegang)', 'Pemegang saat ini'],
  'h.seal': ['Seal (segel)', 'Segel'],
  'h.location': ['Storage location', 'Tempat penyimpanan'],
  'h.parents': ['Made from', 'Dibuat dari'],
  'h.disposed': ['Disposed of', 'Diselesaikan'],
  'h.imported': ['Received from another ledger', 'Diterima dari buku register lain'],
  'h.inTransit': ['In transit to', 'Dalam pengiriman kepada'],
  'h.seq': ['#', '#'],
  'h.time': ['Time (local / UTC)', 'Waktu (setempat / UTC)'],
  'h.event': ['Event', 'Peristiwa'],
  'h.parties': ['Released by → received by', 'Yang menyerahkan → yang menerima'],
  'h.purpose': ['Purpose and authority', 'Keperluan dan dasar hukum'],
  'h.sealState': ['Seal', 'Segel'],
  'h.check': ['Hash values re-measured', 'Nilai hash diukur ulang'],
  'h.signed': ['Signed / cosigned by', 'Ditandatangani / turut ditandatangani'],
  'h.by': ['by', 'oleh'],
  'h.id': ['Id', 'Id'],
  'h.name': ['Name', 'Nama'],
  'h.role': ['Role', 'Peran'],
  'h.nrp': ['NRP/NIP', 'NRP/NIP'],
  'h.title': ['Rank / title', 'Pangkat / jabatan'],
  'h.fingerprint': ['Key fingerprint (SHA-256)', 'Sidik jari kunci (SHA-256)'],
  'h.validFrom': ['valid from record', 'berlaku sejak catatan'],
  'h.until': ['until', 'sampai'],
  'h.revoked': ['revoked at record', 'dicabut pada catatan'],
  'h.size.records': ['Tree size (records)', 'Ukuran pohon (catatan)'],
  'h.root': ['Root hash', 'Hash akar'],
  'h.witnesses': ['Witnesses who cosigned (checked)', 'Saksi yang turut menandatangani (diperiksa)'],
  'h.cosigLines': ['Signature lines on the checkpoint', 'Baris tanda tangan pada checkpoint'],
  'h.leaf': ['Leaf hash', 'Hash daun (leaf hash)'],
  'h.place': ['Place', 'Tempat'],
  'h.placeTime': ['Place and time', 'Tempat dan waktu'],
  'h.authority': ['Authority', 'Dasar hukum'],
  'h.remarks': ['Remarks (keterangan)', 'Keterangan'],
  'h.generated': ['Generated', 'Dibuat'],
  'h.record': ['Record', 'Catatan'],
  'h.firstParty': ['Released by (first party) — yang menyerahkan (pihak pertama)', 'Yang menyerahkan (pihak pertama) — released by (first party)'],
  'h.secondParty': ['Received by (second party) — yang menerima (pihak kedua)', 'Yang menerima (pihak kedua) — received by (second party)'],
  'h.firstPartyShort': ['Released by (yang menyerahkan, pihak pertama)', 'Yang menyerahkan (pihak pertama)'],
  'h.secondPartyShort': ['Received by (yang menerima, pihak kedua)', 'Yang menerima (pihak kedua)'],
  'h.purposeOnly': ['Purpose (keperluan)', 'Keperluan'],
  'sec.handover': ['The handover (serah terima)', 'Serah terima (handover)'],
  'h.signature': ['Signature', 'Tanda tangan'],
  'h.electronic': ['Electronic signature in the ledger', 'Tanda tangan elektronik di buku register'],
  'h.verifiedSig': ['verified', 'terverifikasi'],
  'h.notVerifiedSig': ['NOT verified', 'TIDAK terverifikasi'],
  'h.status': ['Status', 'Status'],
  'h.code': ['Code', 'Kode'],
  'h.late': ['Recorded late (catatan terlambat)', 'Dicatat terlambat (late entry)'],
  'h.lateText': ['recorded on {time}, after the event; reason: {reason}', 'dicatat pada {time}, setelah peristiwanya; alasan: {reason}'],
  'w.mixedScript': [
    'This text mixes scripts in one word: “{word}” (spelled {spelled}; {scripts}) — a look-alike letter from another script?',
    'Teks ini mencampur aksara dalam satu kata: “{word}” (dieja {spelled}; {scripts}) — huruf serupa dari aksara lain?',
  ],
  'h.recordsAfter': [
    '{n} record(s) about these items were appended after the latest checkpoint and are not covered by this report; sign a new checkpoint (custody checkpoint) and report again.',
    '{n} catatan tentang barang bukti ini ditambahkan setelah checkpoint terakhir dan tidak tercakup laporan ini; tanda tangani checkpoint baru (custody checkpoint) lalu buat laporan lagi.',
  ],
  'w.intact': ['intact', 'utuh'],
  'w.broken': ['broken', 'rusak'],
  'w.match': ['match', 'cocok'],
  'w.mismatch': ['MISMATCH', 'TIDAK COCOK'],
  'w.none': ['none', 'tidak ada'],
  'w.yes': ['yes', 'ya'],
  'w.ok': ['passed', 'lolos'],
  'w.failed': ['FAILED', 'GAGAL'],
  'w.not': ['none of them checked', 'tidak ada yang diperiksa'],
  'check.format': ['Bundle format', 'Format bundel'],
  'check.checkpoint': ['Checkpoint signed by the trusted ledger key (and witness quorum)', 'Checkpoint ditandatangani kunci buku register yang dipercaya (dan kuorum saksi)'],
  'check.inclusion-proofs': ['Every record proved in the signed log (Merkle inclusion)', 'Setiap catatan terbukti ada dalam log yang ditandatangani (bukti inklusi Merkle)'],
  'check.contents': ['Only the records of these items (no other case revealed)', 'Hanya catatan barang bukti ini (perkara lain tidak terungkap)'],
  'check.signatures-and-custody-rules': ['Every signature with the key valid at its record; chain complete; custody rules', 'Setiap tanda tangan dengan kunci yang berlaku; rantai lengkap; aturan penguasaan'],
  'check.upstream': ['Histories imported from other agencies', 'Riwayat yang diterima dari instansi lain'],
  'legal.text': [
    'Under UU ITE (Law 11/2008 as amended by Law 19/2016 and Law 1/2024) Pasal 5, electronic information and electronic documents (informasi elektronik / dokumen elektronik) and their printouts are legally admissible means of proof (alat bukti yang sah). Pasal 6 requires that such information be accessible, displayable, its integrity guaranteed (keutuhan) and accountable, so that it explains a situation. This report supports those requirements for the chain of custody: integrity — each record’s hash value and electronic signature are re-verified and its place in the signed log is proved; accessibility and display — the bundle is an open JSON document that anyone can check offline with the verifier page, without this agency’s systems; accountability — every step names the persons who signed it, their agencies and key fingerprints, and the time in WIB/WITA/WIT and UTC. The ledger holds hash values and metadata only, never the evidence content.',
    'Menurut UU ITE (UU 11/2008 sebagaimana diubah dengan UU 19/2016 dan UU 1/2024) Pasal 5, informasi elektronik dan/atau dokumen elektronik dan hasil cetaknya merupakan alat bukti hukum yang sah. Pasal 6 mensyaratkan informasi tersebut dapat diakses, ditampilkan, dijamin keutuhannya, dan dapat dipertanggungjawabkan sehingga menerangkan suatu keadaan. Laporan ini mendukung syarat tersebut untuk rantai penguasaan barang bukti: keutuhan — nilai hash dan tanda tangan elektronik setiap catatan diverifikasi ulang dan kedudukannya dalam log yang ditandatangani dibuktikan; dapat diakses dan ditampilkan — bundel adalah dokumen JSON terbuka yang dapat diperiksa siapa pun secara luring dengan halaman pemeriksa, tanpa sistem instansi ini; dapat dipertanggungjawabkan — setiap langkah menyebut pihak yang menandatanganinya, instansinya, sidik jari kuncinya, dan waktunya dalam WIB/WITA/WIT dan UTC. Buku register hanya memuat nilai hash dan metadata, tidak pernah isi barang bukti.',
  ],
  'howto.text': [
    'Anyone can check this record without trusting the agency: obtain the custody bundle of the item (custody bundle export) and the ledger’s verifier key, open the offline verifier page (custody verifier --out verifier.html) in any browser, choose the bundle and paste the key. The page must show INTACT and list record #{seq} with the leaf hash above. Or on a computer with custody: custody report --bundle BUNDLE.json --log-key KEY --handover {seq}.',
    'Siapa pun dapat memeriksa catatan ini tanpa harus memercayai instansi: dapatkan bundel rantai penguasaan barang bukti (custody bundle export) dan kunci pemverifikasi buku register, buka halaman pemeriksa luring (custody verifier --out verifier.html) di peramban apa pun, pilih bundel dan tempelkan kuncinya. Halaman harus menampilkan UTUH dan memuat catatan #{seq} dengan hash daun di atas. Atau di komputer dengan custody: custody report --bundle BUNDEL.json --log-key KUNCI --handover {seq}.',
  ],
  'bast.opening': [
    'On {date}, at {place}, the first party handed over to the second party the evidence item (barang bukti) described below, for the purpose stated, and the second party received it.',
    'Pada {date}, bertempat di {place}, pihak pertama telah menyerahkan kepada pihak kedua barang bukti sebagaimana diuraikan di bawah ini, untuk keperluan yang disebutkan, dan pihak kedua telah menerimanya.',
  ],
  'bast.closing': [
    'This record was signed electronically by both parties in the ledger (record #{seq}); the signatures below on paper confirm the same handover.',
    'Berita acara ini telah ditandatangani secara elektronik oleh kedua pihak di buku register (catatan #{seq}); tanda tangan di bawah pada kertas menegaskan serah terima yang sama.',
  ],
  'bast.placeUnknown': ['the place recorded by the parties', 'tempat yang dicatat para pihak'],
  'page.intro': [
    'Verify a custody bundle entirely in this browser. Nothing leaves this computer: the page makes no network request.',
    'Verifikasi bundel rantai penguasaan seluruhnya di peramban ini. Tidak ada yang keluar dari komputer ini: halaman ini tidak melakukan permintaan jaringan.',
  ],
  'page.bundle': ['Custody bundle (.json)', 'Bundel rantai penguasaan (.json)'],
  'page.policy': ['Trust policy file (optional)', 'Berkas kebijakan kepercayaan (opsional)'],
  'page.key': ['…or the ledger’s verifier key(s), one a line', '…atau kunci pemverifikasi buku register, satu per baris'],
  'page.verify': ['Verify', 'Verifikasi'],
  'page.drop': ['Drop a bundle file here', 'Letakkan berkas bundel di sini'],
  'page.needBundle': ['Choose a bundle file first.', 'Pilih berkas bundel terlebih dahulu.'],
  'page.needTrust': ['Give a policy file or paste the ledger’s verifier key: without one, nothing can be trusted.', 'Berikan berkas kebijakan atau tempelkan kunci pemverifikasi buku register: tanpa itu, tidak ada yang dapat dipercaya.'],
  'page.badPolicy': ['The policy cannot be read: {message}', 'Kebijakan tidak dapat dibaca: {message}'],
  'page.print': ['Print', 'Cetak'],
} as const satisfies Record<string, Entry>;

export type ReportMessageKey = keyof typeof REPORT_MESSAGES;

/** rt returns a report message in `lang`, with `{name}` filled from `vars`. */
export function rt(lang: ReportLang, key: ReportMessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = REPORT_MESSAGES[key][lang === 'id' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Record types in words (the glossary's terms). */
const EVENTS: Record<string, Entry> = {
  'ledger.genesis': ['Ledger created', 'Buku register dibuat'],
  'identity.enrol': ['Identity enrolled', 'Identitas didaftarkan'],
  'identity.rotate': ['Key replaced', 'Kunci diganti'],
  'identity.revoke': ['Identity revoked', 'Identitas dicabut'],
  'item.register': ['Seized and registered', 'Disita dan dicatat'],
  'item.derive': ['Derived (image / extraction / copy)', 'Diturunkan (citra forensik / ekstraksi / salinan)'],
  'item.import': ['Received from another ledger', 'Diterima dari buku register lain'],
  'custody.transfer': ['Handover (BAST)', 'Serah terima (BAST)'],
  'custody.offer': ['Offered, in transit', 'Ditawarkan, dalam pengiriman'],
  'custody.accept': ['Received', 'Diterima'],
  'custody.reject': ['Refused', 'Ditolak'],
  'custody.cancel': ['Offer withdrawn', 'Penawaran dibatalkan'],
  'item.seal': ['Sealed', 'Disegel'],
  'item.unseal': ['Seals opened', 'Segel dibuka'],
  'item.check': ['Hash values re-measured', 'Nilai hash diukur ulang'],
  'item.examine': ['Examination', 'Pemeriksaan'],
  'item.move': ['Moved', 'Dipindahkan'],
  'item.dispose': ['Disposed of', 'Diselesaikan'],
  'item.note': ['Remark / correction', 'Keterangan / koreksi'],
};

export function eventWord(lang: ReportLang, type: string): string {
  return EVENTS[type]?.[lang === 'id' ? 1 : 0] ?? type;
}

const DISPOSALS: Record<string, Entry> = {
  destroyed: ['destroyed (pemusnahan)', 'dimusnahkan'],
  returned: ['returned (pengembalian)', 'dikembalikan'],
  forfeited: ['forfeited to the state (dirampas untuk negara)', 'dirampas untuk negara'],
  released: ['released', 'dilepaskan'],
};

export function disposalWord(lang: ReportLang, method: string): string {
  return DISPOSALS[method]?.[lang === 'id' ? 1 : 0] ?? method;
}

const ROLES: Record<string, Entry> = {
  ledger: ['ledger key', 'kunci buku register'],
  admin: ['administrator', 'administrator'],
  officer: ['officer', 'petugas'],
  external: ['external partner', 'mitra eksternal'],
  witness: ['witness', 'saksi (witness)'],
};

export function roleWord(lang: ReportLang, role: string): string {
  return ROLES[role]?.[lang === 'id' ? 1 : 0] ?? role;
}

export function checkWord(lang: ReportLang, name: string): string {
  const key = `check.${name}` as ReportMessageKey;
  return key in REPORT_MESSAGES ? rt(lang, key) : name;
}

/** Verification failures of a bundle, in Indonesian, by code; the library's English sentence is kept beside it. */
const FAILURES_ID: Record<string, (seq: string) => string> = {
  PROOF_INVALID: (seq) => `Catatan ${seq} tidak terbukti ada dalam log pada checkpoint: bukti inklusinya gagal (catatan diubah, atau bukan dari buku register ini).`,
  CHAIN_BROKEN: (seq) => `Catatan ${seq} tidak bertaut ke nilai hash catatan sebelumnya.`,
  ITEM_CHAIN_BROKEN: (seq) => `Rantai catatan barang bukti terputus pada catatan ${seq}: ada catatan yang hilang.`,
  SIGNATURE_INVALID: (seq) => `Tanda tangan elektronik pada catatan ${seq} tidak sah.`,
  COSIGNATURE_INVALID: (seq) => `Tanda tangan pihak kedua atau saksi${seq === '' ? '' : ` pada catatan ${seq}`} tidak sah.`,
  COSIGNATURE_MISSING: (seq) => `Catatan ${seq} tidak memuat tanda tangan pihak yang wajib turut menandatangani.`,
  KEY_NOT_VALID: (seq) => `Kunci penanda tangan catatan ${seq} tidak berlaku pada catatan itu.`,
  CUSTODY_RULE: (seq) => `Catatan ${seq} melanggar aturan penguasaan barang bukti.`,
  LOG_MISMATCH: (seq) => `Catatan ${seq} milik buku register lain.`,
  BUNDLE_MALFORMED: () => 'Bundel tidak tersusun dengan benar (urutan catatan, atau catatan perkara lain disisipkan).',
  BUNDLE_INCOMPLETE: () => 'Bundel tidak lengkap: catatan yang diperlukan tidak ada.',
  BUNDLE_UPSTREAM_MISMATCH: () => 'Riwayat dari instansi lain (bundel asal) tidak utuh atau tidak cocok dengan catatan penerimaannya.',
  POLICY_NOT_MET: () => 'Checkpoint tidak ditandatangani oleh cukup saksi menurut kebijakan kepercayaan.',
  NOTE_SIGNATURE_INVALID: () => 'Tanda tangan pada checkpoint tidak sah.',
  NOTE_UNKNOWN_SIGNER: () => 'Checkpoint tidak ditandatangani oleh kunci buku register yang dipercaya.',
  NOTE_MALFORMED: () => 'Checkpoint bukan signed note C2SP yang sah.',
  CHECKPOINT_MALFORMED: () => 'Checkpoint tidak berformat C2SP (origin, ukuran, root).',
  CHECKPOINT_MISMATCH: () => 'Checkpoint bukan milik buku register bundel ini.',
  VERIFIER_KEY_INVALID: () => 'Kunci pemverifikasi tidak sah.',
  SCHEMA_INVALID: () => 'Berkas tidak sesuai skema bundel.',
  JSON_SYNTAX: () => 'Berkas bukan JSON yang sah.',
  JSON_DUPLICATE_KEY: () => 'Berkas JSON menyebut anggota yang sama dua kali.',
  JSON_TOO_LARGE: () => 'Berkas terlalu besar.',
  JSON_TOO_DEEP: () => 'Berkas JSON bersarang terlalu dalam.',
  JSON_NUMBER: () => 'Berkas JSON memuat bilangan yang bukan bilangan bulat yang aman.',
  TIME_REGRESSION: (seq) => `Waktu catatan ${seq} lebih dari 5 menit sebelum catatan sebelumnya (jam antarmeja berbeda?).`,
  TEXT_MIXED_SCRIPT: (seq) => `Teks pada catatan ${seq} mencampur aksara dalam satu kata (huruf serupa dari aksara lain?).`,
};

/**
 * failureWords says a verification failure in `lang`: in English the library's own sentence; in
 * Indonesian a sentence for its code, with the library's English kept as `original` (null when the
 * code has no Indonesian sentence, and the English is all there is).
 */
export function failureWords(lang: ReportLang, f: { code: string; message: string; seq: number | null; details?: { readonly [key: string]: unknown } }): { text: string; original: string | null } {
  if (f.code === 'TEXT_MIXED_SCRIPT' && typeof f.details?.['word'] === 'string') {
    return { text: `${String(f.details['path'] ?? '')}: ${mixedScriptText(lang, f.details)}`, original: lang === 'en' ? null : f.message };
  }
  if (lang === 'en') return { text: f.message, original: null };
  const id = FAILURES_ID[f.code];
  return id === undefined ? { text: f.message, original: null } : { text: id(f.seq === null ? '' : String(f.seq)), original: f.message };
}

/** Names of scripts (ISO 15924 codes) in words; a code not listed is shown as it is. */
const SCRIPTS: Record<string, Entry> = {
  Latn: ['Latin', 'Latin'],
  Cyrl: ['Cyrillic', 'Sirilik'],
  Grek: ['Greek', 'Yunani'],
  Arab: ['Arabic', 'Arab'],
  Hebr: ['Hebrew', 'Ibrani'],
  Armn: ['Armenian', 'Armenia'],
  Geor: ['Georgian', 'Georgia'],
  Cher: ['Cherokee', 'Cherokee'],
  Hani: ['Han (Chinese)', 'Han (Tionghoa)'],
  Hira: ['Hiragana', 'Hiragana'],
  Kana: ['Katakana', 'Katakana'],
  Hang: ['Hangul', 'Hangul'],
  Thai: ['Thai', 'Thai'],
  Deva: ['Devanagari', 'Dewanagari'],
  Java: ['Javanese', 'Jawa'],
  Bali: ['Balinese', 'Bali'],
  Sund: ['Sundanese', 'Sunda'],
  Bugi: ['Buginese (Lontara)', 'Bugis (Lontara)'],
  Batk: ['Batak', 'Batak'],
  Zzzz: ['unknown script', 'aksara tak dikenal'],
};

/**
 * mixedScriptWords says a TEXT_MIXED_SCRIPT finding (its details: word, scripts "Latn+Cyrl",
 * letters "U+0430") in `lang`, the word spelled with its foreign letters as code points, so that a
 * reader sees what the look-alike hides: "S[U+0430]ntoso".
 */
export function mixedScriptText(lang: ReportLang, details: { readonly [key: string]: unknown }): string {
  const word = String(details['word'] ?? '');
  const letters = new Set(String(details['letters'] ?? '').split(' ').filter((l) => l !== ''));
  const spelled = [...word].map((c) => {
    const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return letters.has(code) ? `[${code}]` : c;
  }).join('');
  const scripts = String(details['scripts'] ?? '').split('+').map((s) => SCRIPTS[s]?.[lang === 'id' ? 1 : 0] ?? s).join(' + ');
  return rt(lang, 'w.mixedScript', { word, spelled, scripts });
}
