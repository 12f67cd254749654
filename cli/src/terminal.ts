/**
 * The terminal: passphrase prompts that do not echo, and progress bars on stderr (only when stderr
 * is a terminal, so logs and pipes never receive them).
 */
import type { ReadStream } from 'node:tty';

/** promptHidden asks on stderr and reads one line from the terminal without echoing it. */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const tty = input as ReadStream;
    output.write(question);
    const wasRaw = tty.isRaw;
    tty.setRawMode?.(true);
    tty.resume();
    let value = '';
    const done = (result: string | Error): void => {
      tty.off('data', onData);
      tty.setRawMode?.(wasRaw);
      tty.pause();
      output.write('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    tty.on('data', onData);
  });
}

/** A progress bar on stderr that redraws at most ten times a second; a no-op off a terminal. */
export class Progress {
  readonly #out: NodeJS.WriteStream | undefined;
  readonly #label: string;
  readonly #bytes: boolean;
  #last = 0;
  #drawn = false;

  constructor(out: NodeJS.WriteStream, enabled: boolean, label: string, bytes: boolean) {
    this.#out = enabled && out.isTTY ? out : undefined;
    this.#label = label;
    this.#bytes = bytes;
  }

  update(done: number, total: number): void {
    if (this.#out === undefined) return;
    const now = Date.now();
    if (now - this.#last < 100 && done < total) return;
    this.#last = now;
    const width = 30;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    const amount = this.#bytes ? `${formatBytes(done)} / ${formatBytes(total)}` : `${done} / ${total}`;
    this.#out.write(`\r${this.#label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${amount}\u001b[K`);
    this.#drawn = true;
  }

  finish(): void {
    if (this.#out !== undefined && this.#drawn) this.#out.write('\r\u001b[K');
    this.#drawn = false;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`;
}
