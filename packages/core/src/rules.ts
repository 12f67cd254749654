/**
 * The custody rules (DESIGN §5–§6) as a pure function of the state before a record and the record:
 * `evaluateRecord` answers "may this record be appended here?" with every violation found, and
 * the state changes the record makes. The same function decides appends (the SQLite ledger reads
 * the state from its tables) and verification (the auditor replays the log in memory).
 *
 * Signatures and signers' keys are not checked here (see signatures.ts), only who is required to sign.
 */
import { parseBase64 } from './codec.js';
import { isValidPublicKey } from './crypto.js';
import { compareDigests, type Digests } from './digests.js';
import type { ErrorCode, ErrorDetails } from './errors.js';
import { currentKey, type IdentityState, type Role } from './identity.js';
import type { ItemState, SealState } from './item.js';
import { createsItem, LEDGER_ACTOR, type LedgerRecord } from './record.js';

/** What the rules read of the state before a record. */
export interface CustodyView {
  identity(id: string): IdentityState | undefined;
  item(id: string): ItemState | undefined;
  /** The id of the non-revoked identity whose current key is `key` (base64), if any. */
  keyHolder(key: string): string | undefined;
  /**
   * The time of the genesis record, if the view knows it: appends refuse records dated before it
   * (docs/PROTOCOL.md §4.5). Optional: a view without it leaves that check to the caller's
   * `genesisTime` option of prepareRecord, or skips it.
   */
  genesisTime?(): string | undefined;
}

export interface Violation {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: ErrorDetails;
}

/** The identities and items a record creates or changes, in their new state. */
export interface Transition {
  readonly identities: readonly IdentityState[];
  readonly items: readonly ItemState[];
  /** Set by the genesis record: its time, the earliest a record may be dated without a late marker. */
  readonly genesisTime?: string;
}

export interface Evaluation {
  readonly violations: readonly Violation[];
  readonly transition: Transition;
}

/** Roles that may append custody work; `external` and `witness` never do. */
const WORKERS: readonly Role[] = ['officer'];
/** Roles that may receive custody of an item. */
const HOLDERS: readonly Role[] = ['officer', 'external'];
/** Roles that manage identities. */
const MANAGERS: readonly Role[] = ['ledger', 'admin'];

type Data = Record<string, unknown>;

/**
 * evaluateRecord checks `record` (already schema-valid, with leaf hash `leafHash` in hex) against the
 * state in `view` and returns every rule it breaks, plus the state it leads to. An empty violation
 * list means the record may be appended.
 */
export function evaluateRecord(view: CustodyView, record: LedgerRecord, leafHash: string): Evaluation {
  const ctx = new RuleContext(view, record, leafHash);
  if (record.seq === 0 && record.type !== 'ledger.genesis') ctx.rule('Record 0 must be the ledger.genesis record.');
  ctx.checkItemChain();
  RULES[record.type](ctx, record.data as Data);
  const transition: Transition = { identities: ctx.identities, items: ctx.items };
  return { violations: ctx.violations, transition: ctx.genesisTime === undefined ? transition : { ...transition, genesisTime: ctx.genesisTime } };
}

class RuleContext {
  readonly violations: Violation[] = [];
  readonly identities: IdentityState[] = [];
  readonly items: ItemState[] = [];
  readonly actor: IdentityState | undefined;
  genesisTime: string | undefined;

  constructor(
    readonly view: CustodyView,
    readonly record: LedgerRecord,
    readonly leafHash: string,
  ) {
    this.actor = record.actor === LEDGER_ACTOR && record.seq === 0 ? undefined : view.identity(record.actor);
  }

  get seq(): number {
    return this.record.seq;
  }

  fail(code: ErrorCode, message: string, details: ErrorDetails = {}): void {
    this.violations.push({ code, message, details: { seq: this.seq, ...details } });
  }

  rule(message: string, details: ErrorDetails = {}): void {
    this.fail('CUSTODY_RULE', message, details);
  }

  /** itemPrev must be the leaf hash of the item's latest record (null for a record that creates it). */
  checkItemChain(): void {
    const { record } = this;
    const expected = record.item === null || createsItem(record.type) ? null : (this.view.item(record.item)?.head ?? null);
    if (record.itemPrev !== expected) {
      this.fail(
        'ITEM_CHAIN_BROKEN',
        expected === null
          ? `itemPrev must be null on this record.`
          : `itemPrev does not link to the latest record of item "${record.item}".`,
        { item: record.item, expected, actual: record.itemPrev },
      );
    }
  }

