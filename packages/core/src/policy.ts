/**
 * Trust policies (C2SP tlog-policy, DESIGN §8): which log keys may sign a checkpoint and which quorum
 * of witnesses must cosign it, in the spec's line format:
 *
 *     log <vkey> [<url>]
 *     witness <name> <vkey> [<url>]
 *     group <name> <k|all|any> <member>...
 *     quorum <name|none>
 *
 * Log keys are Ed25519 note keys (type 0x01); witness keys are cosignature/v1 keys (type 0x04).
 */
import { nobleCrypto, type Crypto } from './crypto.js';
import { toHex, utf8 } from './codec.js';
import { CustodyError } from './errors.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { cosignatureTimestamp, cosignatureVerifier } from './cosignature.js';
import {
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  hex8,
  parseVerifierKey,
  type VerifierKey,
} from './note.js';

/** MAX_POLICY_LENGTH caps the length of a policy file (UTF-16 code units). */
export const MAX_POLICY_LENGTH = 1 << 16;

export interface PolicyLog {
  readonly key: VerifierKey;
  readonly url: string | null;
}
export interface PolicyWitness {
  readonly name: string;
  readonly key: VerifierKey;
  readonly url: string | null;
}
export interface PolicyGroup {
  readonly name: string;
  /** How many members must be satisfied, 1 ≤ threshold ≤ members.length. */
  readonly threshold: number;
  /** Names of witnesses and groups defined before this group, each at most once. */
  readonly members: readonly string[];
}
export interface Policy {
  readonly logs: readonly PolicyLog[];
  readonly witnesses: readonly PolicyWitness[];
  readonly groups: readonly PolicyGroup[];
  /** The witness or group that must be satisfied; null for `quorum none`. */
  readonly quorum: string | null;
}

/** What auditPolicy found for one witness of the policy. */
export interface WitnessAudit {
  readonly name: string;
  /** cosigned: a valid cosignature; missing: none by this key; invalid: one that does not verify. */
  readonly status: 'cosigned' | 'missing' | 'invalid';
  /** The cosignature's timestamp (POSIX seconds) when cosigned. */
  readonly timestamp: number | null;
}
/** What auditPolicy found for one group of the policy. */
export interface GroupAudit {
  readonly name: string;
  readonly threshold: number;
  /** How many members were satisfied. */
  readonly satisfied: number;
  readonly met: boolean;
}
/** auditPolicy's report. `failure` is what checkPolicy throws; ok exactly when it is null. */
export interface PolicyAudit {
  readonly ok: boolean;
  readonly failure: CustodyError | null;
  /** The checkpoint, once a policy log key has verified it; else null and nothing else was checked. */
  readonly checkpoint: Checkpoint | null;
  readonly text: string | null;
  readonly logKey: VerifierKey | null;
  readonly witnesses: readonly WitnessAudit[];
  readonly groups: readonly GroupAudit[];
  readonly quorumMet: boolean;
}
/** What checkPolicy returns: the trusted checkpoint and who vouched for it. */
export interface PolicyResult {
  readonly checkpoint: Checkpoint;
  readonly text: string;
  readonly logKey: VerifierKey;
  /** The witnesses whose cosignatures verified, in policy order. */
  readonly witnesses: readonly { readonly name: string; readonly timestamp: number }[];
}

/**
 * parsePolicy reads a policy file. Lines are split on spaces and tabs; blank lines and lines whose
 * first non-blank character is `#` are ignored. Throws POLICY_MALFORMED, with the 1-based `line`
 * in its details, for: a character the spec does not allow (controls other than tab and newline),
 * an unknown keyword, a wrong number of fields, a bad verifier key or one of the wrong type, a
 * duplicate log or witness key, a name defined twice or named `none`, a group member not defined on
 * an earlier line (so no cycles) or already listed in a group, a threshold not in 1..n, and a
 * missing or second quorum line (`line` is null for what concerns the whole file).
 */
