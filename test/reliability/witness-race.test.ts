// The witness under concurrent requests from real processes: two forks of one log (the same origin
// and ledger key, different records after a shared prefix, each with a signed checkpoint) are sent
// to one witness at the same moment, by two child processes released together by a barrier file.
// In every round exactly one may be cosigned, and the state must name the winner's root: a witness
// that cosigns both has cosigned a split view. Also: a held lock makes a cosign wait and then fail
// with WITNESS_STATE_LOCKED, and a lock whose holder is killed is free at once (no stale lock).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { seedSigner, toBase64 } from '../../packages/core/src/index.js';
import {
  addWitnessLog,
  createWitnessState,
  keyPairFromSeed,
  ledgerVerifierKey,
  Ledger,
  nodeCrypto,
  readWitnessState,
  signLedgerCheckpoint,
  witnessCosign,
  witnessRequest,
  writeKeyFile,
} from '../../packages/ledger/src/index.js';
import { custody, LOW_COST, PASSPHRASE, tempDir } from '../../cli/test/helpers.js';
import { createStoryLedger, DIGESTS, people } from './fixtures.js';
import { SCALE, spawnChild } from './helpers.js';

/** Four pairs of child processes, each racing this many rounds: 20 rounds in all. */
const ROUNDS_PER_PAIR = 5 * SCALE;
/** Hang guard for one child (which lives through several rounds): generous, for a fully loaded two-core machine. */
const CHILD_TIMEOUT_MS = 120_000;
const WITNESS_SEED = 50;
const WITNESS_NAME = 'witness.kejaksaan.go.id';
const witness = seedSigner(new Uint8Array(32).fill(WITNESS_SEED), nodeCrypto);

const { dir, cleanup } = tempDir('custody-witness-race-');
const template = join(dir, 'witness-template.json');

interface Fork {
  readonly name: string;
  readonly request: string;
  readonly size: number;
  readonly rootBase64: string;
}
const forks = new Map<string, Fork>();
let sharedSize = 0;
let logKey = '';

/**
 * setup builds a shared prefix the witness has cosigned, and three forks of it: A and B of the same
 * size with different roots, and C, one record longer than A and not an extension of it.
 */
function setup(): void {
  const sharedPath = join(dir, 'shared.db');
  const shared = createStoryLedger(sharedPath);
  shared.append({ type: 'item.register', item: 'BB-1', actor: 'budi', data: { kind: 'phone', description: 'Ponsel', digests: DIGESTS } }, people.budi);
  const cp = signLedgerCheckpoint(shared, people.ledger);
  createWitnessState(template, WITNESS_NAME, witness.publicKey);
  logKey = ledgerVerifierKey(shared);
  addWitnessLog(template, logKey);
  witnessCosign(template, witness, witnessRequest(shared, 0));
  sharedSize = cp.size;
  shared.close();

  const fork = (name: string, items: string[]): void => {
    const path = join(dir, `fork-${name}.db`);
    copyFileSync(sharedPath, path);
    const ledger = Ledger.open(path);
    for (const item of items) {
      ledger.append({ type: 'item.register', item, actor: 'budi', data: { kind: 'disk', description: `Disk ${item}`, digests: DIGESTS } }, people.budi);
    }
    const signed = signLedgerCheckpoint(ledger, people.ledger);
    const request = join(dir, `request-${name}.txt`);
    writeFileSync(request, witnessRequest(ledger, sharedSize));
    forks.set(name, { name, request, size: signed.size, rootBase64: toBase64(ledger.rootHash(signed.size)) });
    ledger.close();
  };
  fork('A', ['A-1']);
  fork('B', ['B-1']);
  fork('C', ['C-1', 'C-2']);
  assert.is(forks.get('A')!.size, forks.get('B')!.size);
  assert.is.not(forks.get('A')!.rootBase64, forks.get('B')!.rootBase64);
}

