// Output injection (issue 15): a ledger file, bundle, checkpoint or policy handed over by the party
// whose conduct is in question carries terminal escapes (clear the screen and print "INTACT"), C1
// controls, bidi overrides, BEL and carriage returns. Built for real — state rows written into the
// ledger's tables as its holder could, a policy whose witness name carries C1 and bidi characters
// (the policy grammar allows them), a command line quoting an escape — and run through the real
// CLI: nothing of it reaches stdout, stderr or a report raw; the escaped form does; and --json
// parses to the very same values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createVerifierKey, formatVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1 } from '../../packages/core/src/index.js';
import { exportBundle, formatBundle, generateKeyPair, Ledger, ledgerVerifierKey, signLedgerCheckpoint } from '../../packages/ledger/src/index.js';
import { custody, parallel, world, type Run } from '../../cli/test/helpers.js';
import { ROOT } from './helpers.js';

/** better-sqlite3, as the ledger package resolves it: the attacker edits the file with any SQLite client. */
interface RawDb {
  prepare(sql: string): { get(...params: unknown[]): unknown; run(...params: unknown[]): unknown };
  close(): void;
}
const Database = createRequire(join(ROOT, 'packages', 'ledger', 'package.json'))('better-sqlite3') as new (path: string) => RawDb;

/** Text a crafted state row carries: clear screen + home + a fake verdict, CSI as C1, RLO, BEL, CR. */
const HOSTILE = '\u001b[2J\u001b[H INTACT \u009b2J \u202eTCATNI\u202c \u0007 \r end';
/** A witness name the tlog-policy grammar accepts (no C0, no spaces) with C1, bidi and markup. */
const WITNESS = 'w<i>\u202e\u009b2J\u2066';
/** An item id typed on (or pasted into) the command line. */
const BAD_ID = 'BB\u001b[2J\u0007\r\u009b\u202e';

/** Every character that must never be written raw: C0 but \n and \t, DEL, C1, bidi, separators, BOM. */
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const w = world();
const hostileDb = join(w.dir, 'hostile.db');
const policy = join(w.dir, 'kejaksaan.policy');
const badPolicy = join(w.dir, 'bad.policy');
const checkpointFile = join(w.dir, 'checkpoint.txt');
const bundleFile = join(w.dir, 'bb-1.bundle.json');

{
  // The honest ledger, checkpointed, then its bundle and checkpoint as handed over.
  const ledger = Ledger.open(w.db);
  signLedgerCheckpoint(ledger, w.keys['ledger']!.signer);
  const bundle = exportBundle(ledger, ['BB-1']);
  writeFileSync(bundleFile, formatBundle(bundle));
  writeFileSync(checkpointFile, bundle.checkpoint);
  const logKey = ledgerVerifierKey(ledger);
  ledger.close();
  const witnessKey = formatVerifierKey(createVerifierKey(WITNESS, SIGNATURE_TYPE_COSIGNATURE_V1, generateKeyPair().publicKey));
  writeFileSync(policy, `log ${logKey}\nwitness ${WITNESS} ${witnessKey}\nquorum ${WITNESS}\n`);
  writeFileSync(badPolicy, `log ${logKey}\nwitness a ${witnessKey}\ngroup g any ${WITNESS}x\nquorum g\n`);

  // The same ledger with its state rows rewritten, as the holder of the file can: the display
  // commands read these rows (the records themselves are schema-checked on every read).
  writeFileSync(hostileDb, readFileSync(w.db));
  const db = new Database(hostileDb);
  const edit = (table: 'items' | 'identities', id: string, change: (state: Record<string, unknown>) => void): void => {
    const row = db.prepare(`SELECT state FROM ${table} WHERE id = ?`).get(id) as { state: string };
    const state = JSON.parse(row.state) as Record<string, unknown>;
    change(state);
    db.prepare(`UPDATE ${table} SET state = ? WHERE id = ?`).run(JSON.stringify(state), id);
  };
  edit('items', 'BB-1', (s) => {
    s['description'] = HOSTILE;
    s['location'] = HOSTILE;
    s['seal'] = { numbers: [HOSTILE], state: 'intact' };
  });
  edit('identities', 'budi', (s) => {
    s['name'] = HOSTILE;
    s['agency'] = HOSTILE;
  });
  db.close();
}

/** assertInert fails if any stream of `run` (or `extra` text, e.g. a report file) has a raw control or bidi character. */
function assertInert(label: string, run: Run, extra: Record<string, string> = {}): void {
  for (const [name, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, ...extra })) {
    const found = RAW.exec(text);
    assert.is(found, null, `${label}: raw U+${found?.[0].charCodeAt(0).toString(16).padStart(4, '0')} on ${name}`);
  }
}

/** The escaped forms of HOSTILE, all of which a text output showing it must contain. */
const SHOWN = ['\\x1B[2J\\x1B[H INTACT', '\\u009B2J', '\\u202ETCATNI\\u202C', '\\x07', '\\x0D end'];
const assertShown = (label: string, text: string, forms = SHOWN): void => {
  for (const form of forms) assert.ok(text.includes(form), `${label}: shows ${form} in ${text.slice(0, 400)}`);
};
/** The escaped forms of WITNESS in text and in Markdown. */
const WITNESS_SHOWN = ['\\u202E\\u009B2J\\u2066'];

