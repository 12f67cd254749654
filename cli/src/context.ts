/**
 * What every command shares: where the ledger is, whose key signs, the passphrase, the language,
 * and where output goes. The actor is the identity whose current enrolled key is the key in --key.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  checkTime,
  CustodyError,
  formatTime,
  isCustodyError,
  isKnownZone,
  LEDGER_ACTOR,
  type IdentityState,
  type RecordInput,
} from '@custody/core';
import { formatFingerprint, Ledger, readKeyFile, type KeyPair } from '@custody/ledger';
import { UsageError } from './errors.js';
import { t, type Lang, type MessageKey } from './i18n.js';
import { Progress, promptHidden } from './terminal.js';
import { printLine } from './safe-text.js';

/** The process's streams and environment (tests give a real process; nothing is mocked). */
export interface Io {
  readonly env: NodeJS.ProcessEnv;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Options every command accepts. */
export interface GlobalArgs {
  readonly db?: string | undefined;
  readonly key?: string | undefined;
  readonly json?: boolean | undefined;
  readonly lang?: string | undefined;
  readonly lockTimeout?: number | undefined;
}

/** Options of every command that appends a record. */
export interface RecordArgs extends GlobalArgs {
  readonly time?: string | undefined;
  readonly zone?: string | undefined;
}

/** What a command answers: its exit status, its JSON document and its text for stdout. */
export interface Result {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/** The environment variable that holds the passphrase of each kind of key file. */
export const PASSPHRASE_ENV = { key: 'CUSTODY_PASSPHRASE', cosign: 'CUSTODY_COSIGN_PASSPHRASE' } as const;

export class Context {
  readonly io: Io;
  readonly lang: Lang;
  readonly json: boolean;

  constructor(io: Io, lang: Lang, json: boolean) {
    this.io = io;
    this.lang = lang;
    this.json = json;
  }

  t(key: MessageKey, vars?: Record<string, string | number>): string {
    return t(this.lang, key, vars);
  }

  /** note writes a message for people on stderr (never stdout), control and bidi characters made visible. */
  note(text: string): void {
    printLine(this.io.stderr, text);
  }

  progress(labelKey: MessageKey, bytes: boolean): Progress {
    return new Progress(this.io.stderr, true, this.t(labelKey), bytes);
  }

  dbPath(args: GlobalArgs): string {
    return args.db ?? this.io.env['CUSTODY_DB'] ?? 'custody.db';
  }

  /** openLedger opens the ledger of --db; queries open it read-only. */
  openLedger(args: GlobalArgs, readonly: boolean): Ledger {
    const busyTimeoutMs = Math.round((args.lockTimeout ?? 10) * 1000);
    const ledger = Ledger.open(this.dbPath(args), { readonly, busyTimeoutMs });
    // A copy on read-only media (no -shm file beside it, none can be made): say how it was read.
    if (ledger.access !== 'direct' && !this.#saidAccess) {
      this.#saidAccess = true;
      this.note(this.t(ledger.access === 'immutable' ? 'note.readOnlyImmutable' : 'note.readOnlyCopy', { path: ledger.path }));
    }
    return ledger;
  }

  #saidAccess = false;

  keyPath(args: GlobalArgs): string {
    const path = args.key ?? this.io.env['CUSTODY_KEY'];
    if (path === undefined || path === '') throw new UsageError('err.noKey');
    return path;
  }

  /**
   * passphrase returns the passphrase for the key file at `path`: from the environment variable, or
   * asked on the terminal (twice when `confirm`, for a new key). Never from a flag.
   */
  async passphrase(path: string, env: string, confirm = false): Promise<string> {
    const fromEnv = this.io.env[env];
    if (fromEnv !== undefined) {
      if (confirm && fromEnv === '') throw new UsageError('err.emptyPassphrase');
      return fromEnv;
    }
    if (!this.io.stdin.isTTY || !this.io.stderr.isTTY) throw new UsageError('err.noPassphrase', { path, env });
    const question = this.lang === 'id' ? `Frasa sandi untuk ${path}: ` : `Passphrase for ${path}: `;
    const first = await promptHidden(question, this.io.stdin, this.io.stderr);
    if (confirm) {
      const again = await promptHidden(this.lang === 'id' ? 'Ulangi frasa sandi: ' : 'Repeat the passphrase: ', this.io.stdin, this.io.stderr);
      if (again !== first) throw new UsageError('err.passphraseMismatch');
      if (first === '') throw new UsageError('err.emptyPassphrase');
    }
    return first;
  }