export function parsePolicy(text: string, crypto: Crypto = nobleCrypto): Policy {
  if (typeof text !== 'string') throw new TypeError('parsePolicy: text must be a string');
  if (text.length > MAX_POLICY_LENGTH) throw malformed(`A policy is at most ${MAX_POLICY_LENGTH} characters.`, null);
  const logs: PolicyLog[] = [];
  const witnesses: PolicyWitness[] = [];
  const groups: PolicyGroup[] = [];
  const defined = new Set<string>();
  const listed = new Set<string>(); // names already listed as a group member
  const publicKeys = new Set<string>();
  let quorum: string | null | undefined;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    const fail = (message: string, cause?: unknown): CustodyError => malformed(message, lineNumber, cause);
    const line = lines[i]!;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(line)) throw fail('Only tab and newline are allowed among control characters.');
    const fields = line.split(/[ \t]+/).filter((f) => f !== '');
    if (fields.length === 0 || fields[0]!.startsWith('#')) continue;
    const [keyword, ...args] = fields as [string, ...string[]];

    const readKey = (vkey: string, type: number, role: string): VerifierKey => {
      let key: VerifierKey;
      try {
        key = parseVerifierKey(vkey, crypto);
      } catch (cause) {
        throw fail(`The ${role} key is not a valid verifier key.`, cause);
      }
      if (key.type !== type) throw fail(`A ${role} key must have signature type 0x0${type}.`);
      const id = `${role} ${toHex(key.publicKey)}`;
      if (publicKeys.has(id)) throw fail(`The same ${role} public key is listed twice.`);
      publicKeys.add(id);
      return key;
    };
    const defineName = (name: string): void => {
      if (name === 'none') throw fail('The name "none" is reserved.');
      if (defined.has(name)) throw fail(`The name ${JSON.stringify(name)} is defined twice.`);
      defined.add(name);
    };

    switch (keyword) {
      case 'log': {
        if (args.length < 1 || args.length > 2) throw fail('Expected `log <vkey> [<url>]`.');
        logs.push({ key: readKey(args[0]!, SIGNATURE_TYPE_ED25519, 'log'), url: args[1] ?? null });
        break;
      }
      case 'witness': {
        if (args.length < 2 || args.length > 3) throw fail('Expected `witness <name> <vkey> [<url>]`.');
        const key = readKey(args[1]!, SIGNATURE_TYPE_COSIGNATURE_V1, 'witness');
        defineName(args[0]!);
        witnesses.push({ name: args[0]!, key, url: args[2] ?? null });
        break;
      }
      case 'group': {
        if (args.length < 3) throw fail('Expected `group <name> <k|all|any> <member>...`.');
        const [name, k, ...members] = args as [string, string, ...string[]];
        for (const m of members) {
          if (!defined.has(m)) throw fail(`The member ${JSON.stringify(m)} is not defined on an earlier line.`);
          // tlog-policy: "Each defined name can be listed as a group member at most once."
          if (listed.has(m)) throw fail(`The name ${JSON.stringify(m)} is already a group member.`);
          listed.add(m);
        }
        const threshold = k === 'all' ? members.length : k === 'any' ? 1 : /^[1-9][0-9]{0,5}$/.test(k) ? Number(k) : NaN;
        if (!(threshold >= 1 && threshold <= members.length)) {
          throw fail(`The threshold must be all, any or a decimal from 1 to ${members.length}.`);
        }
        defineName(name);
        groups.push({ name, threshold, members });
        break;
      }
      case 'quorum': {
        if (args.length !== 1) throw fail('Expected `quorum <name|none>`.');
        if (quorum !== undefined) throw fail('There is more than one quorum line.');
        if (args[0] !== 'none' && !defined.has(args[0]!)) {
          throw fail(`The quorum ${JSON.stringify(args[0])} is not defined on an earlier line.`);
        }
        quorum = args[0] === 'none' ? null : args[0]!;
        break;
      }
      default:
        throw fail(`Unknown keyword ${JSON.stringify(keyword)}.`);
    }
  }
  if (quorum === undefined) throw malformed('The policy has no quorum line.', null);
  return { logs, witnesses, groups, quorum };
}

/**
 * checkPolicy checks a signed checkpoint against a policy and returns it with the witnesses that
 * cosigned it. The log signature must verify under one of the policy's log keys (openCheckpoint:
 * NOTE_*, CHECKPOINT_*); a cosignature by a policy witness that does not verify is
 * COSIGNATURE_INVALID (signed-note: a failing signature by a known key rejects the note); the quorum
 * is evaluated over the witnesses whose cosignatures verified, and POLICY_NOT_MET names the quorum
 * and the members that fell short.
 */
