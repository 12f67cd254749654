/**
 * The `custody` command: parse with yargs, call one command, print its result (text, or one JSON
 * document with --json, also on failure), and return the exit status: 0 ok, 1 not intact or check
 * failed, 2 bad usage or input, 3 could not run. Errors are one sentence on stderr, never a stack.
 * Everything printed goes through safe-text.ts, which makes control and bidi characters visible.
 */
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { Context, type Io, type Result } from './context.js';
import { describeError, EXIT_USAGE, oneLine, UsageError } from './errors.js';
import { detectLang, t, type Lang, type MessageKey } from './i18n.js';
import { printJson, printLine } from './safe-text.js';
import * as admin from './commands/admin.js';
import * as items from './commands/items.js';
import * as handover from './commands/handover.js';
import * as queries from './commands/queries.js';
import * as checkpointCmd from './commands/checkpoint.js';
import * as proofs from './commands/proofs.js';
import * as witnessCmd from './commands/witness-cmd.js';
import * as bundleCmd from './commands/bundle-cmd.js';
import * as reportCmd from './commands/report.js';
import { demo } from './commands/demo.js';

export { Context } from './context.js';
export type { Io, Result } from './context.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

type Handler = (ctx: Context, args: never) => Promise<Result> | Result;
type OptionType = 'string' | 'number' | 'boolean';

/** main runs the command line `argv` (without node and the script) and returns the exit status. */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const lang = detectLang(argv, io.env);
  const wantsJson = argv.includes('--json');
  let command = '';
  let result: Result | undefined;
  let ctx = new Context(io, lang, wantsJson);

  const run = (name: string, handler: Handler) => async (args: Record<string, unknown>): Promise<void> => {
    command = name;
    ctx = new Context(io, lang, args['json'] === true);
    checkArgs(args);
    result = await handler(ctx, args as never);
  };

  try {
    const parser = build(yargs([...argv]), lang, run);
    await parser.parseAsync();
  } catch (e) {
    const { status, error } = describeError(e, lang);
    if (ctx.json || wantsJson) {
      printJson(io.stdout, { ok: false, command: command || null, error });
    } else {
      const hint = e instanceof UsageError && command === '' ? ` (${helpHint(argv)})` : '';
      printLine(io.stderr, `${t(lang, 'err.prefix')}${oneLine(error.message)}${hint}`);
    }
    if (io.env['CUSTODY_DEBUG'] === '1' && e instanceof Error && e.stack) printLine(io.stderr, e.stack);
    return status;
  }
  if (result === undefined) return 0; // --help or --version was printed
  if (ctx.json) {
    printJson(io.stdout, { ok: result.status === 0, command, ...result.json });
  } else if (result.text !== '') {
    printLine(io.stdout, result.text, { keepTabs: true }); // `log`, `item list`, `identity list` are tab-separated
  }
  return result.status;
}

const GROUPS: Record<string, readonly string[]> = {
  key: ['generate'],
  identity: ['enrol', 'list', 'show', 'rotate', 'revoke'],
  item: ['register', 'derive', 'seal', 'unseal', 'check', 'examine', 'move', 'dispose', 'note', 'list'],
  statement: ['transfer', 'accept', 'reject'],
  prove: ['inclusion', 'consistency'],
  witness: ['init', 'add-log', 'cosign'],
  bundle: ['export', 'verify', 'import'],
};
const COMMANDS = ['init', 'transfer', 'sign', 'offer', 'accept', 'reject', 'cancel', 'history', 'status', 'log', 'verify', 'checkpoint', 'export', 'demo', 'report', 'verifier'];

/** helpHint names the help of the command the user was typing: "custody item move --help". */
function helpHint(argv: readonly string[]): string {
  const [first, second] = argv.filter((a) => !a.startsWith('-'));
  if (first !== undefined && GROUPS[first] !== undefined) {
    return second !== undefined && GROUPS[first]!.includes(second) ? `custody ${first} ${second} --help` : `custody ${first} --help`;
  }
  return first !== undefined && COMMANDS.includes(first) ? `custody ${first} --help` : 'custody --help';
}

