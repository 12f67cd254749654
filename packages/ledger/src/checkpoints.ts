/**
 * Checkpoints of a ledger file (DESIGN §7–§8): the ledger key signs the tree head as a C2SP signed
 * note, the file keeps every checkpoint it signed and refuses to sign one that is smaller than, or
 * inconsistent with, any before it; witnesses' cosignatures are attached once they verify; and
 * inclusion and consistency proofs come from the stored hashes.
 */
import {
  addCosignatures,
  checkCosignature,
  checkConsistency,
  createVerifierKey,
  CustodyError,
  equalBytes,
  formatVerifierKey,
  openCheckpoint,
  parseBase64,
  parseVerifierKey,
  proveConsistency,
  proveInclusion,
  signCheckpoint,
  SIGNATURE_TYPE_ED25519,
  splitNote,
  toBase64,
  type Checkpoint,
  type Signer,
  type VerifierKey,
} from '@custody/core';
import { storeOf, type Ledger } from './ledger.js';
import type { CheckpointRow } from './store/store.js';

/** A checkpoint the ledger signed, with the witness cosignatures attached to it. */
export interface StoredCheckpoint {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The signed note with every attached cosignature line. */
  readonly note: string;
  readonly signedAt: string;
  /** Verifier keys of the witnesses whose cosignatures are attached. */
  readonly witnesses: readonly string[];
}

/** ledgerPublicKey returns the ledger key named by the genesis record. */
export function ledgerPublicKey(ledger: Ledger): Uint8Array {
  return parseBase64(ledger.record(0).record.data['key'] as string, 32);
}

/**
 * ledgerVerifierKey returns the verifier key partners pin: `origin+hex(keyid)+base64(0x01‖pub)`
 * (C2SP signed-note, DESIGN §8).
 */
export function ledgerVerifierKey(ledger: Ledger): string {
  return formatVerifierKey(ledgerKey(ledger));
}

/**
 * The ledger's verifier key as a parsed key, made once per open ledger: checking a key (canonical,
 * prime-order) costs milliseconds of point arithmetic, and checkpoints are signed and opened often.
 */
const ledgerKeys = new WeakMap<Ledger, VerifierKey>();
function ledgerKey(ledger: Ledger): VerifierKey {
  let key = ledgerKeys.get(ledger);
  if (key === undefined) {
    key = createVerifierKey(ledger.origin, SIGNATURE_TYPE_ED25519, ledgerPublicKey(ledger), ledger.crypto);
    ledgerKeys.set(ledger, key);
  }
  return key;
}

/**
 * signLedgerCheckpoint signs a checkpoint of the whole tree with the ledger key and stores it. If the
 * latest checkpoint already covers the current size, it is returned unchanged. Refuses
 * (CHECKPOINT_INCONSISTENT) when the stored tree no longer has the root an earlier checkpoint
 * signed, and KEY_NOT_VALID when `signer` is not the ledger key.
 */
export function signLedgerCheckpoint(ledger: Ledger, signer: Signer, now: Date = new Date()): StoredCheckpoint {
  if (!equalBytes(signer.publicKey, ledgerKey(ledger).publicKey)) {
    throw new CustodyError('KEY_NOT_VALID', 'Only the ledger key signs checkpoints; this key is not the one in the genesis record.');
  }
  return storeOf(ledger).transaction((): StoredCheckpoint => {
    const size = ledger.size();
    const rootHash = ledger.rootHash(size);
    const latest = latestCheckpoint(ledger);
    if (latest !== undefined) {
      if (latest.size > size) {
        throw new CustodyError('CHECKPOINT_OLDER', `A checkpoint of ${latest.size} records exists, but the ledger holds ${size}: records are missing.`, {
          size,
          checkpointSize: latest.size,
        });
      }
      // The latest checkpoint's root commits to every record before it, and so to every earlier
      // checkpoint: if the tree still has that root, it extends all of them. (verifyLedger checks
      // every stored checkpoint and every stored hash.)
      if (!equalBytes(ledger.rootHash(latest.size), latest.rootHash)) {
        throw new CustodyError(
          'CHECKPOINT_INCONSISTENT',
          `The ledger no longer has the root it signed at ${latest.size} records: its history was rewritten. No checkpoint signed.`,
          { size: latest.size },
        );
      }
      if (latest.size === size) return latest;
    }
    const note = signCheckpoint({ origin: ledger.origin, size, rootHash }, signer, ledger.crypto);
    storeOf(ledger).insertCheckpoint(size, note, now.toISOString());
    return { size, rootHash, note, signedAt: now.toISOString(), witnesses: [] };
  });
}