  /** actorHasRole fails unless the actor has one of `roles`. */
  actorHasRole(roles: readonly Role[], what: string): boolean {
    const role = this.record.actor === LEDGER_ACTOR ? 'ledger' : this.actor?.role;
    if (role !== undefined && roles.includes(role)) return true;
    if (this.actor !== undefined || this.record.actor === LEDGER_ACTOR) {
      this.rule(`${what} must be signed by ${roles.join(' or ')}, not by "${this.record.actor}" (${role}).`, {
        actor: this.record.actor,
        role: role ?? null,
      });
    }
    return false;
  }

  /** The identity `id` must exist and be active, with one of `roles`; returns it. */
  party(id: string, roles: readonly Role[], what: string): IdentityState | undefined {
    const identity = id === LEDGER_ACTOR ? undefined : this.view.identity(id);
    if (identity === undefined) {
      this.fail('IDENTITY_UNKNOWN', `The ${what} "${id}" is not an enrolled identity.`, { id });
      return undefined;
    }
    if (identity.revokedAt !== null) {
      this.rule(`The ${what} "${id}" was revoked at seq ${identity.revokedAt}.`, { id });
    } else if (!roles.includes(identity.role)) {
      this.rule(`The ${what} "${id}" is ${identity.role}; it must be ${roles.join(' or ')}.`, { id, role: identity.role });
    }
    return identity;
  }

  /** `id` must be among the record's cosigners. */
  cosignedBy(id: string, what: string): void {
    if (!(this.record.cosigs ?? []).some((c) => c.id === id)) {
      this.fail('COSIGNATURE_MISSING', `The ${what} "${id}" must cosign this record.`, { id });
    }
  }

  /** The record's item must exist; returns it. */
  existingItem(): ItemState | undefined {
    const id = this.record.item;
    const item = id === null ? undefined : this.view.item(id);
    if (item === undefined) this.fail('ITEM_UNKNOWN', `There is no item "${id}" in this ledger.`, { item: id });
    return item;
  }

  /** The record's item must not exist yet. */
  newItem(): boolean {
    const id = this.record.item!;
    if (this.view.item(id) === undefined) return true;
    this.fail('ITEM_EXISTS', `The item "${id}" is already in this ledger.`, { item: id });
    return false;
  }

  /** The item must be held by the actor, not in transit and not disposed of. */
  heldByActor(item: ItemState, what: string): boolean {
    let ok = this.notDisposed(item);
    if (item.offer !== null) {
      this.rule(`The item "${item.id}" is in transit to "${item.offer.to}"; only accept, reject or cancel may follow.`, {
        item: item.id,
      });
      ok = false;
    }
    if (item.custodian !== this.record.actor) {
      this.rule(`Only the custodian of "${item.id}" ("${item.custodian}") may ${what}.`, {
        item: item.id,
        custodian: item.custodian,
      });
      ok = false;
    }
    return ok;
  }

  notDisposed(item: ItemState): boolean {
    if (item.disposed === null) return true;
    this.rule(`The item "${item.id}" was disposed of at seq ${item.disposed.seq}; only notes may follow.`, {
      item: item.id,
    });
    return false;
  }

  /** A new key must be valid (DESIGN §4) and not held by another identity. */
  checkNewKey(key: string, id: string): void {
    let bytes: Uint8Array | undefined;
    try {
      bytes = parseBase64(key, 32);
    } catch {
      bytes = undefined;
    }
    if (bytes === undefined || !isValidPublicKey(bytes)) {
      this.fail('KEY_INVALID', `The key for "${id}" is not a canonical Ed25519 key in the prime-order subgroup.`, { id });
      return;
    }
    const holder = this.view.keyHolder(key);
    if (holder !== undefined && holder !== id) {
      this.rule(`The key for "${id}" is already the key of "${holder}".`, { id, holder });
    }
  }