/** Options that may be given more than once; any other given twice is a usage error, not a silent choice. */
const REPEATABLE = new Set(['items', 'witness-key', 'witnessKey', 'log-key', 'logKey', 'checkpoint', 'file', 'check-file', 'checkFile', 'digest', 'algorithm', 'witness', 'seal', 'case', 'identifier', 'cosig', 'from', 'check-digest', 'checkDigest', 'log-key', 'logKey', '_']);
const NUMBERS = ['size', 'from', 'limit', 'compromised-since', 'lock-timeout', 'handover'];

function checkArgs(args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    if (Array.isArray(value) && !REPEATABLE.has(name)) {
      throw new UsageError('err.twice', { option: name }, { option: name });
    }
  }
  for (const name of NUMBERS) {
    const value = args[name];
    if (typeof value !== 'number') continue; // `from` is also a string option (derive, transfer)
    if (!Number.isSafeInteger(name === 'lock-timeout' ? Math.round(value * 1000) : value) || value < 0) {
      throw new UsageError('err.number', { option: name }, { option: name });
    }
  }
}

function build(y: Argv, lang: Lang, run: (name: string, handler: Handler) => (args: Record<string, unknown>) => Promise<void>): Argv {
  const d = (key: MessageKey): string => t(lang, key);
  const opt = (yy: Argv, name: string, key: MessageKey, type: OptionType, extra: Record<string, unknown> = {}): Argv =>
    yy.option(name, { describe: d(key), type, ...extra });
  const req = { demandOption: true } as const;
  const timeZone = (yy: Argv): Argv => opt(opt(yy, 'time', 'opt.time', 'string'), 'zone', 'opt.zone', 'string');
  // Every command that appends a record: --late-reason marks a late entry (docs/PROTOCOL.md §4.5).
  const record = (yy: Argv): Argv => opt(timeZone(yy), 'late-reason', 'opt.lateReason', 'string');
  const item = (yy: Argv): Argv => yy.positional('item', { type: 'string', describe: d('h.item') });
  const content = (yy: Argv): Argv =>
    opt(opt(opt(opt(opt(yy, 'file', 'opt.file', 'string'), 'dir', 'opt.dir', 'string'), 'digest', 'opt.digest', 'string'), 'algorithm', 'opt.algorithm', 'string'), 'size', 'opt.size', 'number');
  const cosign = (yy: Argv): Argv =>
    opt(opt(opt(yy, 'cosign-key', 'opt.cosignKey', 'string'), 'cosig', 'opt.cosig', 'string'), 'statement', 'opt.statement', 'string');
  const receipt = (yy: Argv): Argv =>
    opt(opt(opt(opt(opt(yy, 'check-file', 'opt.checkFile', 'string'), 'check-dir', 'opt.checkDir', 'string'), 'check-digest', 'opt.checkDigest', 'string'), 'seal-state', 'opt.sealState', 'string', { choices: ['intact', 'broken'] }), 'seal', 'opt.seal', 'string');
  const handoverOpts = (yy: Argv): Argv =>
    opt(opt(opt(opt(opt(opt(yy, 'to', 'opt.to', 'string'), 'from', 'opt.from', 'string'), 'purpose', 'opt.purpose', 'string'), 'authority', 'opt.authority', 'string'), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string');
  const id = lang === 'id';
  const ex = (en: string, idText: string): string => (id ? idText : en);
  const L = ex;
  // init and key generate, which write a new key file.
  const weakPassphrase = {
    type: 'boolean',
    describe: L('Accept a passphrase under 12 characters for the new key file (tests only)', 'Terima frasa sandi di bawah 12 karakter untuk berkas kunci baru (hanya untuk pengujian)'),
  } as const;

  return y
    .scriptName('custody')
    .usage(d('cli.usage'))
    .locale(lang)
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
    .strict()
    .demandCommand(1)
    .recommendCommands()
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error !== undefined) throw error;
      const typed = y.parsed === false ? undefined : y.parsed.argv._[0];
      // "Did you mean …?" alone does not say what was wrong.
      const unknown = typed !== undefined && !COMMANDS.includes(String(typed)) && GROUPS[String(typed)] === undefined;
      const text = unknown ? `${t(lang, 'err.unknownCommand', { command: String(typed) })} ${message ?? ''}`.trim() : (message ?? 'bad usage');
      throw new UsageError('err.usage', { message: text });
    })
    .option('db', { describe: d('opt.db'), type: 'string', global: true })
    .option('key', { describe: d('opt.key'), type: 'string', global: true })
    .option('json', { describe: d('opt.json'), type: 'boolean', global: true })
    .option('lang', { describe: d('opt.lang'), type: 'string', choices: ['en', 'id'], global: true })
    .option('lock-timeout', { describe: d('opt.lockTimeout'), type: 'number', global: true, default: 10 })
    .epilog(d('cli.epilog'))
    .example('custody demo', d('cmd.demo'))
    .example('custody verify --db polri.db', d('cmd.verify'))

    .command('init', d('cmd.init'), (yy) =>
      timeZone(opt(opt(opt(opt(opt(yy, 'origin', 'opt.origin', 'string', req), 'name', 'opt.ledgerName', 'string', req), 'agency', 'opt.agency', 'string', req), 'description', 'opt.description', 'string'), 'key-out', 'opt.keyOut', 'string'))
        .option('allow-weak-passphrase', weakPassphrase)
        .example('CUSTODY_PASSPHRASE=… custody init --db polri.db --origin ledger.dittipidsiber.polri.go.id/2026 --name "Register BB Digital 2026" --agency "Dittipidsiber Bareskrim Polri"', ''),
      run('init', admin.init as Handler))

    .command('key', d('cmd.key'), (yy) =>
      yy.command('generate', d('cmd.key.generate'), (k) =>
        opt(k, 'out', 'opt.out', 'string', req)
          .option('allow-weak-passphrase', weakPassphrase)
          .example('custody key generate --out budi.key', ''),
        run('key generate', admin.keyGenerate as Handler)).demandCommand(1))

    .command('identity', d('cmd.identity'), (yy) =>
      yy
        .command('enrol <id>', d('cmd.identity.enrol'), (k) =>
          record(opt(opt(opt(opt(opt(opt(opt(k.positional('id', { type: 'string' }), 'name', 'opt.name', 'string', req), 'agency', 'opt.agency', 'string', req),
            'role', 'opt.role', 'string', { ...req, choices: ['officer', 'admin', 'external', 'witness'] }), 'public-key', 'opt.publicKey', 'string', req),
            'nrp', 'opt.nrp', 'string'), 'title', 'opt.title', 'string'), 'unit', 'opt.unit', 'string'))
            .example('custody identity enrol budi.santoso --name "Budi Santoso" --agency "Dittipidsiber Bareskrim Polri" --role officer --nrp 87050123 --title "AKP, Penyidik" --public-key <BASE64> --key ledger.key', ''),
          run('identity enrol', admin.identityEnrol as Handler))
        .command('list', d('cmd.identity.list'), (k) => k.example('custody identity list --db polri.db', ''), run('identity list', admin.identityList as Handler))
        .command('show <id>', d('cmd.identity.show'), (k) => k.positional('id', { type: 'string' }).example('custody identity show budi.santoso', ''), run('identity show', admin.identityShow as Handler))
        .command('rotate <id>', d('cmd.identity.rotate'), (k) =>
          record(opt(opt(k.positional('id', { type: 'string' }), 'public-key', 'opt.publicKey', 'string', req), 'reason', 'opt.reason', 'string'))
            .example('custody identity rotate budi.santoso --public-key <NEW_BASE64> --reason "Laptop diganti" --key budi.key', ''),
          run('identity rotate', admin.identityRotate as Handler))
        .command('revoke <id>', d('cmd.identity.revoke'), (k) =>
          record(opt(opt(k.positional('id', { type: 'string' }), 'reason', 'opt.reason', 'string', req), 'compromised-since', 'opt.compromisedSince', 'number'))
            .example('custody identity revoke budi.santoso --reason "Mutasi ke Polda Jatim" --key ledger.key', ''),
          run('identity revoke', admin.identityRevoke as Handler))
        .demandCommand(1))

    .command('item', d('cmd.item'), (yy) =>
      yy
        .command('register <item>', d('cmd.item.register'), (k) =>
          record(content(opt(opt(opt(opt(opt(opt(opt(opt(opt(opt(opt(item(k), 'kind', 'opt.kind', 'string', req), 'description', 'opt.description', 'string', req),
            'case', 'opt.case', 'string'), 'seizure-authority', 'opt.seizureAuthority', 'string'), 'seizure-place', 'opt.seizurePlace', 'string'),
            'seizure-time', 'opt.seizureTime', 'string'), 'witness', 'opt.witness', 'string'), 'seal', 'opt.seal', 'string'), 'location', 'opt.location', 'string'),
            'identifier', 'opt.identifier', 'string'), 'remarks', 'opt.remarks', 'string')))
            .example(ex(
              'custody item register BB/017/XI/2026 --kind phone --description "Samsung phone, cracked screen" --file ./phone.img --case LP/B/0123/XI/2026/SPKT/Bareskrim --seizure-authority "SP.Sita/45/XI/2026" --witness "Ahmad (RT 05)" --seal SGL-000417 --key budi.key',
              'custody item register BB/017/XI/2026 --kind phone --description "Ponsel Samsung, layar retak" --file ./ponsel.img --case LP/B/0123/XI/2026/SPKT/Bareskrim --seizure-authority "SP.Sita/45/XI/2026" --witness "Ahmad (Ketua RT 05)" --seal SGL-000417 --key budi.key'), ''),
          run('item register', items.itemRegister as Handler))
        .command('derive <item>', d('cmd.item.derive'), (k) =>
          record(content(opt(opt(opt(opt(opt(opt(opt(opt(opt(item(k), 'from', 'opt.parent', 'string', req), 'kind', 'opt.kind', 'string', req), 'description', 'opt.description', 'string', req),
            'method', 'opt.method', 'string', req), 'tool', 'opt.tool', 'string'), 'case', 'opt.case', 'string'), 'seal', 'opt.seal', 'string'), 'location', 'opt.location', 'string'), 'remarks', 'opt.remarks', 'string')))
            .example('custody item derive BB/017/XI/2026/IMG-1 --from BB/017/XI/2026 --kind image --description "Citra forensik fisik" --method "physical acquisition" --tool "Cellebrite UFED 7.69" --file ./ponsel.E01 --key rudi.key', ''),
          run('item derive', items.itemDerive as Handler))
        .command('seal <item>', d('cmd.item.seal'), (k) =>
          record(opt(opt(opt(item(k), 'seal', 'opt.seal', 'string', req), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string'))
            .example('custody item seal BB/017/XI/2026 --seal SGL-000418 --key sari.key', ''),
          run('item seal', items.itemSeal as Handler))
        .command('unseal <item>', d('cmd.item.unseal'), (k) =>
          record(opt(opt(opt(opt(opt(item(k), 'seal', 'opt.seal', 'string'), 'found', 'opt.found', 'string', { ...req, choices: ['intact', 'broken'] }), 'purpose', 'opt.purpose', 'string', req), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string'))
            .example('custody item unseal BB/017/XI/2026 --found intact --purpose "Akuisisi di Labfor" --key rudi.key', ''),
          run('item unseal', items.itemUnseal as Handler))
        .command('check <item>', d('cmd.item.check'), (k) =>
          record(content(opt(opt(item(k), 'tool', 'opt.tool', 'string'), 'remarks', 'opt.remarks', 'string')))
            .example('custody item check BB/017/XI/2026/IMG-1 --file ./ponsel.E01 --key rudi.key', ''),
          run('item check', items.itemCheck as Handler))
        .command('examine <item>', d('cmd.item.examine'), (k) =>
          record(opt(opt(opt(opt(opt(item(k), 'purpose', 'opt.purpose', 'string', req), 'authority', 'opt.authority', 'string', req), 'tool', 'opt.tool', 'string'), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string'))
            .example('custody item examine BB/017/XI/2026/IMG-1 --purpose "Analisis percakapan" --authority "ST/123/XI/2026/Labfor" --tool "Magnet AXIOM 8.0" --key rudi.key', ''),
          run('item examine', items.itemExamine as Handler))
        .command('move <item>', d('cmd.item.move'), (k) =>
          record(opt(opt(item(k), 'location', 'opt.location', 'string', req), 'reason', 'opt.reason', 'string'))
            .example('custody item move BB/017/XI/2026 --location "Gudang BB, rak 3" --key sari.key', ''),
          run('item move', items.itemMove as Handler))
        .command('dispose <item>', d('cmd.item.dispose'), (k) =>
          record(opt(opt(opt(opt(opt(opt(item(k), 'method', 'opt.disposeMethod', 'string', { ...req, choices: ['destroyed', 'returned', 'forfeited', 'released'] }),
            'authority', 'opt.authority', 'string', req), 'witness', 'opt.witness', 'string'), 'recipient', 'opt.recipient', 'string'), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string'))
            .example('custody item dispose BB/017/XI/2026 --method returned --authority "Putusan PN Jakarta Selatan No. 123/Pid.Sus/2027" --recipient "Pemilik" --key sari.key', ''),
          run('item dispose', items.itemDispose as Handler))
        .command('note <item>', d('cmd.item.note'), (k) =>
          record(opt(opt(item(k), 'text', 'opt.text', 'string', req), 'corrects', 'opt.corrects', 'string'))
            .example('custody item note BB/017/XI/2026 --text "Nomor segel pada catatan #7 seharusnya SGL-000418" --key sari.key', ''),
          run('item note', items.itemNote as Handler))
        .command('list', d('cmd.item.list'), (k) => opt(k, 'custodian', 'opt.custodian', 'string').example('custody item list --custodian sari.wulandari', ''), run('item list', items.itemList as Handler))
        .demandCommand(1))

    .command('transfer [item]', d('cmd.transfer'), (yy) =>
      record(cosign(receipt(handoverOpts(item(yy)))))
        .example('CUSTODY_COSIGN_PASSPHRASE=… custody transfer BB/017/XI/2026 --to sari.wulandari --purpose "Penyerahan ke PPBB" --seal-state intact --key budi.key --cosign-key sari.key', '')
        .example('custody transfer --statement st.json --cosig sari.wulandari:<SIGNATURE> --key budi.key', ''),
      run('transfer', (c, a) => handover.handover(c, 'custody.transfer', a)))
    .command('statement', d('cmd.statement'), (yy) =>
      yy
        .command('transfer <item>', d('cmd.statement.transfer'), (k) =>
          timeZone(receipt(handoverOpts(opt(opt(item(k), 'actor', 'opt.actor', 'string', req), 'out', 'opt.out', 'string', req))))
            .example('custody statement transfer BB/017/XI/2026 --actor budi.santoso --to sari.wulandari --purpose "Penyerahan ke PPBB" --out st.json', ''),
          run('statement transfer', (c, a) => handover.statement(c, 'custody.transfer', a)))
        .command('accept <item>', d('cmd.statement.accept'), (k) =>
          timeZone(receipt(opt(opt(opt(opt(item(k), 'actor', 'opt.actor', 'string', req), 'out', 'opt.out', 'string', req), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string')))
            .example('custody statement accept BB/017/XI/2026/IMG-1 --actor rudi.hartono --out accept.json', ''),
          run('statement accept', (c, a) => handover.statement(c, 'custody.accept', a)))
        .command('reject <item>', d('cmd.statement.reject'), (k) =>
          timeZone(receipt(opt(opt(opt(item(k), 'actor', 'opt.actor', 'string', req), 'out', 'opt.out', 'string', req), 'reason', 'opt.reason', 'string', req)))
            .example('custody statement reject BB/017/XI/2026/IMG-1 --actor rudi.hartono --reason "Segel rusak" --out reject.json', ''),
          run('statement reject', (c, a) => handover.statement(c, 'custody.reject', a)))
        .demandCommand(1))
    .command('sign <file>', d('cmd.sign'), (yy) =>
      opt(yy.positional('file', { type: 'string' }), 'id', 'opt.id', 'string').example('custody sign st.json --key sari.key --db polri.db', ''),
      run('sign', handover.sign as Handler))
    .command('offer <item>', d('cmd.offer'), (yy) =>
      record(opt(opt(handoverOpts(item(yy)), 'seal-state', 'opt.sealState', 'string', { choices: ['intact', 'broken'] }), 'seal', 'opt.seal', 'string'))
        .demandOption(['to', 'purpose'])
        .example('custody offer BB/017/XI/2026/IMG-1 --to fbi.j.doe --purpose "MLA request 2026-0042" --key rudi.key', ''),
      run('offer', (c, a) => handover.handover(c, 'custody.offer', a)))
    .command('accept [item]', d('cmd.accept'), (yy) =>
      record(cosign(receipt(opt(opt(item(yy), 'place', 'opt.place', 'string'), 'remarks', 'opt.remarks', 'string'))))
        .example('CUSTODY_COSIGN_PASSPHRASE=… custody accept BB/017/XI/2026/IMG-1 --check-digest sha256:<HEX> --key rudi.key --cosign-key fbi.key', ''),
      run('accept', (c, a) => handover.handover(c, 'custody.accept', a)))
    .command('reject [item]', d('cmd.reject'), (yy) =>
      record(cosign(receipt(opt(item(yy), 'reason', 'opt.reason', 'string'))))
        .example('custody reject BB/017/XI/2026/IMG-1 --reason "Segel rusak saat diterima" --seal-state broken --key sari.key', ''),
      run('reject', (c, a) => handover.handover(c, 'custody.reject', a)))
    .command('cancel <item>', d('cmd.cancel'), (yy) =>
      record(opt(item(yy), 'reason', 'opt.reason', 'string')).example('custody cancel BB/017/XI/2026/IMG-1 --reason "Salah alamat" --key rudi.key', ''),
      run('cancel', (c, a) => handover.handover(c, 'custody.cancel', a)))

    .command('history <item>', d('cmd.history'), (yy) => item(yy).example('custody history BB/017/XI/2026 --db polri.db --lang id', ''), run('history', queries.history as Handler))
    .command('status <item>', d('cmd.status'), (yy) => item(yy).example('custody status BB/017/XI/2026', ''), run('status', queries.status as Handler))
    .command('log', d('cmd.log'), (yy) =>
      opt(opt(opt(yy, 'item', 'h.item', 'string'), 'from', 'opt.fromSeq', 'number'), 'limit', 'opt.limit', 'number').example('custody log --from 100 --limit 20', ''),
      run('log', queries.log as Handler))
    .command('verify', d('cmd.verify'), (yy) =>
      opt(opt(opt(yy, 'strict', 'opt.strict', 'boolean'), 'checkpoint', 'opt.checkpoint', 'string'), 'verifier-key', 'opt.verifierKey', 'string')
        .example('custody verify --db salinan-dari-penyidik.db --checkpoint cp-2026-11-28.txt --verifier-key ledger.dittipidsiber.polri.go.id/2026+23819a28+AXGX…', ''),
      run('verify', queries.verify as Handler))
    .command('checkpoint', d('cmd.checkpoint'), (yy) =>
      opt(yy, 'out', 'opt.out', 'string')
        .example('custody checkpoint --out cp-2026-11-28.txt --key polri-2026.ledger-key.pem', '')
        .command('list', L('Every checkpoint the ledger key signed', 'Semua checkpoint yang ditandatangani kunci buku register'), (k) => k.example('custody checkpoint list', ''), run('checkpoint list', proofs.checkpointList as Handler))
        .command('show [size]', L('One checkpoint with its cosignatures (default: the latest)', 'Satu checkpoint beserta tanda tangan saksinya (bawaan: terakhir)'), (k) => k.positional('size', { type: 'string' }).example('custody checkpoint show 120', ''), run('checkpoint show', proofs.checkpointShow as Handler))
        .command('key', L('The verifier key partners pin (origin+keyid+base64)', 'Kunci verifikasi yang disimpan mitra (origin+keyid+base64)'), (k) => k.example('custody checkpoint key', ''), run('checkpoint key', proofs.checkpointKey as Handler))
        .command('for-witness <witness>', L('Write the request a witness (name or verifier key) answers offline', 'Tulis permintaan yang dijawab saksi (nama atau kunci verifikasi) secara luring'), (k) =>
          k.positional('witness', { type: 'string' }).option('out', { type: 'string', describe: d('opt.out') })
            .example('custody checkpoint for-witness witness.kejaksaan.go.id --out req-kejari.txt', ''),
          run('checkpoint for-witness', proofs.checkpointForWitness as Handler))
        .command('add-cosignature <file..>', L('Attach witness cosignatures (each must verify)', 'Lampirkan tanda tangan saksi (harus terverifikasi)'), (k) =>
          k.option('witness-key', { type: 'string', demandOption: true, describe: L('Witness verifier key(s)', 'Kunci verifikasi saksi') }).option('size', { type: 'string', describe: L('Checkpoint size (default: the latest)', 'Ukuran checkpoint (bawaan: terakhir)') })
            .example('custody checkpoint add-cosignature cosig-kejari.txt --witness-key witness.kejaksaan.go.id+1a2b3c4d+BA…', ''),
          run('checkpoint add-cosignature', proofs.checkpointAddCosignature as Handler))
        .command('verify <file>', L('Does a checkpoint meet a policy? Which witnesses signed?', 'Apakah checkpoint memenuhi kebijakan? Saksi mana yang menandatangani?'), (k) =>
          k.option('policy', { type: 'string', demandOption: true, describe: L('C2SP tlog-policy file', 'Berkas kebijakan C2SP tlog-policy') }).example('custody checkpoint verify cp.txt --policy pengadilan.policy', ''),
          run('checkpoint verify', proofs.checkpointVerify as Handler)),
      run('checkpoint', checkpointCmd.checkpoint as Handler))
    .command('prove', L('Inclusion and consistency proofs from the stored hashes', 'Bukti inklusi dan konsistensi dari hash tersimpan'), (yy) =>
      yy
        .command('inclusion <seq>', L('Prove record SEQ is in the log at a checkpoint (C2SP tlog-proof)', 'Buktikan catatan SEQ ada di log pada checkpoint (C2SP tlog-proof)'), (k) =>
          k.positional('seq', { type: 'string' }).option('size', { type: 'string', describe: L('Checkpoint size (default: the latest)', 'Ukuran checkpoint (bawaan: terakhir)') }).example('custody prove inclusion 42', ''),
          run('prove inclusion', proofs.proveInclusionCmd as Handler))
        .command('consistency <old> [new]', L('Prove the checkpoint of NEW records extends the tree of OLD', 'Buktikan checkpoint NEW melanjutkan pohon OLD'), (k) =>
          k.positional('old', { type: 'string' }).positional('new', { type: 'string' }).example('custody prove consistency 100 250', ''),
          run('prove consistency', proofs.proveConsistencyCmd as Handler))
        .demandCommand(1))
    .command('witness', L('An offline witness: cosign checkpoints that extend what it saw', 'Saksi luring: menandatangani checkpoint yang melanjutkan yang pernah dilihat'), (yy) =>
      yy
        .option('state', { type: 'string', demandOption: true, describe: L('The witness state file', 'Berkas keadaan saksi') })
        .command('init', L('Create the state file of a witness key (--key)', 'Buat berkas keadaan untuk kunci saksi (--key)'), (k) =>
          k.option('name', { type: 'string', demandOption: true, describe: L('Witness name, e.g. witness.kejaksaan.go.id', 'Nama saksi, mis. witness.kejaksaan.go.id') }).example('custody witness init --name witness.kejaksaan.go.id --key saksi.pem --state saksi.json', ''),
          run('witness init', witnessCmd.witnessInit as Handler))
        .command('add-log <log-key>', L('Know a ledger by its verifier key', 'Kenali buku register dari kunci verifikasinya'), (k) =>
          k.positional('log-key', { type: 'string' }).example('custody witness add-log ledger.dittipidsiber.polri.go.id/2026+6f2300ca+AWfc… --state saksi.json', ''),
          run('witness add-log', witnessCmd.witnessAddLog as Handler))
        .command('cosign <request>', L('Check a request and print the cosignature line', 'Periksa permintaan dan cetak tanda tangan saksi'), (k) =>
          k.positional('request', { type: 'string' }).option('out', { type: 'string', describe: d('opt.out') }).example('custody witness cosign req-kejari.txt --key saksi.pem --state saksi.json --out cosig-kejari.txt', ''),
          run('witness cosign', witnessCmd.witnessCosignCmd as Handler))
        .demandCommand(1))
    .command('bundle', L('Custody bundles: prove items’ custody to another agency or a court', 'Bundel: buktikan penguasaan barang bukti kepada instansi lain atau pengadilan'), (yy) =>
      yy
        .command('export <items..>', L('Write the bundle of items at the latest checkpoint', 'Tulis bundel barang bukti pada checkpoint terakhir'), (k) =>
          k.option('out', { type: 'string', demandOption: true, describe: d('opt.out') }).option('checkpoint', { type: 'string', describe: L('Checkpoint size (default: the latest)', 'Ukuran checkpoint (bawaan: terakhir)') })
            .example('custody bundle export BB/017/XI/2026 --out BB-017.bundle.json', ''),
          run('bundle export', bundleCmd.bundleExport as Handler))
        .command('verify <file>', L('Verify a bundle offline: 0 intact, 1 not intact, 2 not a bundle', 'Verifikasi bundel: 0 utuh, 1 tidak utuh, 2 bukan bundel'), (k) =>
          k.option('policy', { type: 'string', describe: L('C2SP tlog-policy file', 'Berkas kebijakan C2SP tlog-policy') }).option('log-key', { type: 'string', describe: L('Trusted ledger verifier key(s)', 'Kunci verifikasi buku register yang dipercaya') })
            .example('custody bundle verify BB-017.bundle.json --policy pengadilan.policy', ''),
          run('bundle verify', bundleCmd.bundleVerify as Handler))
        .command('import <file>', L('Verify a bundle and record item.import here', 'Verifikasi bundel lalu catat item.import di sini'), (k) =>
          opt(opt(k, 'time', 'opt.time', 'string'), 'zone', 'opt.zone', 'string')
            .option('policy', { type: 'string', describe: L('C2SP tlog-policy file', 'Berkas kebijakan C2SP tlog-policy') }).option('log-key', { type: 'string', describe: L('Trusted ledger verifier key(s)', 'Kunci verifikasi buku register yang dipercaya') })
            .option('item', { type: 'string', describe: L('The item id in this ledger', 'Nomor barang bukti di buku register ini') }).option('source-item', { type: 'string', describe: L('Which item of the bundle', 'Barang bukti mana dari bundel') })
            .option('force-note', { type: 'string', describe: L('Why you import an item not handed to you', 'Alasan mengimpor barang bukti yang tidak diserahkan kepada Anda') })
            .example('custody bundle import BB-017.bundle.json --policy mitra.policy --item FBI-E1 --key agent.pem', ''),
          run('bundle import', bundleCmd.bundleImport as Handler))
        .demandCommand(1))
    .command('export', d('cmd.export'), (yy) => opt(yy, 'out', 'opt.out', 'string').example('custody export --out polri-2026.jsonl', ''), run('export', queries.exportLedger as Handler))
    .command('demo', d('cmd.demo'), (yy) => opt(yy, 'dir', 'opt.demoDir', 'string').example('custody demo --dir ./demo', ''), run('demo', demo as Handler))
    .command('report [item]', reportCmd.reportDescription(lang), (yy) => reportCmd.reportOptions(yy, lang), run('report', reportCmd.report as Handler))
    .command('verifier', reportCmd.verifierDescription(lang), (yy) => reportCmd.verifierOptions(yy, lang), run('verifier', reportCmd.verifier as Handler));
}

export { EXIT_USAGE };