  /** loadKey reads and decrypts a key file (FILE_NOT_FOUND before asking for its passphrase). */
  async loadKey(path: string, env: string): Promise<KeyPair> {
    if (!existsSync(path)) throw new CustodyError('FILE_NOT_FOUND', `There is no key file ${path}.`, { path });
    return readKeyFile(path, await this.passphrase(path, env));
  }

  /** signerOf returns the identity whose current key is the one in the key file at `path`. */
  async signerOf(ledger: Ledger, path: string, env: string, key: MessageKey = 'err.keyNotEnrolled'): Promise<{ identity: IdentityState; keyPair: KeyPair }> {
    const keyPair = await this.loadKey(path, env);
    const identity = ledger.identityByKey(keyPair.publicKey);
    if (identity === undefined) {
      throw new CustodyError('IDENTITY_UNKNOWN', t('en', key, { path, fingerprint: formatFingerprint(keyPair.fingerprint) }), {
        path,
        fingerprint: keyPair.fingerprint,
      });
    }
    return { identity, keyPair };
  }

  /** actor opens the ledger for writing and finds who signs with --key. */
  async actor(args: GlobalArgs): Promise<{ ledger: Ledger; actor: string; keyPair: KeyPair }> {
    const keyPath = this.keyPath(args);
    const ledger = this.openLedger(args, false);
    try {
      const { identity, keyPair } = await this.signerOf(ledger, keyPath, PASSPHRASE_ENV.key);
      return { ledger, actor: identity.id, keyPair };
    } catch (e) {
      ledger.close();
      throw e;
    }
  }

  /**
   * when returns the time, zone and late-entry fields of a record from --time, --zone and
   * --late-reason (zone: $CUSTODY_ZONE or this machine's). --late-reason marks a late entry recorded
   * now (docs/PROTOCOL.md §4.5) and needs --time. The times themselves are checked by the append
   * (core's prepareRecord: TIME_IN_FUTURE, TIME_BEFORE_GENESIS).
   */
  when(args: RecordArgs & { readonly lateReason?: string | undefined }): Pick<RecordInput, 'time' | 'zone' | 'late'> {
    if (args.time !== undefined) {
      try {
        checkTime(args.time);
      } catch (e) {
        if (isCustodyError(e)) throw new UsageError('err.badTime', { time: args.time });
        throw e;
      }
    }
    const zone = args.zone ?? this.io.env['CUSTODY_ZONE'] ?? systemZone();
    if (!isKnownZone(zone) || !/^(UTC|[A-Za-z][A-Za-z_+-]*(\/[A-Za-z0-9][A-Za-z0-9_+-]*){1,2})$/.test(zone)) {
      throw new UsageError('err.badZone', { zone });
    }
    if (args.lateReason !== undefined && args.time === undefined) throw new UsageError('err.lateNeedsTime');
    // `recorded` is fixed here, once: a handover's cosigner signs the statement before the record is
    // made, and both must carry the same marker.
    const late = args.lateReason === undefined ? undefined : { reason: args.lateReason, recorded: formatTime(new Date()) };
    return { ...(args.time === undefined ? {} : { time: args.time }), zone, ...(late === undefined ? {} : { late }) };
  }
}

function systemZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === undefined || zone === '' || zone === 'Etc/UTC' || zone === 'Etc/GMT' ? 'UTC' : zone;
}

/** defaultKeyOut is where `init` writes the ledger key: beside the database, named after it. */
export function defaultKeyOut(dbPath: string): string {
  const abs = resolve(dbPath);
  return `${abs.replace(/\.(db|sqlite3?)$/i, '')}.ledger-key.pem`;
}

export { LEDGER_ACTOR };
