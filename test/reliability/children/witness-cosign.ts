// Child process of the witness race suite. Does everything slow first (loading the library, reading
// the request), prints "ready", then for each round spins until the round's barrier file exists, so
// that the two children of a pair enter the witness at the same moment, and prints one JSON line:
// {"round":I,"ok":true,"size":N} or {"round":I,"ok":false,"code":"…"}.
// Usage: witness-cosign.ts cosign SEED-BYTE REQUEST PREFIX ROUNDS
//          round I uses the state PREFIX-I.json and waits for the barrier PREFIX-I.go
//        witness-cosign.ts hold STATE — takes the state's lock, prints "locked", keeps it until killed
import { existsSync, readFileSync } from 'node:fs';
import { seedSigner } from '../../../packages/core/src/index.js';
import { nodeCrypto, witnessCosign } from '../../../packages/ledger/src/index.js';
import { withStateLock } from '../../../packages/ledger/src/state-lock.js';

const [mode, ...args] = process.argv.slice(2);
const out = (line: string): void => void process.stdout.write(`${line}\n`);

if (mode === 'hold') {
  withStateLock(args[0]!, 60_000, () => {
    out('locked');
    // Blocks this thread without a busy loop; the parent kills the process long before the end.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  });
} else if (mode === 'cosign') {
  const [seedByte, requestPath, prefix, rounds] = args;
  const signer = seedSigner(new Uint8Array(32).fill(Number(seedByte)), nodeCrypto);
  const request = readFileSync(requestPath!, 'utf8');
  out('ready');
  for (let round = 0; round < Number(rounds); round++) {
    // Spin: a sleep would let the two children wake milliseconds apart. Never for ever: a child
    // whose parent died (or forgot it) gives up after two minutes.
    const deadline = Date.now() + 120_000;
    while (!existsSync(`${prefix}-${round}.go`)) {
      if (Date.now() > deadline) throw new Error(`no barrier ${prefix}-${round}.go after two minutes`);
    }
    try {
      const { size } = witnessCosign(`${prefix}-${round}.json`, signer, request, new Date(), { lockTimeoutMs: 60_000 });
      out(JSON.stringify({ round, ok: true, size }));
    } catch (e) {
      out(JSON.stringify({ round, ok: false, code: (e as { code?: unknown }).code ?? String(e) }));
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
