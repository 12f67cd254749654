/**
 * An exclusive lock, across processes, around the read–check–write of a small state file (the
 * witness state of witness.ts). Without it two `custody witness cosign` runs at the same moment, each
 * for another fork of one log, both read the old state, both find their checkpoint consistent with
 * it, and both cosign: the witness would sign a split view, the one thing it exists to refuse.
 *
 * Node has no flock(2). The lock is a SQLite database beside the state file, `<state>.lock`, empty
 * and never written, on which we hold `BEGIN EXCLUSIVE` for the duration. We chose this over an
 * O_EXCL lock file because:
 * - SQLite's locks are POSIX advisory locks (fcntl), which the kernel releases when the process
 *   exits or is killed. A cosign that crashes, or is killed by a power cut in a shell script, leaves
 *   no stale lock; an O_EXCL file would stay and need a guess (a pid, an age) about whether its owner
 *   is alive — a guess that is wrong exactly when a slow holder is still writing.
 * - SQLite's busy handler waits and retries with back-off up to a timeout, in C, without a polling
 *   loop of ours; and its unix VFS keeps two connections of one process from both holding the lock,
 *   which bare fcntl locks (owned per process) would not.
 * - better-sqlite3 is already this package's dependency.
 * The lock file stays after use and must not be deleted while the state is in use: a process that
 * opened the old file would hold a lock nobody else sees. Like every fcntl lock, it is only as good
 * as the file system's locking (local disks are fine; some network file systems are not).
 */
import Database from 'better-sqlite3';
import { CustodyError } from '@custody/core';

/** How long a witness waits for another process's cosign or add-log on the same state: 30 s. */
export const STATE_LOCK_TIMEOUT_MS = 30_000;

/**
 * withStateLock runs `fn` while this process holds the exclusive lock of the state file at `path`
 * (the SQLite database `<path>.lock`, created if missing), and returns what `fn` returns. `fn` must
 * be synchronous and read the state itself: only what it reads inside the lock is current.
 * Throws WITNESS_STATE_LOCKED when another process holds the lock for longer than `timeoutMs`, and
 * IO_ERROR when the lock file cannot be opened or is not a SQLite database.
 */
export function withStateLock<T>(path: string, timeoutMs: number, fn: () => T): T {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 2 ** 31 - 1) {
    throw new RangeError('withStateLock: timeoutMs must be an integer number of milliseconds');
  }
  const lockPath = `${path}.lock`;
  let db: Database.Database;
  try {
    db = new Database(lockPath, { timeout: timeoutMs });
  } catch (e) {
    throw new CustodyError('IO_ERROR', `The lock file ${lockPath} cannot be opened (check the directory and its permissions).`, { path: lockPath }, { cause: e });
  }
  try {
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')) {
        throw new CustodyError('WITNESS_STATE_LOCKED', `${path} is in use by another process (waited ${timeoutMs} ms); try again when it is done.`, {
          path,
          timeoutMs,
        }, { cause: e });
      }
      throw new CustodyError('IO_ERROR', `The lock file ${lockPath} cannot be locked: ${e instanceof Error ? e.message : String(e)}.`, { path: lockPath }, { cause: e });
    }
    try {
      return fn();
    } finally {
      db.exec('ROLLBACK'); // nothing was written: this only releases the lock
    }
  } finally {
    db.close();
  }
}
