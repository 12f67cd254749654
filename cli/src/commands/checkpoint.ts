/**
 * checkpoint: the ledger key signs the tree head (C2SP signed note, DESIGN §8). Handing the note to
 * someone outside the agency — a witness, the prosecutor, a partner — is what later shows that no
 * record was removed from the end: `custody verify --checkpoint FILE` checks the ledger against it.
 */
import { writeFileSync } from 'node:fs';
import { CustodyError, openCheckpoint, toHex, type ExpectedRoot } from '@custody/core';
import { ledgerVerifierKey, signLedgerCheckpoint, type Ledger } from '@custody/ledger';
import { readFileSync } from 'node:fs';
import { PASSPHRASE_ENV, type Context, type GlobalArgs, type Result } from '../context.js';
import { many } from './common.js';

export async function checkpoint(ctx: Context, args: GlobalArgs & { out?: string }): Promise<Result> {
  const keyPath = ctx.keyPath(args);
  const ledger = ctx.openLedger(args, false);
  try {
    const keyPair = await ctx.loadKey(keyPath, PASSPHRASE_ENV.key);
    const stored = signLedgerCheckpoint(ledger, keyPair.signer);
    if (args.out !== undefined) {
      try {
        writeFileSync(args.out, stored.note, { flag: 'wx', mode: 0o644 });
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${args.out}`, { path: args.out });
        throw new CustodyError('IO_ERROR', `Could not write ${args.out}.`, { path: args.out }, { cause: e });
      }
    }
    const json = { size: stored.size, rootHash: toHex(stored.rootHash), signedAt: stored.signedAt, note: stored.note, verifierKey: ledgerVerifierKey(ledger) };
    return { status: 0, json, text: args.out === undefined ? stored.note.replace(/\n$/, '') : '' };
  } finally {
    ledger.close();
  }
}

/**
 * expectedRoots opens each --checkpoint file with --verifier-key (the key pinned when the ledger was
 * set up), or else with the ledger's own key — which proves less: whoever holds the file and the
 * ledger key could have rebuilt both. Each becomes a root the ledger must still reproduce.
 */
export function expectedRoots(ctx: Context, ledger: Ledger, args: { checkpoint?: string | string[]; verifierKey?: string }): ExpectedRoot[] {
  const files = many(args.checkpoint);
  if (files.length === 0) return [];
  if (args.verifierKey === undefined) {
    ctx.note(ctx.lang === 'id'
      ? 'Peringatan: tanpa --verifier-key, checkpoint dibuka dengan kunci yang tercatat di buku register ini sendiri.'
      : 'Warning: without --verifier-key, checkpoints are opened with the key this ledger names itself.');
  }
  const key = args.verifierKey ?? ledgerVerifierKey(ledger);
  return files.map((path) => {
    let note: Uint8Array;
    try {
      note = readFileSync(path);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no checkpoint file ${path}.`, { path });
      throw new CustodyError('FILE_UNREADABLE', `Cannot read ${path}.`, { path });
    }
    const opened = openCheckpoint(note, key);
    if (opened.checkpoint.origin !== ledger.origin) {
      throw new CustodyError('CHECKPOINT_MISMATCH', `${path} is a checkpoint of ${opened.checkpoint.origin}, not of ${ledger.origin}.`, { path });
    }
    return { size: opened.checkpoint.size, rootHash: opened.checkpoint.rootHash, source: path };
  });
}