  /** A re-measurement must state the result its digests give against those on record. */
  checkMeasurement(item: ItemState, measured: { digests: Digests; size?: number; result: string }): void {
    const comparison = compareDigests(item.digests, measured.digests);
    if (comparison.compared.length === 0) {
      this.rule(`The digests measured share no algorithm with those on record for "${item.id}".`, { item: item.id });
      return;
    }
    const sizeDiffers = measured.size !== undefined && item.size !== null && measured.size !== item.size;
    const result = comparison.match && !sizeDiffers ? 'match' : 'mismatch';
    if (result !== measured.result) {
      this.rule(`The check says "${measured.result}" but the digests give "${result}".`, { item: item.id, result });
    }
  }

  /** The offer named by `leafHash` must be the item's open offer. */
  openOffer(item: ItemState, leafHash: unknown): ItemState['offer'] {
    if (item.offer === null) {
      this.rule(`The item "${item.id}" has no open offer.`, { item: item.id });
      return null;
    }
    if (item.offer.leafHash !== leafHash) {
      this.rule(`The record names an offer other than the open one (seq ${item.offer.seq}).`, { item: item.id });
      return null;
    }
    return item.offer;
  }

  /** The receiver of an offer answers it: as actor, or as cosigner of an officer's record. */
  answeredByReceiver(offer: NonNullable<ItemState['offer']>): void {
    // An external receiver never appends: an officer records its answer and it cosigns.
    this.actorHasRole(WORKERS, this.record.actor === offer.to ? this.record.type : `Recording the answer for "${offer.to}"`);
    if (this.record.actor !== offer.to) this.cosignedBy(offer.to, 'receiver');
  }

  setItem(item: ItemState): void {
    this.items.push({ ...item, head: this.leafHash, headSeq: this.seq });
  }

  setIdentity(identity: IdentityState): void {
    this.identities.push(identity);
  }
}

type Rule = (ctx: RuleContext, data: Data) => void;