/** listCheckpoints returns every stored checkpoint, smallest first, each opened with the ledger key. */
export function listCheckpoints(ledger: Ledger): StoredCheckpoint[] {
  return storeOf(ledger)
    .checkpoints()
    .map((row) => storedCheckpoint(ledger, row));
}

/** getCheckpoint returns the stored checkpoint of `size` (CHECKPOINT_MISMATCH if there is none). */
export function getCheckpoint(ledger: Ledger, size: number): StoredCheckpoint {
  const row = storeOf(ledger).checkpoint(size);
  if (row === undefined) throw new CustodyError('CHECKPOINT_MISMATCH', `The ledger has no checkpoint of ${size} records.`, { size });
  return storedCheckpoint(ledger, row);
}

/** latestCheckpoint returns the largest stored checkpoint, if any. */
export function latestCheckpoint(ledger: Ledger): StoredCheckpoint | undefined {
  const row = storeOf(ledger).latestCheckpoint();
  return row === undefined ? undefined : storedCheckpoint(ledger, row);
}

/**
 * addCheckpointCosignatures attaches witness cosignature lines to the stored checkpoint of `size`.
 * Each line must verify under one of `witnessKeys` (cosignature/v1 verifier keys); a line by a
 * witness already attached is skipped. Returns the checkpoint with its note and witnesses.
 */