/** Output of a child, line by line, with a hang guard that kills it. */
class ChildLines {
  readonly lines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess, what: string) {
    let buffered = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      this.lines.push(...parts);
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const guard = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (status, signal) => {
        clearTimeout(guard);
        for (const wake of this.waiters.splice(0)) wake();
        if (status !== 0 && signal !== 'SIGKILL') reject(new Error(`${what} exited with ${status}: ${stderr}`));
        else resolve(status);
      });
    });
    this.exited.catch(() => undefined); // awaited by the test when it matters; never an unhandled rejection
  }

  /** line resolves with the first line matching `re`, or rejects when the child ends without one. */
  async line(re: RegExp): Promise<string> {
    for (;;) {
      const found = this.lines.find((l) => re.test(l));
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the child ended without a line matching ${re}: ${this.lines.join(' | ')}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

interface Outcome {
  readonly round: number;
  readonly ok: boolean;
  readonly size?: number;
  readonly code?: string;
}

/**
 * racePair starts two children, one per fork, for `rounds` rounds: each round on a fresh copy of the
 * template state, both released by one barrier file. Checks every round and counts the winners.
 */
async function racePair(pair: number, names: readonly [string, string], rounds: number, wins: Record<string, number>): Promise<void> {
  const prefix = join(dir, `pair-${pair}`);
  for (let round = 0; round < rounds; round++) copyFileSync(template, `${prefix}-${round}.json`);
  const children = names.map((name) =>
    new ChildLines(spawnChild('witness-cosign.ts', ['cosign', String(WITNESS_SEED), forks.get(name)!.request, prefix, String(rounds)]), `pair ${pair}, fork ${name}`));
  try {
    await Promise.all(children.map((c) => c.line(/^ready$/)));
    for (let round = 0; round < rounds; round++) {
      const what = `pair ${pair} (${names.join(' and ')}), round ${round}`;
      writeFileSync(`${prefix}-${round}.go`, '');
      const outcomes = await Promise.all(children.map(async (c) => JSON.parse(await c.line(new RegExp(`^\\{"round":${round},`))) as Outcome));
      const winners = outcomes.flatMap((o, i) => (o.ok ? [names[i]!] : []));
      assert.is(winners.length, 1, `${what}: ${JSON.stringify(outcomes)}`);
      const winner = forks.get(winners[0]!)!;
      const loser = outcomes.find((o) => !o.ok)!;
      assert.ok(loser.code === 'CHECKPOINT_MISMATCH' || loser.code === 'CHECKPOINT_INCONSISTENT', `${what}: the loser's refusal ${loser.code}`);
      const log = Object.values(readWitnessState(`${prefix}-${round}.json`).logs)[0]!;
      assert.is(log.size, winner.size, what);
      assert.is(log.root, winner.rootBase64, `${what}: the state names the winner's root`);
      wins[winner.name] = (wins[winner.name] ?? 0) + 1;
    }
    await Promise.all(children.map((c) => c.exited));
  } finally {
    for (const c of children) c.child.kill('SIGKILL');
  }
}

test.before(setup);
test.after(cleanup);

test('of two forks sent to one witness at the same moment by two processes, exactly one is cosigned, in every round', async () => {
  // Two forks of the same size and different roots (A, B), and a longer one that does not extend A (C).
  const pairs: (readonly [string, string])[] = [['A', 'B'], ['B', 'A'], ['A', 'C'], ['C', 'A']];
  const wins: Record<string, number> = {};
  for (let pair = 0; pair < pairs.length; pair++) await racePair(pair, pairs[pair]!, ROUNDS_PER_PAIR, wins);
  process.stderr.write(`witness-race: ${pairs.length * ROUNDS_PER_PAIR} rounds, wins ${JSON.stringify(wins)}\n`);
});

test('a cosign waits for the lock, and fails with WITNESS_STATE_LOCKED when it is held past the timeout; the state is unchanged', async () => {
  const state = join(dir, 'witness-held.json');
  copyFileSync(template, state);
  const holder = new ChildLines(spawnChild('witness-cosign.ts', ['hold', state]), 'the lock holder');
  try {
    await holder.line(/^locked$/);
    const before = readFileSync(state);
    const started = Date.now();
    let code: unknown;
    try {
      witnessCosign(state, witness, readFileSync(forks.get('A')!.request, 'utf8'), new Date(), { lockTimeoutMs: 300 });
    } catch (e) {
      code = (e as { code?: unknown }).code;
    }
    assert.is(code, 'WITNESS_STATE_LOCKED');
    assert.ok(Date.now() - started >= 250, 'it waited for the lock');
    assert.equal(readFileSync(state), before);
    // addWitnessLog takes the same lock.
    code = undefined;
    try {
      addWitnessLog(state, logKey, { lockTimeoutMs: 100 });
    } catch (e) {
      code = (e as { code?: unknown }).code;
    }
    assert.is(code, 'WITNESS_STATE_LOCKED');
    // The command line: exit 3, "could not run", after --lock-timeout seconds.
    const key = join(dir, 'witness.key');
    writeKeyFile(key, keyPairFromSeed(new Uint8Array(32).fill(WITNESS_SEED)), PASSPHRASE, LOW_COST);
    const r = await custody(['witness', 'cosign', forks.get('A')!.request, '--state', state, '--key', key, '--lock-timeout', '0.3', '--json'], { CUSTODY_PASSPHRASE: PASSPHRASE });
    assert.is(r.status, 3, r.stdout + r.stderr);
    assert.is((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'WITNESS_STATE_LOCKED');
    assert.equal(readFileSync(state), before);
  } finally {
    holder.child.kill('SIGKILL');
    await holder.exited;
  }
});

test('a lock whose holder was killed is free at once: no stale lock', async () => {
  const state = join(dir, 'witness-killed.json');
  copyFileSync(template, state);
  const holder = new ChildLines(spawnChild('witness-cosign.ts', ['hold', state]), 'the lock holder');
  await holder.line(/^locked$/);
  holder.child.kill('SIGKILL');
  await holder.exited;
  assert.ok(existsSync(`${state}.lock`), 'the lock file stays');
  const { size } = witnessCosign(state, witness, readFileSync(forks.get('B')!.request, 'utf8'), new Date(), { lockTimeoutMs: 0 });
  assert.is(size, forks.get('B')!.size);
  assert.is(Object.values(readWitnessState(state).logs)[0]!.root, forks.get('B')!.rootBase64);
});

test.run();