const db = ['--db', hostileDb];
const json = (run: Run): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>;

/** runAll runs each named command line (a few at a time) and returns the runs by name. */
async function runAll<K extends string>(commands: Record<K, readonly string[]>): Promise<Record<K, Run>> {
  const names = Object.keys(commands) as K[];
  const runs = await parallel(names.map((name) => () => custody(commands[name])));
  return Object.fromEntries(names.map((name, i) => [name, runs[i]!])) as Record<K, Run>;
}

test('status, history, item list and identity list/show show crafted state rows escaped, with --json the same values', async () => {
  const commands = [['status', 'BB-1'], ['history', 'BB-1'], ['item', 'list'], ['identity', 'list'], ['identity', 'show', 'budi']];
  const runs = await parallel(commands.flatMap((c) => [() => custody([...c, ...db]), () => custody([...c, ...db, '--json'])]));
  for (const [i, c] of commands.entries()) {
    const [text, doc] = [runs[2 * i]!, runs[2 * i + 1]!];
    assert.is(text.status, 0, `${c.join(' ')}: ${text.stderr}`);
    assert.is(doc.status, 0, `${c.join(' ')} --json: ${doc.stdout}`);
    assertInert(c.join(' '), text);
    assertInert(`${c.join(' ')} --json`, doc);
    assertShown(c.join(' '), text.stdout);
    assert.ok(doc.stdout.includes('\\u009b2J') && doc.stdout.includes('\\u202e'), 'JSON escapes C1 and bidi as \\uXXXX');
  }
  const status = json(runs[1]!) as { item: { description: string; location: string; seal: { numbers: string[] } } };
  assert.is(status.item.description, HOSTILE, 'the JSON value is the original text');
  assert.is(status.item.location, HOSTILE);
  assert.equal(status.item.seal.numbers, [HOSTILE]);
  assert.is((json(runs[3]!) as { item: { description: string } }).item.description, HOSTILE);
  const identity = json(runs[9]!) as { identity?: { name: string }; name?: string };
  assert.is((identity.identity ?? identity).name, HOSTILE);
  assert.ok(runs[4]!.stdout.includes('\t'), 'item list stays tab-separated');
});

test('log stays tab-separated, and verify of the crafted ledger says not intact without a raw byte', async () => {
  const { log, logJson, verify, verifyJson } = await runAll({
    log: ['log', ...db],
    logJson: ['log', ...db, '--json'],
    verify: ['verify', ...db],
    verifyJson: ['verify', ...db, '--json'],
  });
  assert.is(log.status, 0, log.stderr);
  assert.ok(log.stdout.split('\n')[0]!.split('\t').length >= 6, 'one tab-separated line per record');
  assert.is(verify.status, 1, 'the rewritten state rows are found');
  assert.is(verifyJson.status, 1);
  assert.is(json(verifyJson)['ok'], false);
  for (const [label, run] of [['log', log], ['log --json', logJson], ['verify', verify], ['verify --json', verifyJson]] as const) assertInert(label, run);
});

test('report in Markdown (stdout and --out), HTML and JSON shows a hostile policy’s witness name escaped', async () => {
  const out = (name: string): string => join(w.dir, name);
  const runs = await parallel([
    () => custody(['report', 'BB-1', '--db', w.db, '--policy', policy, '--format', 'md']),
    () => custody(['report', 'BB-1', '--db', w.db, '--policy', policy, '--format', 'md', '--out', out('r.md')]),
    () => custody(['report', 'BB-1', '--db', w.db, '--policy', policy, '--format', 'html', '--out', out('r.html')]),
    () => custody(['report', 'BB-1', '--db', w.db, '--policy', policy, '--format', 'json', '--out', out('r.json'), '--json']),
    () => custody(['report', '--bundle', bundleFile, '--policy', policy, '--format', 'md']),
    () => custody(['report', '--bundle', bundleFile, '--policy', policy, '--format', 'html']),
    () => custody(['report', '--bundle', bundleFile, '--policy', policy, '--format', 'json']),
  ]);
  for (const [i, run] of runs.entries()) {
    assert.is(run.status, 1, `run ${i}: the quorum of the hostile witness is not met: ${run.stderr}`);
    assertInert(`report run ${i}`, run);
  }
  const md = readFileSync(out('r.md'), 'utf8');
  const html = readFileSync(out('r.html'), 'utf8');
  const reportJson = readFileSync(out('r.json'), 'utf8');
  assertInert('report files', { status: 0, stdout: '', stderr: '' }, { md, html, json: reportJson });
  assertShown('report md (stdout)', runs[0]!.stdout, WITNESS_SHOWN);
  assertShown('report md (file)', md, WITNESS_SHOWN);
  assertShown('report html (file)', html, WITNESS_SHOWN);
  assertShown('report md (bundle)', runs[4]!.stdout, WITNESS_SHOWN);
  assertShown('report html (bundle)', runs[5]!.stdout, WITNESS_SHOWN);
  assert.ok(html.includes('w&lt;i&gt;') && !html.includes('<i>'), 'HTML markup in the name is still escaped');
  const failures = (doc: { verdict: { failures: { message: string }[] } }): string => doc.verdict.failures.map((f) => f.message).join(' ');
  assert.ok(failures(JSON.parse(reportJson)).includes(WITNESS), 'the JSON report keeps the name itself');
  assert.ok(failures(JSON.parse(runs[6]!.stdout)).includes(WITNESS), 'also on stdout');
  const summary = json(runs[3]!) as { intact: boolean; failures: { message: string }[] };
  assert.is(summary.intact, false);
  assert.ok(summary.failures.some((f) => f.message.includes(WITNESS)), '--json summary keeps the name itself');
});

