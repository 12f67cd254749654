// Child process of the crash and concurrency suites. Works on one ledger file until it is done or
// killed, and prints one line on stdout after each acknowledged step (Linux pipes are written
// synchronously, so the parent knows exactly what was acknowledged before a SIGKILL):
//   "ack ITEM"   an append (or import) returned
//   "cp SIZE"    a checkpoint of SIZE records was signed and stored
//   "read SIZE"  a read saw SIZE records
// Usage: worker.ts PATH MODE PREFIX COUNT [BUNDLE VERIFIER-KEY]
//   MODE: single | batch | checkpoint | import | reader
import { readFileSync } from 'node:fs';
import { importBundle, Ledger, signLedgerCheckpoint } from '../../../packages/ledger/src/index.js';
import { DIGESTS, people } from '../../../packages/ledger/test/helpers.js';

const [path, mode, prefix, countText, bundlePath, verifierKey] = process.argv.slice(2);
const count = Number(countText);
const ledger = Ledger.open(path!, { busyTimeoutMs: 60_000, readonly: mode === 'reader' });
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const register = (i: number) => ({
  input: { type: 'item.register' as const, item: `${prefix}-${i}`, actor: 'budi', data: { kind: 'phone', description: `Ponsel ${i}`, digests: DIGESTS } },
  signer: people.budi,
});
const bundle = bundlePath === undefined ? undefined : new Uint8Array(readFileSync(bundlePath));

for (let i = 0; i < count; ) {
  switch (mode) {
    case 'single': {
      const { input, signer } = register(i++);
      ledger.append(input, signer);
      out(`ack ${input.item}`);
      break;
    }
    case 'batch': {
      const batch = Array.from({ length: Math.min(25, count - i) }, (_, j) => register(i + j));
      ledger.appendBatch(batch);
      out(batch.map((b) => `ack ${b.input.item}`).join('\n'));
      i += batch.length;
      break;
    }
    case 'checkpoint': {
      // Appends, each followed by a checkpoint.
      const { input, signer } = register(i++);
      ledger.append(input, signer);
      out(`ack ${input.item}`);
      out(`cp ${signLedgerCheckpoint(ledger, people.ledger).size}`);
      break;
    }
    case 'import': {
      const item = `${prefix}-${i++}`;
      importBundle(ledger, bundle!, { logKeys: [verifierKey!] }, { actor: 'budi', signer: people.budi, item });
      out(`ack ${item}`);
      break;
    }
    case 'reader': {
      const size = ledger.size();
      if (size > 0) ledger.record(size - 1);
      ledger.items();
      out(`read ${size}`);
      i++;
      break;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}
ledger.close();