export function checkPolicy(note: string | Uint8Array, policy: Policy, crypto: Crypto = nobleCrypto): PolicyResult {
  const audit = auditPolicy(note, policy, crypto);
  if (audit.failure !== null) throw audit.failure;
  return {
    checkpoint: audit.checkpoint!,
    text: audit.text!,
    logKey: audit.logKey!,
    witnesses: audit.witnesses.flatMap((w) => (w.status === 'cosigned' ? [{ name: w.name, timestamp: w.timestamp! }] : [])),
  };
}

/** auditPolicy is checkPolicy as a report: it never throws for bad input, and lists every witness and group. */
export function auditPolicy(note: string | Uint8Array, policy: Policy, crypto: Crypto = nobleCrypto): PolicyAudit {
  let opened: ReturnType<typeof openCheckpoint>;
  try {
    opened = openCheckpoint(note, policy.logs.map((l) => l.key), crypto);
  } catch (e) {
    if (!(e instanceof CustodyError)) throw e;
    return { ok: false, failure: e, checkpoint: null, text: null, logKey: null, witnesses: [], groups: [], quorumMet: false };
  }
  const textBytes = utf8(opened.text);
  const witnesses = policy.witnesses.map((w): WitnessAudit => {
    const verifier = cosignatureVerifier(w.key, crypto);
    const lines = opened.otherSignatures.filter((s) => s.name === w.key.name && s.keyId === w.key.keyId);
    if (lines.length === 0) return { name: w.name, status: 'missing', timestamp: null };
    if (!lines.every((s) => verifier.verify(textBytes, s.signature))) return { name: w.name, status: 'invalid', timestamp: null };
    return { name: w.name, status: 'cosigned', timestamp: cosignatureTimestamp(lines[0]!.signature) };
  });

  const satisfied = new Map<string, boolean>(witnesses.map((w) => [w.name, w.status === 'cosigned']));
  const groups = policy.groups.map((g): GroupAudit => {
    const count = g.members.filter((m) => satisfied.get(m) === true).length;
    satisfied.set(g.name, count >= g.threshold);
    return { name: g.name, threshold: g.threshold, satisfied: count, met: count >= g.threshold };
  });
  const quorumMet = policy.quorum === null || satisfied.get(policy.quorum) === true;

  const invalid = witnesses.find((w) => w.status === 'invalid');
  let failure: CustodyError | null = null;
  if (invalid !== undefined) {
    const key = policy.witnesses.find((w) => w.name === invalid.name)!.key;
    failure = new CustodyError('COSIGNATURE_INVALID', `The cosignature of witness ${invalid.name} does not verify.`, {
      witness: invalid.name,
      keyId: hex8(key.keyId),
    });
  } else if (!quorumMet) {
    failure = quorumFailure(policy, policy.quorum!, satisfied);
  }
  return {
    ok: failure === null,
    failure,
    checkpoint: opened.checkpoint,
    text: opened.text,
    logKey: opened.logKey,
    witnesses,
    groups,
    quorumMet,
  };
}

// --- helpers ---

function quorumFailure(policy: Policy, quorum: string, satisfied: ReadonlyMap<string, boolean>): CustodyError {
  const group = policy.groups.find((g) => g.name === quorum);
  const threshold = group?.threshold ?? 1;
  const members = group?.members ?? [quorum];
  const count = members.filter((m) => satisfied.get(m) === true).length;
  const short = members.filter((m) => satisfied.get(m) !== true);
  return new CustodyError(
    'POLICY_NOT_MET',
    `The quorum ${quorum} needs ${threshold} of ${members.length} and has ${count}; not satisfied: ${short.join(', ')}.`,
    { quorum, threshold, satisfied: count, unsatisfied: short.join(' ') },
  );
}

function malformed(message: string, line: number | null, cause?: unknown): CustodyError {
  const text = line === null ? message : `Line ${line}: ${message}`;
  return new CustodyError('POLICY_MALFORMED', text, { line }, cause === undefined ? undefined : { cause });
}
