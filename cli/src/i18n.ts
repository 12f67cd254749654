/**
 * Messages in English and Bahasa Indonesia (STYLE.md "CLI conventions"), with the terms of
 * ../shared/GLOSSARY.md. `--lang en|id`, or from LC_ALL / LC_MESSAGES / LANG: `id…` is Indonesian.
 */
import type { RecordType } from '@custody/core';

export type Lang = 'en' | 'id';

/** detectLang reads `--lang` from argv if present, else the locale of the environment. */
export function detectLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice(7) : undefined;
    if (value === 'en' || value === 'id') return value;
  }
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^id([_.@-]|$)/i.test(locale) ? 'id' : 'en';
}

type Vars = Record<string, string | number>;
type Entry = readonly [en: string, id: string];

/** t returns the message `key` in `lang` with `{name}` placeholders filled from `vars`. */
export function t(lang: Lang, key: MessageKey, vars: Vars = {}): string {
  const text = MESSAGES[key][lang === 'id' ? 1 : 0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const MESSAGES = {
  // ---- the command and its options ----
  'cli.usage': ['custody <command> [options]', 'custody <perintah> [pilihan]'],
  'cli.epilog': [
    'Exit status: 0 ok, 1 not intact or check failed, 2 bad usage or input, 3 could not run.',
    'Status keluar: 0 berhasil, 1 tidak utuh atau pemeriksaan gagal, 2 perintah atau masukan salah, 3 tidak dapat dijalankan.',
  ],
  'opt.db': ['Ledger database (default: $CUSTODY_DB or ./custody.db)', 'Berkas buku register (bawaan: $CUSTODY_DB atau ./custody.db)'],
  'opt.key': [
    'Your key file (default: $CUSTODY_KEY); passphrase from $CUSTODY_PASSPHRASE or a prompt',
    'Berkas kunci Anda (bawaan: $CUSTODY_KEY); frasa sandi dari $CUSTODY_PASSPHRASE atau ditanyakan',
  ],
  'opt.json': ['Print one JSON document on stdout', 'Cetak satu dokumen JSON di stdout'],
  'opt.lang': ['Language of messages: en or id (default from LANG)', 'Bahasa pesan: en atau id (bawaan dari LANG)'],
  'opt.lockTimeout': ['Seconds to wait for another writer before giving up', 'Detik menunggu penulis lain sebelum menyerah'],
  'opt.time': ['When it happened, RFC 3339 UTC (default: now)', 'Kapan terjadi, RFC 3339 UTC (bawaan: sekarang)'],
  'opt.zone': [
    'IANA zone where it happened, e.g. Asia/Jakarta (default: $CUSTODY_ZONE or this machine\'s)',
    'Zona waktu IANA tempat kejadian, mis. Asia/Jakarta (bawaan: $CUSTODY_ZONE atau zona mesin ini)',
  ],
  'opt.lateReason': [
    'Record a late entry: why this event (at --time, e.g. before the ledger began) is recorded only now; kept in the record with the time it was recorded',
    'Catat sebagai catatan terlambat: alasan peristiwa ini (pada --time, mis. sebelum buku register dibuat) baru dicatat sekarang; disimpan dalam catatan bersama waktu pencatatannya',
  ],
  'opt.remarks': ['Remarks', 'Keterangan'],
  'opt.place': ['Place', 'Tempat'],
  'opt.authority': ['Authority (order or warrant number)', 'Dasar hukum (nomor surat perintah)'],
  'opt.purpose': ['Purpose', 'Keperluan'],
  'opt.reason': ['Reason', 'Alasan'],
  'opt.file': [
    'Hash this file (the item is its content); repeat for a set of files, identified by their manifest',
    'Hitung nilai hash berkas ini (isinya adalah barang bukti); ulangi untuk sekumpulan berkas, dikenali dari manifestnya',
  ],
  'opt.dir': ['Hash this directory as a manifest', 'Hitung nilai hash direktori ini sebagai manifest'],
  'opt.digest': ['A digest already measured, ALG:HEX (repeatable)', 'Nilai hash yang sudah diukur, ALG:HEX (boleh berulang)'],
  'opt.algorithm': ['Extra digest algorithm to compute: sha512, sha3-256, sha1, md5 (sha256 always)', 'Algoritme hash tambahan: sha512, sha3-256, sha1, md5 (sha256 selalu)'],
  'opt.size': ['Size in bytes (with --digest)', 'Ukuran dalam byte (dengan --digest)'],
  'opt.kind': ['Kind: phone, computer, disk, storage, memory-card, sim, image, extraction, files, …', 'Jenis: phone, computer, disk, storage, memory-card, sim, image, extraction, files, …'],
  'opt.description': ['Description', 'Uraian'],
  'opt.case': ['Case reference: police report or case number (repeatable)', 'Nomor laporan polisi atau nomor perkara (boleh berulang)'],
  'opt.seizureAuthority': ['Seizure order (surat perintah penyitaan)', 'Surat perintah penyitaan'],
  'opt.seizurePlace': ['Place of seizure', 'Tempat penyitaan'],
  'opt.seizureTime': ['Time of seizure, RFC 3339 UTC', 'Waktu penyitaan, RFC 3339 UTC'],
  'opt.witness': ['Witness (saksi), repeatable', 'Saksi (boleh berulang)'],
  'opt.seal': ['Seal number (segel), repeatable', 'Nomor segel (boleh berulang)'],
  'opt.sealState': ['State of the seals observed: intact or broken', 'Keadaan segel: intact (utuh) atau broken (rusak)'],
  'opt.location': ['Storage location', 'Tempat penyimpanan'],
  'opt.identifier': ['Identifier NAME=VALUE, e.g. imei=356… (repeatable)', 'Pengenal NAMA=NILAI, mis. imei=356… (boleh berulang)'],
  'opt.to': ['Identity that receives the item', 'Identitas yang menerima barang bukti'],
  'opt.from': ['Identity that releases the item (default: you)', 'Identitas yang menyerahkan (bawaan: Anda)'],
  'opt.cosignKey': [
    'The other party\'s key file, for both signatures at one desk; passphrase from $CUSTODY_COSIGN_PASSPHRASE or a prompt',
    'Berkas kunci pihak lain, untuk dua tanda tangan di satu meja; frasa sandi dari $CUSTODY_COSIGN_PASSPHRASE atau ditanyakan',
  ],
  'opt.cosig': ['A signature made elsewhere with `custody sign`, ID:BASE64', 'Tanda tangan yang dibuat di tempat lain dengan `custody sign`, ID:BASE64'],
  'opt.statement': ['Append exactly this statement file (from `custody statement`)', 'Tambahkan tepat berkas pernyataan ini (dari `custody statement`)'],
  'opt.out': ['Write to this file (never replaces one)', 'Tulis ke berkas ini (tidak pernah menimpa)'],
  'opt.actor': ['Identity who will append the record', 'Identitas yang akan menambahkan catatan'],
  'opt.id': ['Your identity id (default: looked up in --db)', 'Id identitas Anda (bawaan: dicari di --db)'],
  'opt.strict': ['Treat clock regressions as failures', 'Anggap mundurnya waktu sebagai kegagalan'],
  'opt.name': ['Full name', 'Nama lengkap'],
  'opt.ledgerName': ['Name of the register', 'Nama buku register'],
  'opt.agency': ['Agency', 'Instansi'],
  'opt.origin': ['The ledger\'s origin, e.g. ledger.dittipidsiber.polri.go.id/2026', 'Asal (origin) buku register, mis. ledger.dittipidsiber.polri.go.id/2026'],
  'opt.keyOut': ['Where to write the ledger key (default: beside the database)', 'Tempat menulis kunci buku register (bawaan: di samping basis data)'],
  'opt.role': ['Role: officer, admin, external or witness', 'Peran: officer, admin, external atau witness'],
  'opt.publicKey': ['Public key, base64 (from `custody key generate`)', 'Kunci publik, base64 (dari `custody key generate`)'],
  'opt.nrp': ['Official number (NRP/NIP)', 'Nomor NRP/NIP'],
  'opt.title': ['Title or rank', 'Pangkat atau jabatan'],
  'opt.unit': ['Unit', 'Satuan kerja'],
  'opt.compromisedSince': ['Distrust its records from this seq on', 'Jangan percayai catatannya mulai seq ini'],
  'opt.method': ['Method', 'Metode'],
  'opt.tool': ['Tool and version', 'Alat dan versinya'],
  'opt.parent': ['Item it is made from (repeatable)', 'Barang bukti asalnya (boleh berulang)'],
  'opt.found': ['The seals were found intact or broken', 'Segel ditemukan utuh (intact) atau rusak (broken)'],
  'opt.disposeMethod': ['destroyed, returned, forfeited or released', 'destroyed (dimusnahkan), returned (dikembalikan), forfeited (dirampas untuk negara) atau released (dilepaskan)'],
  'opt.recipient': ['Who received it back', 'Penerima pengembalian'],
  'opt.text': ['The note', 'Isi keterangan'],
  'opt.corrects': ['Leaf hash of the record this corrects', 'Nilai hash leaf catatan yang dikoreksi'],
  'opt.checkFile': ['Re-measure this file on receipt', 'Ukur ulang berkas ini saat diterima'],
  'opt.checkDir': ['Re-measure this directory on receipt', 'Ukur ulang direktori ini saat diterima'],
  'opt.checkDigest': ['Digest re-measured on receipt, ALG:HEX', 'Nilai hash yang diukur ulang saat diterima, ALG:HEX'],
  'opt.limit': ['At most this many records', 'Paling banyak sejumlah catatan ini'],
  'opt.fromSeq': ['First seq to show', 'Seq pertama yang ditampilkan'],
  'opt.custodian': ['Only items held by this identity', 'Hanya barang bukti yang dipegang identitas ini'],
  'opt.demoDir': ['Directory for the demo ledger (default: a new temporary one)', 'Direktori buku register demo (bawaan: direktori sementara baru)'],

  'cmd.init': ['Create a new ledger and its ledger key', 'Buat buku register baru beserta kuncinya'],
  'cmd.key': ['Key files', 'Berkas kunci'],
  'cmd.key.generate': ['Generate a new encrypted key file', 'Buat berkas kunci terenkripsi baru'],
  'cmd.identity': ['Identities: enrol, list, show, rotate, revoke', 'Identitas: daftarkan, daftar, tampilkan, ganti kunci, cabut'],
  'cmd.identity.enrol': ['Enrol a person or system with their public key', 'Daftarkan orang atau sistem dengan kunci publiknya'],
  'cmd.identity.list': ['List identities', 'Daftar identitas'],
  'cmd.identity.show': ['Show an identity and its keys', 'Tampilkan identitas dan kuncinya'],
  'cmd.identity.rotate': ['Give an identity a new key', 'Beri identitas kunci baru'],
  'cmd.identity.revoke': ['Revoke an identity', 'Cabut identitas'],
  'cmd.item': ['Evidence items (barang bukti)', 'Barang bukti'],
  'cmd.item.register': ['Register a seized item by its digests', 'Daftarkan barang bukti sitaan dengan nilai hash-nya'],
  'cmd.item.derive': ['Register an item made from others (forensic image, extraction, working copy)', 'Daftarkan barang bukti turunan (citra forensik, ekstraksi, salinan kerja)'],
  'cmd.item.seal': ['Record new seals', 'Catat penyegelan'],
  'cmd.item.unseal': ['Record opening the seals', 'Catat pembukaan segel'],
  'cmd.item.check': ['Re-measure an item and record the result (exit 1 on a mismatch)', 'Ukur ulang nilai hash dan catat hasilnya (keluar 1 bila tidak cocok)'],
  'cmd.item.examine': ['Record an examination', 'Catat pemeriksaan'],
  'cmd.item.move': ['Record a new storage location', 'Catat pemindahan tempat penyimpanan'],
  'cmd.item.dispose': ['Record disposal (destruction, return, forfeiture, release)', 'Catat pemusnahan, pengembalian, perampasan untuk negara atau pelepasan'],
  'cmd.item.note': ['Add a remark or correction', 'Tambahkan keterangan atau koreksi'],
  'cmd.item.list': ['List items and who holds them', 'Daftar barang bukti dan pemegangnya'],
  'cmd.transfer': ['Handover with both signatures (berita acara serah terima)', 'Serah terima dengan dua tanda tangan (berita acara serah terima)'],
  'cmd.statement': ['Write the statement a counterparty signs offline', 'Tulis pernyataan yang ditandatangani pihak lain secara luring'],
  'cmd.statement.transfer': ['Statement of a handover', 'Pernyataan serah terima'],
  'cmd.statement.accept': ['Statement accepting an offer', 'Pernyataan penerimaan'],
  'cmd.statement.reject': ['Statement rejecting an offer', 'Pernyataan penolakan'],
  'cmd.sign': ['Sign a statement file with your key; prints ID:SIGNATURE', 'Tandatangani berkas pernyataan dengan kunci Anda; mencetak ID:TANDATANGAN'],
  'cmd.offer': ['Offer an item to someone (in transit until answered)', 'Tawarkan barang bukti kepada pihak lain (dalam pengiriman sampai dijawab)'],
  'cmd.accept': ['Accept an offered item', 'Terima barang bukti yang ditawarkan'],
  'cmd.reject': ['Reject an offered item', 'Tolak barang bukti yang ditawarkan'],
  'cmd.cancel': ['Withdraw your offer', 'Batalkan penawaran Anda'],
  'cmd.history': ['The item\'s chain of custody', 'Rantai penguasaan barang bukti'],
  'cmd.log': ['Records of the ledger', 'Catatan buku register'],
  'cmd.status': ['Where an item is now and who holds it', 'Keadaan barang bukti sekarang dan pemegangnya'],
  'cmd.verify': ['Verify the whole ledger', 'Verifikasi seluruh buku register'],
  'cmd.export': ['Export the ledger as JSON Lines (exact leaf bytes)', 'Ekspor buku register sebagai JSON Lines (byte leaf apa adanya)'],
  'cmd.checkpoint': [
    'Sign a checkpoint (size and root) with the ledger key; give it to someone outside the agency',
    'Tandatangani checkpoint (ukuran dan root) dengan kunci buku register; serahkan kepada pihak di luar instansi',
  ],
  'opt.checkpoint': ['A checkpoint held outside the ledger that it must still reproduce (repeatable)', 'Checkpoint yang disimpan di luar buku register dan harus tetap dipenuhi (boleh berulang)'],
  'opt.verifierKey': ['The ledger\'s verifier key, as pinned at setup (printed by init)', 'Kunci verifikasi buku register, seperti dicatat saat dibuat (dicetak oleh init)'],
  'cmd.demo': ['Run the whole custody story on a new demo ledger', 'Jalankan seluruh kisah rantai penguasaan pada buku register demo baru'],

  // ---- results ----
  'out.init': ['Created ledger {origin} in {db}.', 'Buku register {origin} dibuat di {db}.'],
  'out.keyFile': ['Ledger key file', 'Berkas kunci buku register'],
  'out.verifierKey': ['Verifier key', 'Kunci verifikasi'],
  'out.fingerprint': ['Fingerprint', 'Sidik jari kunci'],
  'out.publicKey': ['Public key', 'Kunci publik'],
  'out.keyWritten': ['Wrote key file {path}.', 'Berkas kunci {path} ditulis.'],
  'out.appended': ['Recorded #{seq} {type}{item} by {actor}.', 'Tercatat #{seq} {type}{item} oleh {actor}.'],
  'out.checkMatch': ['Hash values match ({algorithms}).', 'Nilai hash cocok ({algorithms}).'],
  'out.checkMismatch': ['Hash values DO NOT match ({algorithms}); the mismatch is recorded.', 'Nilai hash TIDAK cocok ({algorithms}); ketidakcocokan dicatat.'],
  'out.statementWritten': ['Wrote statement {path} for {who} to sign; then run:', 'Pernyataan {path} ditulis untuk ditandatangani {who}; lalu jalankan:'],
  'note.readOnlyImmutable': [
    '{path} is on read-only media (no -shm file beside it): read as an unchanging file; nothing was written beside it.',
    '{path} berada di media hanya-baca (tanpa berkas -shm di sampingnya): dibaca sebagai berkas yang tidak berubah; tidak ada yang ditulis di sampingnya.',
  ],
  'note.readOnlyCopy': [
    '{path} could not be read in place (read-only media, with a WAL file or an interrupted write’s journal beside it): read through a private copy in a temporary directory; nothing was written beside it.',
    '{path} tidak dapat dibaca di tempatnya (media hanya-baca, dengan berkas WAL atau jurnal penulisan yang terputus di sampingnya): dibaca melalui salinan pribadi di direktori sementara; tidak ada yang ditulis di sampingnya.',
  ],
  'out.verified': ['Verified: {size} records, intact. Root {root}.', 'Terverifikasi: {size} catatan, utuh. Root {root}.'],
  'out.notIntact': ['Verification failed: {count} problem(s) in {size} records.', 'Gagal verifikasi: {count} masalah dalam {size} catatan.'],
  'out.firstFailure': ['First failing record: #{seq} ({code}).', 'Catatan pertama yang gagal: #{seq} ({code}).'],
  'out.firstFailureAll': ['The ledger as a whole fails: {code}.', 'Buku register secara keseluruhan gagal: {code}.'],
  'out.exported': ['Exported {size} records to {path}.', '{size} catatan diekspor ke {path}.'],
  'out.hashing': ['Hashing', 'Menghitung hash'],
  'out.verifying': ['Verifying', 'Memverifikasi'],
  'out.noIdentities': ['No identities.', 'Tidak ada identitas.'],
  'out.noItems': ['No items.', 'Tidak ada barang bukti.'],
  'warn.timeRegression': ['Warning: {message}', 'Peringatan: {message}'],
  'warn.skipped': ['Warning: {count} entries are not regular files and are not in the manifest (e.g. {path}).', 'Peringatan: {count} entri bukan berkas biasa dan tidak masuk manifest (mis. {path}).'],

  // ---- headings of history, status, identity ----
  'h.item': ['Exhibit', 'Barang bukti'],
  'h.kind': ['Kind', 'Jenis'],
  'h.description': ['Description', 'Uraian'],
  'h.digests': ['Hash values', 'Nilai hash'],
  'h.size': ['Size', 'Ukuran'],
  'h.custodian': ['Custodian', 'Pemegang'],
  'h.inTransit': ['In transit to', 'Dalam pengiriman ke'],
  'h.seal': ['Seal', 'Segel'],
  'h.location': ['Location', 'Tempat penyimpanan'],
  'h.disposed': ['Disposed', 'Diselesaikan'],
  'h.parents': ['Made from', 'Berasal dari'],
  'h.cases': ['Case', 'Nomor perkara'],
  'h.history': ['Chain of custody', 'Rantai penguasaan'],
  'h.time': ['Time', 'Waktu'],
  'h.event': ['Event', 'Peristiwa'],
  'h.by': ['By', 'Oleh'],
  'h.releasedBy': ['Released by', 'Yang menyerahkan'],
  'h.receivedBy': ['Received by', 'Yang menerima'],
  'h.cosignedBy': ['Cosigned by', 'Ditandatangani juga oleh'],
  'h.witnesses': ['Witnesses', 'Saksi'],
  'h.authority': ['Authority', 'Dasar hukum'],
  'h.place': ['Place', 'Tempat'],
  'h.purpose': ['Purpose', 'Keperluan'],
  'h.remarks': ['Remarks', 'Keterangan'],
  'h.reason': ['Reason', 'Alasan'],
  'h.result': ['Result', 'Hasil'],
  'h.tool': ['Tool', 'Alat'],
  'h.method': ['Method', 'Metode'],
  'h.leaf': ['Record hash', 'Nilai hash catatan'],
  'h.records': ['records', 'catatan'],
  'h.name': ['Name', 'Nama'],
  'h.agency': ['Agency', 'Instansi'],
  'h.role': ['Role', 'Peran'],
  'h.keys': ['Keys', 'Kunci'],
  'h.revoked': ['Revoked at', 'Dicabut pada'],
  'h.seizure': ['Seizure', 'Penyitaan'],
  'h.late': ['Recorded late', 'Dicatat terlambat'],
  'h.lateText': ['on {time}; reason: {reason}', 'pada {time}; alasan: {reason}'],
  'h.textWarning': ['Warning', 'Peringatan'],
  'w.intact': ['intact', 'utuh'],
  'w.broken': ['broken', 'rusak'],
  'w.match': ['match', 'cocok'],
  'w.mismatch': ['MISMATCH', 'TIDAK COCOK'],
  'w.none': ['none', 'tidak ada'],
  'w.current': ['current', 'berlaku'],
  'w.from': ['from', 'mulai'],
  'w.until': ['until', 'sampai'],

  // ---- errors the command itself finds ----
  'err.prefix': ['custody: ', 'custody: '],
  'err.noKey': ['No key file: give --key FILE or set CUSTODY_KEY.', 'Tidak ada berkas kunci: berikan --key BERKAS atau atur CUSTODY_KEY.'],
  'err.noPassphrase': [
    'No passphrase for {path}: set {env} or run in a terminal to be asked.',
    'Tidak ada frasa sandi untuk {path}: atur {env} atau jalankan di terminal agar ditanyakan.',
  ],
  'err.emptyPassphrase': ['A new key file needs a passphrase that is not empty.', 'Berkas kunci baru memerlukan frasa sandi yang tidak kosong.'],
  'err.passphraseMismatch': ['The two passphrases differ.', 'Kedua frasa sandi berbeda.'],
  'err.keyNotEnrolled': [
    'The key in {path} (fingerprint {fingerprint}) is not the current key of any identity in this ledger.',
    'Kunci dalam {path} (sidik jari {fingerprint}) bukan kunci yang berlaku bagi identitas mana pun di buku register ini.',
  ],
  'err.digestSource': ['Give the item\'s content as --file, --dir or --digest.', 'Berikan isi barang bukti dengan --file, --dir atau --digest.'],
  'err.digestSourceOne': ['Give only one of --file and --dir.', 'Berikan hanya salah satu dari --file dan --dir.'],
  'err.digestDisagree': [
    'The --digest {algorithm} given differs from the one measured from the file.',
    'Nilai --digest {algorithm} yang diberikan berbeda dari hasil pengukuran berkas.',
  ],
  'err.algorithm': ['Unknown digest algorithm "{algorithm}" for hashing; use sha512, sha3-256, sha1 or md5.', 'Algoritme hash "{algorithm}" tidak dikenal; gunakan sha512, sha3-256, sha1 atau md5.'],
  'err.identifier': ['An identifier is NAME=VALUE, e.g. imei=356789012345678.', 'Pengenal ditulis NAMA=NILAI, mis. imei=356789012345678.'],
  'err.cosig': ['A cosignature is ID:BASE64, as printed by `custody sign`.', 'Tanda tangan pihak lain ditulis ID:BASE64, seperti dicetak oleh `custody sign`.'],
  'err.cosignKeyNotEnrolled': [
    'The cosigning key in {path} (fingerprint {fingerprint}) is not the current key of any identity in this ledger.',
    'Kunci penanda tangan dalam {path} (sidik jari {fingerprint}) bukan kunci yang berlaku bagi identitas mana pun di buku register ini.',
  ],
  'err.needArgs': ['Missing {what} (or give --statement FILE).', 'Kurang {what} (atau berikan --statement BERKAS).'],
  'err.statementType': ['The statement is a {actual} record, not {expected}.', 'Pernyataan ini catatan {actual}, bukan {expected}.'],
  'err.statementLog': ['The statement is for the ledger {actual}, not {expected}.', 'Pernyataan ini untuk buku register {actual}, bukan {expected}.'],
  'err.statementActor': ['The statement is to be appended by "{actual}", but your key is that of "{expected}".', 'Pernyataan ini harus ditambahkan oleh "{actual}", tetapi kunci Anda milik "{expected}".'],
  'err.statementItem': ['The statement is about item "{actual}", not "{expected}".', 'Pernyataan ini tentang barang bukti "{actual}", bukan "{expected}".'],
  'err.signId': ['Your key is not enrolled in {db}; give --id ID.', 'Kunci Anda tidak terdaftar di {db}; berikan --id ID.'],
  'err.noOffer': ['The item "{item}" has no open offer.', 'Barang bukti "{item}" tidak sedang ditawarkan.'],
  'err.sealNumbers': ['--seal-state needs the item to have seals on record, or --seal NUMBER.', '--seal-state memerlukan segel yang tercatat, atau --seal NOMOR.'],
  'err.badTime': ['"{time}" is not a time in RFC 3339 UTC with milliseconds, e.g. 2026-11-28T02:03:05.000Z.', '"{time}" bukan waktu RFC 3339 UTC dengan milidetik, mis. 2026-11-28T02:03:05.000Z.'],
  'err.lateNeedsTime': [
    '--late-reason needs --time: the time the event happened, before now.',
    '--late-reason memerlukan --time: waktu peristiwa itu terjadi, sebelum sekarang.',
  ],
  'err.badZone': ['"{zone}" is not a time zone this machine knows (e.g. Asia/Jakarta).', '"{zone}" bukan zona waktu yang dikenal mesin ini (mis. Asia/Jakarta).'],
  'err.internal': ['Unexpected internal error: {message}', 'Kesalahan internal tak terduga: {message}'],
  'err.usage': ['{message}', '{message}'],
  'err.unknownCommand': ['There is no command "{command}".', 'Tidak ada perintah "{command}".'],
  'err.twice': ['--{option} is given more than once.', '--{option} diberikan lebih dari sekali.'],
  'err.number': ['--{option} must be a whole number of at least 0.', '--{option} harus bilangan bulat paling sedikit 0.'],
  'err.demoDir': ['The demo directory {path} is not empty; give a new or empty one.', 'Direktori demo {path} tidak kosong; berikan direktori baru atau kosong.'],
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

/** How each record type reads in a history: [English, Indonesian]. */
export const EVENT_NAMES: Record<RecordType, Entry> = {
  'ledger.genesis': ['Register created', 'Buku register dibuat'],
  'identity.enrol': ['Identity enrolled', 'Identitas didaftarkan'],
  'identity.rotate': ['Key replaced', 'Kunci diganti'],
  'identity.revoke': ['Identity revoked', 'Identitas dicabut'],
  'item.register': ['Seized and registered', 'Disita dan didaftarkan'],
  'item.derive': ['Derived (image/extraction/copy)', 'Diturunkan (citra/ekstraksi/salinan)'],
  'item.import': ['Imported from another ledger', 'Diimpor dari buku register lain'],
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
  'item.note': ['Remark', 'Keterangan'],
};

export function eventName(lang: Lang, type: RecordType): string {
  return EVENT_NAMES[type][lang === 'id' ? 1 : 0];
}

/** Disposal methods in words. */
export const DISPOSAL_NAMES: Record<string, Entry> = {
  destroyed: ['destroyed', 'dimusnahkan'],
  returned: ['returned', 'dikembalikan'],
  forfeited: ['forfeited to the state', 'dirampas untuk negara'],
  released: ['released', 'dilepaskan'],
};

export function disposalName(lang: Lang, method: string): string {
  return DISPOSAL_NAMES[method]?.[lang === 'id' ? 1 : 0] ?? method;
}
