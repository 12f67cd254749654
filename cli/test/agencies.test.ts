// Checkpoints, witnesses and bundles through the built binary: the Polri → FBI → Polri → court story
// across two real ledgers, an offline witness, and a forked history the witness refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, readKeyFile, writeKeyFile } from '@custody/ledger';
import { custody, LOW_COST, PASSPHRASE, tempDir } from './helpers.js';

function key(dir: string, name: string): string {
  const path = join(dir, `${name}.key`);
  writeKeyFile(path, generateKeyPair(), PASSPHRASE, LOW_COST);
  return path;
}

async function ok(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  const r = await custody(args, { CUSTODY_PASSPHRASE: PASSPHRASE, ...env }, cwd);
  assert.is(r.status, 0, `custody ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

test('Polri → FBI → Polri → court, with an offline witness, through the CLI', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const polriDb = join(dir, 'polri.db');
    const fbiDb = join(dir, 'fbi.db');
    const P = { CUSTODY_DB: polriDb };
    const F = { CUSTODY_DB: fbiDb };
    const keys = { polri: join(dir, 'polri-ledger.key'), fbi: join(dir, 'fbi-ledger.key'), budi: key(dir, 'budi'), doe: key(dir, 'doe'), witness: key(dir, 'witness') };
    const b64 = (path: string) => Buffer.from(readKeyFile(path, PASSPHRASE).publicKey).toString('base64');

    await ok(['init', '--origin', 'ledger.polri.go.id/2026', '--name', 'Dittipidsiber', '--agency', 'Polri', '--key-out', keys.polri], P, dir);
    await ok(['init', '--origin', 'ledger.fbi.gov/legat', '--name', 'Legat Jakarta', '--agency', 'FBI', '--key-out', keys.fbi], F, dir);
    await ok(['identity', 'enrol', 'budi', '--name', 'Budi', '--agency', 'Polri', '--role', 'officer', '--public-key', b64(keys.budi), '--key', keys.polri], P, dir);
    await ok(['identity', 'enrol', 'fbi.doe', '--name', 'J. Doe', '--agency', 'FBI', '--role', 'external', '--public-key', b64(keys.doe), '--key', keys.polri], P, dir);
    await ok(['identity', 'enrol', 'doe', '--name', 'J. Doe', '--agency', 'FBI', '--role', 'officer', '--public-key', b64(keys.doe), '--key', keys.fbi], F, dir);
    await ok(['identity', 'enrol', 'polri.budi', '--name', 'Budi', '--agency', 'Polri', '--role', 'external', '--public-key', b64(keys.budi), '--key', keys.fbi], F, dir);
    const polriVkey = await ok(['checkpoint', 'key'], P, dir);
    const fbiVkey = await ok(['checkpoint', 'key'], F, dir);

    await ok(['item', 'register', 'BB-1', '--kind', 'phone', '--description', 'Ponsel sitaan', '--digest', `sha256:${'ab'.repeat(32)}`, '--key', keys.budi], P, dir);
    await ok(['transfer', 'BB-1', '--to', 'fbi.doe', '--purpose', 'MLA', '--cosign-key', keys.doe, '--key', keys.budi], { ...P, CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE }, dir);

    // The witness (the prosecutor's office) cosigns Polri's checkpoint offline.
    const state = join(dir, 'kejari.json');
    const init = JSON.parse(await ok(['witness', 'init', '--name', 'witness.kejaksaan.go.id', '--key', keys.witness, '--state', state, '--json'], {}, dir));
    await ok(['witness', 'add-log', polriVkey, '--state', state], {}, dir);
    await ok(['checkpoint', '--key', keys.polri], P, dir);
    await ok(['checkpoint', 'for-witness', 'witness.kejaksaan.go.id', '--out', join(dir, 'req.txt')], P, dir);
    await ok(['witness', 'cosign', join(dir, 'req.txt'), '--key', keys.witness, '--state', state, '--out', join(dir, 'cosig.txt')], {}, dir);
    await ok(['checkpoint', 'add-cosignature', join(dir, 'cosig.txt'), '--witness-key', init.verifierKey], P, dir);
    const policy = join(dir, 'court.policy');
    writeFileSync(policy, `log ${polriVkey}\nlog ${fbiVkey}\nwitness kejari ${init.verifierKey}\nquorum none\n`);
    const witnessed = join(dir, 'witnessed.policy');
    writeFileSync(witnessed, `log ${polriVkey}\nwitness kejari ${init.verifierKey}\nquorum kejari\n`);
    writeFileSync(join(dir, 'cp.txt'), await ok(['checkpoint', 'show'], P, dir) + '\n');
    assert.match(await ok(['checkpoint', 'verify', join(dir, 'cp.txt'), '--policy', witnessed], {}, dir), /kejari: cosigned/);

    // Polri → FBI.
    await ok(['bundle', 'export', 'BB-1', '--out', join(dir, 'to-fbi.json')], P, dir);
    assert.match(await ok(['bundle', 'verify', join(dir, 'to-fbi.json'), '--policy', witnessed], {}, dir), /^INTACT/);
    const refused = await custody(['bundle', 'import', join(dir, 'to-fbi.json'), '--policy', policy, '--item', 'FBI-E1', '--key', keys.budi], { ...F, CUSTODY_PASSPHRASE: PASSPHRASE }, dir);
    assert.is(refused.status, 2, 'budi is not an officer of the FBI ledger');
    await ok(['bundle', 'import', join(dir, 'to-fbi.json'), '--policy', policy, '--item', 'FBI-E1', '--key', keys.doe], F, dir);
    await ok(['item', 'examine', 'FBI-E1', '--purpose', 'Analysis', '--authority', 'MLAT 2026-17', '--key', keys.doe], F, dir);
    await ok(['transfer', 'FBI-E1', '--to', 'polri.budi', '--purpose', 'Return', '--cosign-key', keys.budi, '--key', keys.doe], { ...F, CUSTODY_COSIGN_PASSPHRASE: PASSPHRASE }, dir);
    await ok(['checkpoint', '--key', keys.fbi], F, dir);
    await ok(['bundle', 'export', 'FBI-E1', '--out', join(dir, 'to-polri.json')], F, dir);

    // FBI → Polri, then the court.
    await ok(['bundle', 'import', join(dir, 'to-polri.json'), '--policy', policy, '--item', 'BB-1-R', '--key', keys.budi], P, dir);
    await ok(['item', 'note', 'BB-1-R', '--text', 'Diterima kembali dari FBI', '--key', keys.budi], P, dir);
    await ok(['checkpoint', '--key', keys.polri], P, dir);
    await ok(['bundle', 'export', 'BB-1-R', '--out', join(dir, 'court.json')], P, dir);
    const verdict = await ok(['bundle', 'verify', join(dir, 'court.json'), '--policy', policy, '--json'], {}, dir);
    const report = JSON.parse(verdict);
    assert.ok(report.ok);
    assert.is(report.upstream[0].origin, 'ledger.fbi.gov/legat');
    assert.is(report.upstream[0].upstream[0].origin, 'ledger.polri.go.id/2026');
    // Trusting only Polri, the court cannot check the FBI part: exit 1, not intact.
    const polriOnly = await custody(['bundle', 'verify', join(dir, 'court.json'), '--log-key', polriVkey], {}, dir);
    assert.is(polriOnly.status, 1);
    // A file that is not a bundle: exit 2.
    assert.is((await custody(['bundle', 'verify', policy, '--log-key', polriVkey], {}, dir)).status, 2);
    // Proofs at the latest checkpoint.
    assert.match(await ok(['prove', 'inclusion', '3'], P, dir), /^c2sp\.org\/tlog-proof@v1\nindex 3\n/);
    assert.match(await ok(['prove', 'consistency', '5'], P, dir), /^old 5\n/);
    assert.ok(await ok(['verify'], P, dir));
  } finally {
    cleanup();
  }
});

test.run();
