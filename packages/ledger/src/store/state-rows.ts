/**
 * The custody state rows (items, identities) as the store keeps them: JSON of core's ItemState and
 * IdentityState. Appends write them; verification compares them with its replay. A command that
 * displays one reads a file that may not have been verified, so each row is parsed and its shape
 * checked here: a row that is not JSON, is about another id, or lacks a field the renderers use is
 * LEDGER_DAMAGED (run verify), never a crash and never another item's data.
 */
import { CustodyError, isCustodyError, parseJson, type IdentityState, type ItemState } from '@custody/core';

/** parseStoredItem parses the stored state of item `id` (LEDGER_DAMAGED if it is not one). */
export function parseStoredItem(text: string, id: string, path: string): ItemState {
  const v = parse(text, 'items', id, path);
  const ok =
    onlyKeys(v, ITEM_KEYS) &&
    v['id'] === id &&
    isText(v['kind']) &&
    isText(v['description']) &&
    isText(v['origin']) &&
    isSeq(v['registeredAt']) &&
    isTextRecord(v['digests']) &&
    (v['size'] === null || isSeq(v['size'])) &&
    Array.isArray(v['parents']) &&
    v['parents'].every(isText) &&
    isText(v['head']) &&
    isSeq(v['headSeq']) &&
    isText(v['custodian']) &&
    (v['offer'] === null || (isObject(v['offer']) && onlyKeys(v['offer'], ['seq', 'leafHash', 'from', 'to']) && isSeq(v['offer']['seq']) && isText(v['offer']['to']) && isText(v['offer']['from']))) &&
    (v['seal'] === null || (isObject(v['seal']) && onlyKeys(v['seal'], ['numbers', 'state']) && Array.isArray(v['seal']['numbers']) && v['seal']['numbers'].every(isText) && isText(v['seal']['state']))) &&
    (v['location'] === null || isText(v['location'])) &&
    (v['disposed'] === null || (isObject(v['disposed']) && onlyKeys(v['disposed'], ['seq', 'method']) && isSeq(v['disposed']['seq']) && isText(v['disposed']['method'])));
  if (!ok) throw damaged('items', id, path);
  return v as unknown as ItemState;
}

/** parseStoredIdentity parses the stored state of identity `id` (LEDGER_DAMAGED if it is not one). */
export function parseStoredIdentity(text: string, id: string, path: string): IdentityState {
  const v = parse(text, 'identities', id, path);
  const ok =
    onlyKeys(v, IDENTITY_KEYS) &&
    v['id'] === id &&
    isText(v['role']) &&
    isText(v['name']) &&
    isText(v['agency']) &&
    ['nrp', 'title', 'unit'].every((k) => v[k] === undefined || isText(v[k])) &&
    isSeq(v['enrolledAt']) &&
    Array.isArray(v['keys']) &&
    v['keys'].every((k) => isObject(k) && onlyKeys(k, ['key', 'from', 'until']) && isText(k['key']) && isSeq(k['from']) && (k['until'] === null || isSeq(k['until']))) &&
    (v['revokedAt'] === null || isSeq(v['revokedAt'])) &&
    (v['compromisedSince'] === null || isSeq(v['compromisedSince']));
  if (!ok) throw damaged('identities', id, path);
  return v as unknown as IdentityState;
}

type Obj = Record<string, unknown>;

/** The members of core's ItemState and IdentityState: a state row with any other is not one. */
const ITEM_KEYS = ['id', 'kind', 'description', 'origin', 'registeredAt', 'digests', 'size', 'parents', 'head', 'headSeq', 'custodian', 'offer', 'seal', 'location', 'disposed'];
const IDENTITY_KEYS = ['id', 'role', 'name', 'agency', 'nrp', 'title', 'unit', 'enrolledAt', 'keys', 'revokedAt', 'compromisedSince'];

/** A state is a few levels deep; anything deeper is not one (and could exhaust a renderer's stack). */
const STATE_DEPTH = 8;

function parse(text: string, table: string, id: string, path: string): Obj {
  let v: unknown;
  try {
    v = parseJson(text, { maxDepth: STATE_DEPTH });
  } catch (e) {
    if (!isCustodyError(e)) throw e;
    throw damaged(table, id, path);
  }
  if (!isObject(v)) throw damaged(table, id, path);
  return v;
}

const onlyKeys = (v: Obj, allowed: readonly string[]): boolean => Object.keys(v).every((k) => allowed.includes(k));
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isTextRecord = (v: unknown): boolean => isObject(v) && Object.values(v).every(isText);

function damaged(table: string, id: string, path: string): CustodyError {
  const reason = `the ${table} table holds a state for "${id}" that is not one (run custody verify)`;
  return new CustodyError('LEDGER_DAMAGED', `${path} is damaged or was altered outside custody: ${reason}.`, { path, table, id, reason });
}