export function addCheckpointCosignatures(
  ledger: Ledger,
  size: number,
  lines: readonly string[],
  witnessKeys: readonly string[],
  now: Date = new Date(),
): StoredCheckpoint {
  const checkpoint = getCheckpoint(ledger, size);
  const text = splitNote(checkpoint.note).text;
  const accepted: Array<{ key: string; line: string }> = [];
  for (const line of lines) {
    let matched: string | undefined;
    let lastError: unknown;
    for (const key of witnessKeys) {
      try {
        checkCosignature(text, line, key, ledger.crypto);
        matched = formatVerifierKey(parseVerifierKey(key, ledger.crypto));
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (matched === undefined) {
      throw lastError instanceof CustodyError
        ? lastError
        : new CustodyError('COSIGNATURE_INVALID', 'The cosignature is by none of the witness keys given.');
    }
    accepted.push({ key: matched, line });
  }
  const store = storeOf(ledger);
  store.transaction(() => {
    for (const { key, line } of accepted) store.insertCosignature(size, key, line, now.toISOString());
  });
  return getCheckpoint(ledger, size);
}

/** An inclusion proof of one record at a tree size. */
export interface InclusionProof {
  readonly seq: number;
  readonly size: number;
  readonly leafHash: Uint8Array;
  readonly rootHash: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** proveRecordInclusion proves record `seq` is in the tree of `size` records (default: all). */
export function proveRecordInclusion(ledger: Ledger, seq: number, size: number = ledger.size()): InclusionProof {
  checkSizes(ledger, seq + 1, size);
  const [leafHash] = ledger.readHashes([{ level: 0, index: seq }]);
  return {
    seq,
    size,
    leafHash: leafHash!,
    rootHash: ledger.rootHash(size),
    proof: proveInclusion(seq, size, ledger, ledger.crypto),
  };
}

/** A consistency proof between two tree sizes. */
export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly oldRoot: Uint8Array;
  readonly newRoot: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

/** proveTreeConsistency proves the tree of `newSize` records extends the tree of `oldSize`. */
export function proveTreeConsistency(ledger: Ledger, oldSize: number, newSize: number = ledger.size()): ConsistencyProof {
  checkSizes(ledger, oldSize, newSize);
  return {
    oldSize,
    newSize,
    oldRoot: ledger.rootHash(oldSize),
    newRoot: ledger.rootHash(newSize),
    proof: proveConsistency(oldSize, newSize, ledger, ledger.crypto),
  };
}

/**
 * witnessRequest returns what a witness needs to cosign the latest checkpoint: a C2SP tlog-witness
 * add-checkpoint body — `old N`, the consistency proof from size N (the size the witness last
 * cosigned, 0 for a new witness) as base64 lines, an empty line, then the signed checkpoint.
 */
export function witnessRequest(ledger: Ledger, oldSize: number): string {
  const latest = latestCheckpoint(ledger);
  if (latest === undefined) throw new CustodyError('CHECKPOINT_MISMATCH', 'The ledger has signed no checkpoint yet.');
  if (oldSize > latest.size) {
    throw new CustodyError('CHECKPOINT_OLDER', `The witness has seen ${oldSize} records, more than the latest checkpoint's ${latest.size}.`, {
      oldSize,
      size: latest.size,
    });
  }
  const proof = oldSize === 0 ? [] : proveConsistency(oldSize, latest.size, ledger, ledger.crypto);
  return `old ${oldSize}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${latest.note}`;
}

/**
 * witnessLastSize returns the largest checkpoint size the witness cosigned here (0 if none), the
 * witness given by its verifier key or, for one whose cosignatures are attached, by its name.
 */
export function witnessLastSize(ledger: Ledger, witness: string): number {
  const key = witness.includes('+') ? formatVerifierKey(parseVerifierKey(witness, ledger.crypto)) : witnessKeyByName(ledger, witness);
  if (key === undefined) return 0;
  return storeOf(ledger)
    .cosignatures()
    .reduce((largest, c) => (c.witnessKey === key && c.size > largest ? c.size : largest), 0);
}

/**
 * checkCheckpointConsistency checks that `later` extends `earlier` with a consistency proof (both
 * already opened and from the same origin). Throws CHECKPOINT_OLDER or CHECKPOINT_INCONSISTENT.
 */
export function checkCheckpointConsistency(earlier: Checkpoint, later: Checkpoint, proof: readonly Uint8Array[], ledgerCrypto?: Ledger['crypto']): void {
  if (later.size < earlier.size) {
    throw new CustodyError('CHECKPOINT_OLDER', `The checkpoint covers ${later.size} records, fewer than the ${earlier.size} seen before.`, {
      size: later.size,
      seen: earlier.size,
    });
  }
  try {
    checkConsistency(proof, earlier.size, later.size, earlier.rootHash, later.rootHash, ledgerCrypto);
  } catch (e) {
    throw new CustodyError('CHECKPOINT_INCONSISTENT', `The checkpoint of ${later.size} records does not extend the one of ${earlier.size} seen before.`, {
      size: later.size,
      seen: earlier.size,
    }, { cause: e });
  }
}

function witnessKeyByName(ledger: Ledger, name: string): string | undefined {
  const keys = new Set(storeOf(ledger).cosignatures().map((c) => c.witnessKey));
  return [...keys].find((k) => parseVerifierKey(k, ledger.crypto).name === name);
}

function storedCheckpoint(ledger: Ledger, row: CheckpointRow): StoredCheckpoint {
  const opened = openCheckpoint(row.note, ledgerKey(ledger), ledger.crypto);
  const cosigs = storeOf(ledger).cosignatures(row.size);
  return {
    size: row.size,
    rootHash: opened.checkpoint.rootHash,
    note: cosigs.length === 0 ? row.note : addCosignatures(row.note, cosigs.map((c) => c.line)),
    signedAt: row.signedAt,
    witnesses: cosigs.map((c) => c.witnessKey),
  };
}

function checkSizes(ledger: Ledger, need: number, size: number): void {
  const current = ledger.size();
  if (!Number.isSafeInteger(need) || !Number.isSafeInteger(size) || need < 0 || size < need || size > current) {
    throw new CustodyError('RECORD_UNKNOWN', `The ledger holds ${current} records; no proof for ${need} of ${size}.`, { need, size, current });
  }
}