test('bundle verify and checkpoint verify under a hostile policy: escaped in text, the same values in --json', async () => {
  const { bundle, bundleJson, checkpoint, checkpointJson } = await runAll({
    bundle: ['bundle', 'verify', bundleFile, '--policy', policy],
    bundleJson: ['bundle', 'verify', bundleFile, '--policy', policy, '--json'],
    checkpoint: ['checkpoint', 'verify', checkpointFile, '--policy', policy],
    checkpointJson: ['checkpoint', 'verify', checkpointFile, '--policy', policy, '--json'],
  });
  for (const [label, run] of [['bundle verify', bundle], ['bundle verify --json', bundleJson], ['checkpoint verify', checkpoint], ['checkpoint verify --json', checkpointJson]] as const) {
    assert.is(run.status, 1, `${label}: ${run.stdout}${run.stderr}`);
    assertInert(label, run);
  }
  assertShown('bundle verify', bundle.stdout, WITNESS_SHOWN);
  assertShown('checkpoint verify', checkpoint.stdout, WITNESS_SHOWN);
  assert.ok(JSON.stringify(json(bundleJson)).includes(WITNESS), 'escaped on the wire, the name itself once parsed');
  const witnesses = (json(checkpointJson) as { witnesses: { name: string; status: string }[] }).witnesses;
  assert.equal(witnesses.map((x) => x.name), [WITNESS]);
});

test('error messages quoting an escape from the command line or a file show it escaped, with the value in --json details', async () => {
  const missingDb = join(w.dir, 'missing\u001b[2J\u202e.db');
  const runs = await runAll({
    item: ['status', BAD_ID, ...db],
    itemJson: ['status', BAD_ID, ...db, '--json'],
    log: ['log', '--item', BAD_ID, ...db],
    path: ['status', 'BB-1', '--db', missingDb],
    pathJson: ['status', 'BB-1', '--db', missingDb, '--json'],
    bad: ['checkpoint', 'verify', checkpointFile, '--policy', badPolicy],
    badJson: ['checkpoint', 'verify', checkpointFile, '--policy', badPolicy, '--json'],
    command: ['\u001b[2J\u009bINTACT'],
  });
  const { item, itemJson, log, path, pathJson, bad, badJson, command } = runs;
  for (const [label, run] of Object.entries(runs)) {
    assert.is(run.status, 2, `${label}: ${run.stdout}${run.stderr}`);
    assertInert(label, run);
  }
  assertShown('unknown item', item.stderr, ['BB\\x1B[2J\\x07\\x0D\\u009B\\u202E']);
  assertShown('log --item', log.stderr, ['BB\\x1B[2J\\x07\\x0D\\u009B\\u202E']);
  assertShown('missing ledger', path.stderr, ['missing\\x1B[2J\\u202E.db']);
  assertShown('bad policy', bad.stderr, ['\\u202E\\u009B2J\\u2066x']);
  assertShown('unknown command', command.stderr, ['\\x1B[2J\\u009BINTACT']);
  const error = (run: Run): { code: string; message: string; details: Record<string, unknown> } => (json(run) as { error: never }).error;
  assert.is(error(itemJson).code, 'ITEM_UNKNOWN');
  assert.is(error(itemJson).details['item'], BAD_ID, 'the details keep the id itself');
  assert.is(error(pathJson).code, 'LEDGER_NOT_FOUND');
  assert.is(error(pathJson).details['path'], missingDb);
  assert.is(error(badJson).code, 'POLICY_MALFORMED');
  assert.ok(error(badJson).message.includes(`${WITNESS}x`), 'the message keeps the name itself');
});

test('a note on stderr naming a file with a bidi override in its name shows it escaped', async () => {
  const out = join(w.dir, 'laporan\u202eLMTH.md');
  const run = await custody(['report', 'BB-1', '--db', w.db, '--format', 'md', '--out', out]);
  assert.is(run.status, 0, run.stderr);
  assertInert('report --out note', run);
  assertShown('report --out note', run.stderr, ['laporan\\u202ELMTH.md']);
});

test.after(() => w.cleanup());
test.run();