const RULES: Record<LedgerRecord['type'], Rule> = {
  'ledger.genesis'(ctx, data) {
    if (ctx.seq !== 0 || ctx.record.actor !== LEDGER_ACTOR) {
      ctx.rule('ledger.genesis is only record 0, signed by the ledger key.');
      return;
    }
    const key = data['key'] as string;
    ctx.checkNewKey(key, LEDGER_ACTOR);
    ctx.setIdentity({
      id: LEDGER_ACTOR,
      role: 'ledger',
      name: data['name'] as string,
      agency: data['agency'] as string,
      enrolledAt: 0,
      keys: [{ key, from: 0, until: null }],
      revokedAt: null,
      compromisedSince: null,
    });
    ctx.genesisTime = ctx.record.time;
  },

  'identity.enrol'(ctx, data) {
    ctx.actorHasRole(MANAGERS, 'identity.enrol');
    const id = data['id'] as string;
    if (id === LEDGER_ACTOR || ctx.view.identity(id) !== undefined) {
      ctx.rule(`The identity id "${id}" is already taken (ids are never reused).`, { id });
      return;
    }
    const key = data['key'] as string;
    ctx.checkNewKey(key, id);
    const optional: { nrp?: string; title?: string; unit?: string } = {};
    for (const field of ['nrp', 'title', 'unit'] as const) if (typeof data[field] === 'string') optional[field] = data[field];
    ctx.setIdentity({
      id,
      role: data['role'] as Role,
      name: data['name'] as string,
      agency: data['agency'] as string,
      ...optional,
      enrolledAt: ctx.seq,
      keys: [{ key, from: ctx.seq + 1, until: null }],
      revokedAt: null,
      compromisedSince: null,
    });
  },

  'identity.rotate'(ctx, data) {
    const id = data['id'] as string;
    // An admin or officer may rotate its own key (signing with the old one); others are rotated by a manager.
    if (ctx.record.actor !== id) ctx.actorHasRole(MANAGERS, 'identity.rotate of another identity');
    else ctx.actorHasRole(['admin', 'officer'], 'identity.rotate of its own key');
    const target = ctx.party(id, ['admin', 'officer', 'external', 'witness'], 'identity to rotate');
    if (target === undefined || target.revokedAt !== null) return;
    const key = data['key'] as string;
    if (key === currentKey(target)) ctx.rule(`The new key for "${id}" is its current key.`, { id });
    ctx.checkNewKey(key, id);
    const keys = target.keys.map((k) => (k.until === null ? { ...k, until: ctx.seq + 1 } : k));
    ctx.setIdentity({ ...target, keys: [...keys, { key, from: ctx.seq + 1, until: null }] });
  },

  'identity.revoke'(ctx, data) {
    ctx.actorHasRole(MANAGERS, 'identity.revoke');
    const id = data['id'] as string;
    const target = ctx.party(id, ['admin', 'officer', 'external', 'witness'], 'identity to revoke');
    if (target === undefined || target.revokedAt !== null) return;
    const since = data['compromisedSince'];
    if (typeof since === 'number' && (since <= target.enrolledAt || since > ctx.seq)) {
      ctx.rule(`compromisedSince must lie after the enrolment of "${id}" and not after this record.`, { id });
    }
    ctx.setIdentity({
      ...target,
      revokedAt: ctx.seq,
      compromisedSince: typeof since === 'number' ? since : null,
    });
  },

  'item.register'(ctx, data) {
    ctx.actorHasRole(WORKERS, 'item.register');
    if (ctx.newItem()) ctx.setItem(newItemState(ctx, data, 'item.register', []));
  },

  'item.import'(ctx, data) {
    ctx.actorHasRole(WORKERS, 'item.import');
    if (ctx.newItem()) ctx.setItem(newItemState(ctx, data, 'item.import', []));
  },

  'item.derive'(ctx, data) {
    ctx.actorHasRole(WORKERS, 'item.derive');
    const parents = data['parents'] as Array<{ item: string; head: string }>;
    const seen = new Set<string>();
    for (const parent of parents) {
      if (seen.has(parent.item) || parent.item === ctx.record.item) {
        ctx.rule(`The parent "${parent.item}" is named twice or is the new item itself.`, { item: parent.item });
        continue;
      }
      seen.add(parent.item);
      const state = ctx.view.item(parent.item);
      if (state === undefined) {
        ctx.fail('ITEM_UNKNOWN', `There is no parent item "${parent.item}" in this ledger.`, { item: parent.item });
        continue;
      }
      ctx.heldByActor(state, `derive an item from it`);
      if (state.head !== parent.head) {
        ctx.fail('ITEM_CHAIN_BROKEN', `The head given for parent "${parent.item}" is not its latest record.`, {
          item: parent.item,
        });
      }
    }
    if (ctx.newItem()) ctx.setItem(newItemState(ctx, data, 'item.derive', [...seen]));
  },

  'custody.transfer'(ctx, data) {
    const item = ctx.existingItem();
    if (item === undefined) return;
    const from = data['from'] as string;
    const to = data['to'] as string;
    ctx.notDisposed(item);
    if (item.offer !== null) ctx.rule(`The item "${item.id}" is in transit; only accept, reject or cancel may follow.`);
    if (from !== item.custodian) {
      ctx.rule(`"${from}" is not the custodian of "${item.id}" ("${item.custodian}").`, { from, custodian: item.custodian });
    }
    if (from === to) ctx.rule('A transfer needs two different parties.');
    ctx.party(to, HOLDERS, 'receiver');
    const actor = ctx.record.actor;
    if (actor !== from && actor !== to) {
      ctx.rule(`A transfer is signed by one of its parties, not by "${actor}".`, { actor });
    } else {
      ctx.actorHasRole(WORKERS, 'custody.transfer');
      ctx.cosignedBy(actor === from ? to : from, actor === from ? 'receiver' : 'releasing party');
    }
    ctx.setItem({ ...item, custodian: to, seal: observedSeal(item, data) });
  },

  'custody.offer'(ctx, data) {
    const item = ctx.existingItem();
    if (item === undefined) return;
    ctx.actorHasRole(WORKERS, 'custody.offer');
    ctx.heldByActor(item, 'offer it');
    const to = data['to'] as string;
    if (to === ctx.record.actor) ctx.rule('An offer needs a receiver other than the custodian.');
    ctx.party(to, HOLDERS, 'receiver');
    const offer = { seq: ctx.seq, leafHash: ctx.leafHash, from: ctx.record.actor, to };
    ctx.setItem({ ...item, offer, seal: observedSeal(item, data) });
  },

  'custody.accept'(ctx, data) {
    const item = ctx.existingItem();
    if (item === undefined || !ctx.notDisposed(item)) return;
    const offer = ctx.openOffer(item, data['offer']);
    if (offer === null) return;
    ctx.answeredByReceiver(offer);
    if (data['check'] !== undefined) ctx.checkMeasurement(item, data['check'] as never);
    ctx.setItem({ ...item, custodian: offer.to, offer: null, seal: observedSeal(item, data) });
  },

  'custody.reject'(ctx, data) {
    const item = ctx.existingItem();
    if (item === undefined || !ctx.notDisposed(item)) return;
    const offer = ctx.openOffer(item, data['offer']);
    if (offer === null) return;
    ctx.answeredByReceiver(offer);
    if (data['check'] !== undefined) ctx.checkMeasurement(item, data['check'] as never);
    ctx.setItem({ ...item, offer: null, seal: observedSeal(item, data) });
  },

  'custody.cancel'(ctx, data) {
    const item = ctx.existingItem();
    if (item === undefined || !ctx.notDisposed(item)) return;
    const offer = ctx.openOffer(item, data['offer']);
    if (offer === null) return;
    if (ctx.record.actor !== offer.from) ctx.rule(`Only the offerer "${offer.from}" may cancel the offer.`);
    ctx.setItem({ ...item, offer: null });
  },

  'item.seal'(ctx, data) {
    const item = custodianWork(ctx, 'seal it');
    if (item) ctx.setItem({ ...item, seal: { numbers: data['numbers'] as string[], state: 'intact' } });
  },

  'item.unseal'(ctx, data) {
    const item = custodianWork(ctx, 'unseal it');
    if (item === undefined) return;
    const numbers = data['numbers'] as string[];
    if (item.seal === null) {
      ctx.rule(`The item "${item.id}" is not sealed.`, { item: item.id });
    } else if (!sameSet(item.seal.numbers, numbers)) {
      ctx.rule(`The seal numbers opened differ from those on record for "${item.id}".`, { item: item.id });
    }
    ctx.setItem({ ...item, seal: null });
  },

  'item.check'(ctx, data) {
    const item = custodianWork(ctx, 'check it');
    if (item === undefined) return;
    ctx.checkMeasurement(item, data as never);
    ctx.setItem(item);
  },

  'item.examine'(ctx) {
    const item = custodianWork(ctx, 'examine it');
    if (item) ctx.setItem(item);
  },

  'item.move'(ctx, data) {
    const item = custodianWork(ctx, 'move it');
    if (item) ctx.setItem({ ...item, location: data['location'] as string });
  },

  'item.dispose'(ctx, data) {
    const item = custodianWork(ctx, 'dispose of it');
    if (item) ctx.setItem({ ...item, disposed: { seq: ctx.seq, method: data['method'] as string } });
  },

  'item.note'(ctx) {
    if (ctx.actor?.role === 'external') ctx.rule('An external identity never appends to this ledger.');
    if (ctx.record.item === null) return;
    const item = ctx.existingItem();
    if (item) ctx.setItem(item);
  },
};

/** custodianWork checks the common rule of custodian-only work on an existing item. */
function custodianWork(ctx: RuleContext, what: string): ItemState | undefined {
  const item = ctx.existingItem();
  if (item === undefined) return undefined;
  ctx.actorHasRole(WORKERS, ctx.record.type);
  ctx.heldByActor(item, what);
  return item;
}

function newItemState(ctx: RuleContext, data: Data, origin: ItemState['origin'], parents: string[]): ItemState {
  return {
    id: ctx.record.item!,
    kind: data['kind'] as string,
    description: data['description'] as string,
    origin,
    registeredAt: ctx.seq,
    digests: data['digests'] as Digests,
    size: typeof data['size'] === 'number' ? data['size'] : null,
    parents,
    head: ctx.leafHash,
    headSeq: ctx.seq,
    custodian: ctx.record.actor,
    offer: null,
    seal: data['seal'] === undefined ? null : (data['seal'] as SealState),
    location: typeof data['location'] === 'string' ? data['location'] : null,
    disposed: null,
  };
}

/** A seal state observed at a handover replaces the one on record. */
function observedSeal(item: ItemState, data: Data): SealState | null {
  return data['seal'] === undefined ? item.seal : (data['seal'] as SealState);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
