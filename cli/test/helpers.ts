// Helpers for end-to-end tests: spawn the built `custody` binary (cli/bin/custody.js → cli/dist),
// real temp directories, real SQLite files and real key files. Key files for the cast are written
// here with a low scrypt cost so that each spawn reads its key quickly; `key generate` and `init`
// themselves are exercised with the real cost.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signStatement, statementOf, toBase64, unsignedRecord, type RecordInput } from '@custody/core';
import { generateKeyPair, Ledger, writeKeyFile, type KeyPair } from '@custody/ledger';
import { Ajv2020 } from 'ajv/dist/2020.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');
export const BIN = join(ROOT, 'cli', 'bin', 'custody.js');
export const PASSPHRASE = 'uji-rahasia-panjang';
export const LOW_COST = { scrypt: { N: 1024, r: 8, p: 1 } } as const;

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** custody runs the built binary with `args` in `cwd`, with a clean environment plus `env`. */
export function custody(args: readonly string[], env: Record<string, string | undefined> = {}, cwd = tmpdir()): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base: Record<string, string> = { PATH: process.env['PATH'] ?? '', LANG: 'C', HOME: process.env['HOME'] ?? tmpdir() };
    for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** parallel runs `jobs` at most `width` at a time, keeping their order. */
export async function parallel<T>(jobs: readonly (() => Promise<T>)[], width = 6): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

export function tempDir(prefix = 'custody-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ORIGIN = 'ledger.uji.polri.go.id/2026';

/** The cast: id, role, agency. `eve` has a key file but is never enrolled. */
export const CAST = [
  ['adm', 'admin', 'Polri'],
  ['budi', 'officer', 'Dittipidsiber Bareskrim Polri'],
  ['sari', 'officer', 'Dittipidsiber Bareskrim Polri'],
  ['rudi', 'officer', 'Puslabfor Polri'],
  ['fbi.doe', 'external', 'FBI'],
] as const;

export interface World {
  readonly dir: string;
  readonly db: string;
  readonly keys: Record<string, KeyPair>;
  /** Path of the key file of `id` (also `ledger` and `eve`). */
  key(id: string): string;
  /** The environment for a command signed by --key: passphrase and database. */
  readonly env: Record<string, string>;
  size(): number;
  cleanup(): void;
}

/** writeCast writes low-cost key files for the ledger, the cast and eve into `dir`. */
export function writeCast(dir: string): Record<string, KeyPair> {
  const keys: Record<string, KeyPair> = {};
  for (const id of ['ledger', ...CAST.map((c) => c[0]), 'eve']) {
    keys[id] = generateKeyPair();
    writeKeyFile(join(dir, `${id}.key`), keys[id]!, PASSPHRASE, LOW_COST);
  }
  return keys;
}

/**
 * world builds, through the library, a ledger with the cast enrolled and a few items in known states:
 * BB-1 held by budi (sealed S-1), BB-2 offered by sari to fbi.doe, BB-3 offered by sari to rudi,
 * BB-4 disposed of by sari.
 */
export function world(): World {
  const { dir, cleanup } = tempDir();
  const db = join(dir, 'uji.db');
  const keys = writeCast(dir);
  const ledger = Ledger.create(db, { origin: ORIGIN, name: 'Register Uji', agency: 'Polri', signer: keys['ledger']!.signer, zone: 'Asia/Jakarta' });
  for (const [id, role, agency] of CAST) {
    ledger.append(
      { type: 'identity.enrol', item: null, actor: 'ledger', zone: 'Asia/Jakarta', data: { id, role, agency, name: `Nama ${id}`, key: toBase64(keys[id]!.publicKey) } },
      keys['ledger']!.signer,
    );
  }
  const act = (actor: string, input: Omit<RecordInput, 'actor'>, cosigners: string[] = []): void => {
    const full = { ...input, actor, time: new Date().toISOString(), zone: 'Asia/Jakarta' } as RecordInput;
    const statement = statementOf(unsignedRecord(ledger, ledger.head(), full));
    ledger.append({ ...full, cosigs: cosigners.map((c) => signStatement(statement, c, keys[c]!.signer)) }, keys[actor]!.signer);
  };
  const register = (id: string, by: string, extra: Record<string, unknown> = {}): void =>
    act(by, { type: 'item.register', item: id, data: { kind: 'phone', description: `Ponsel ${id}`, digests: { sha256: 'ab'.repeat(32) }, size: 10, ...extra } as never });
  register('BB-1', 'budi', { seal: { numbers: ['S-1'], state: 'intact' } });
  register('BB-2', 'sari');
  act('sari', { type: 'custody.offer', item: 'BB-2', data: { to: 'fbi.doe', purpose: 'MLA' } });
  register('BB-3', 'sari');
  act('sari', { type: 'custody.offer', item: 'BB-3', data: { to: 'rudi', purpose: 'Pemeriksaan' } });
  register('BB-4', 'sari');
  act('sari', { type: 'item.dispose', item: 'BB-4', data: { method: 'destroyed', authority: 'Penetapan PN 1/2026' } });
  ledger.close();
  return {
    dir,
    db,
    keys,
    key: (id) => join(dir, `${id}.key`),
    env: { CUSTODY_DB: db, CUSTODY_PASSPHRASE: PASSPHRASE },
    size: () => {
      const l = Ledger.open(db, { readonly: true });
      try {
        return l.size();
      } finally {
        l.close();
      }
    },
    cleanup,
  };
}

// ---- JSON Schemas of the --json outputs (schemas/cli), with the record schemas they refer to ----

const ajv = new Ajv2020({ strict: true, strictRequired: false });
for (const file of ['defs', 'record']) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', `${file}.schema.json`), 'utf8')));
const dataTypes = ['ledger.genesis', 'identity.enrol', 'identity.rotate', 'identity.revoke', 'item.register', 'item.derive', 'item.import', 'custody.transfer', 'custody.offer', 'custody.accept', 'custody.reject', 'custody.cancel', 'item.seal', 'item.unseal', 'item.check', 'item.examine', 'item.move', 'item.dispose', 'item.note'];
for (const t of dataTypes) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'data', `${t}.schema.json`), 'utf8')));
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', 'defs.schema.json'), 'utf8')));

/** checkOutput parses stdout as exactly one JSON document and validates it against schemas/cli/NAME.schema.json. */
export function checkOutput(name: string, stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== 1) throw new Error(`expected one JSON line on stdout, got ${lines.length}: ${stdout.slice(0, 300)}`);
  const doc = JSON.parse(lines[0]!) as Record<string, unknown>;
  const id = `urn:custody:schema:cli:${name}`;
  let validate = ajv.getSchema(id);
  if (validate === undefined) {
    ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'cli', `${name}.schema.json`), 'utf8')));
    validate = ajv.getSchema(id)!;
  }
  if (!validate(doc)) throw new Error(`${name}: ${ajv.errorsText(validate.errors)} in ${lines[0]!.slice(0, 400)}`);
  return doc;
}
