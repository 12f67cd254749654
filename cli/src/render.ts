/**
 * Text for people: a record as a step of a chain of custody, an item's state, an identity. Times in
 * the record's zone (WIB/WITA/WIT) and in UTC. Only rendering: the facts come from the ledger.
 */
import { formatZonedTime, mixedScriptDetails, recordMixedScriptWords, type IdentityState, type ItemState, type LedgerRecord } from '@custody/core';
import { disposalName, eventName, t, type Lang } from './i18n.js';
import { mixedScriptText } from './report/messages.js';

type Data = Record<string, unknown>;

/** Names of identities, for "budi (Budi Santoso, Polri)". */
export type NameOf = (id: string) => string;

export function nameResolver(identities: readonly IdentityState[]): NameOf {
  const byId = new Map(identities.map((i) => [i.id, i]));
  return (id) => {
    const identity = byId.get(id);
    if (identity === undefined || id === 'ledger') return id;
    return `${id} (${identity.name}${identity.title ? `, ${identity.title}` : ''}, ${identity.agency})`;
  };
}

/** timeLine shows a record's time: "2026-11-28 09:03:05 WIB (02:03:05 UTC)". */
export function timeLine(time: string, zone: string | undefined): string {
  const z = formatZonedTime(time, zone);
  return z.local === z.utc ? z.utc : `${z.local} (${z.utc})`;
}

/**
 * recordLines renders one record as the lines of a step in a history. A late entry says so right
 * under its time (when it was recorded, and why); text that mixes scripts in one word is flagged.
 */
export function recordLines(lang: Lang, record: LedgerRecord, leafHash: string, nameOf: NameOf): string[] {
  const h = (key: Parameters<typeof t>[1]): string => t(lang, key);
  const d = record.data as Data;
  const lines = [`#${record.seq}  ${timeLine(record.time, record.zone)}`];
  if (record.late !== undefined) {
    lines.push(`    ${h('h.late')}: ${t(lang, 'h.lateText', { time: timeLine(record.late.recorded, record.zone), reason: record.late.reason })}`);
  }
  const event = eventName(lang, record.type);
  const s = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const list = (k: string): string | undefined => (Array.isArray(d[k]) ? (d[k] as string[]).join('; ') : undefined);
  const add = (label: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`    ${label}: ${value}`);
  };

  switch (record.type) {
    case 'custody.transfer':
      lines.push(`    ${event}`);
      add(h('h.releasedBy'), nameOf(s('from')!));
      add(h('h.receivedBy'), nameOf(s('to')!));
      break;
    case 'custody.offer':
      lines.push(`    ${event} — ${h('h.by')}: ${nameOf(record.actor)}`);
      add(h('h.receivedBy'), nameOf(s('to')!));
      break;
    default:
      lines.push(`    ${event} — ${h('h.by')}: ${nameOf(record.actor)}`);
  }
  const cosigners = (record.cosigs ?? []).map((c) => nameOf(c.id));
  if (cosigners.length > 0) add(h('h.cosignedBy'), cosigners.join('; '));

  add(h('h.kind'), s('kind'));
  add(h('h.description'), s('description'));
  add(h('h.cases'), list('cases'));
  if (Array.isArray(d['parents'])) add(h('h.parents'), (d['parents'] as { item: string }[]).map((p) => p.item).join('; '));
  add(h('h.method'), record.type === 'item.dispose' ? disposalName(lang, s('method')!) : s('method'));
  const seizure = d['seizure'] as Data | undefined;
  if (seizure !== undefined) {
    const parts = [seizure['authority'], seizure['place'], typeof seizure['time'] === 'string' ? timeLine(seizure['time'], record.zone) : undefined];
    add(h('h.seizure'), parts.filter((p) => typeof p === 'string').join('; '));
    if (Array.isArray(seizure['witnesses'])) add(h('h.witnesses'), (seizure['witnesses'] as string[]).join('; '));
  }
  add(h('h.purpose'), s('purpose'));
  add(h('h.authority'), s('authority'));
  add(h('h.place'), s('place'));
  add(h('h.tool'), s('tool'));
  add(h('h.witnesses'), list('witnesses'));
  add(h('h.location'), s('location'));
  if (record.type === 'item.seal' || record.type === 'item.unseal') {
    const state = record.type === 'item.unseal' ? s('found') : 'intact';
    add(h('h.seal'), `${list('numbers')}${state === undefined ? '' : ` (${h(state === 'broken' ? 'w.broken' : 'w.intact')})`}`);
  }
  const seal = d['seal'] as { numbers: string[]; state: string } | undefined;
  if (seal !== undefined) add(h('h.seal'), `${seal.numbers.join('; ')} (${h(seal.state === 'broken' ? 'w.broken' : 'w.intact')})`);
  if (d['digests'] !== undefined) add(h('h.digests'), digestText(d['digests'] as Data, d['size']));
  const check = record.type === 'item.check' ? d : (d['check'] as Data | undefined);
  if (check !== undefined && check['result'] !== undefined) {
    add(h('h.result'), h(check['result'] === 'match' ? 'w.match' : 'w.mismatch'));
    if (record.type !== 'item.check') add(h('h.digests'), digestText(check['digests'] as Data, check['size']));
  }
  add(h('h.reason'), s('reason'));
  add(h('h.remarks'), s('remarks') ?? s('text'));
  if (record.type === 'identity.enrol' || record.type === 'identity.rotate' || record.type === 'identity.revoke') {
    add(h('h.name'), `${s('id')}${s('name') ? ` — ${s('name')}, ${s('agency')} (${s('role')})` : ''}`);
  }
  for (const found of recordMixedScriptWords(record)) {
    lines.push(`    ⚠ ${h('h.textWarning')} (${found.path}): ${mixedScriptText(lang, mixedScriptDetails(found))}`);
  }
  lines.push(`    ${h('h.leaf')}: ${leafHash}`);
  return lines.map(continued);
}

export function digestText(digests: Data, size: unknown): string {
  const parts = Object.entries(digests).map(([alg, hex]) => `${alg}:${String(hex)}`);
  return `${parts.join(' ')}${typeof size === 'number' ? ` (${size} B)` : ''}`;
}

/** itemLines renders an item's current state. */
export function itemLines(lang: Lang, item: ItemState, nameOf: NameOf): string[] {
  const h = (key: Parameters<typeof t>[1]): string => t(lang, key);
  const lines = [`${h('h.item')}: ${item.id}`, `  ${h('h.kind')}: ${item.kind}`, `  ${h('h.description')}: ${item.description}`];
  lines.push(`  ${h('h.digests')}: ${digestText(item.digests as Data, item.size ?? undefined)}`);
  if (item.parents.length > 0) lines.push(`  ${h('h.parents')}: ${item.parents.join('; ')}`);
  lines.push(`  ${h('h.custodian')}: ${nameOf(item.custodian)}`);
  if (item.offer !== null) lines.push(`  ${h('h.inTransit')}: ${nameOf(item.offer.to)} (#${item.offer.seq})`);
  lines.push(`  ${h('h.seal')}: ${item.seal === null ? h('w.none') : `${item.seal.numbers.join('; ')} (${h(item.seal.state === 'broken' ? 'w.broken' : 'w.intact')})`}`);
  if (item.location !== null) lines.push(`  ${h('h.location')}: ${item.location}`);
  if (item.disposed !== null) lines.push(`  ${h('h.disposed')}: ${disposalName(lang, item.disposed.method)} (#${item.disposed.seq})`);
  return lines.map(continued);
}

/** identityLines renders an identity with its keys over time. */
export function identityLines(lang: Lang, identity: IdentityState): string[] {
  const h = (key: Parameters<typeof t>[1]): string => t(lang, key);
  const lines = [
    `${identity.id}`,
    `  ${h('h.name')}: ${identity.name}${identity.title ? `, ${identity.title}` : ''}${identity.nrp ? ` (NRP/NIP ${identity.nrp})` : ''}`,
    `  ${h('h.agency')}: ${identity.agency}${identity.unit ? `, ${identity.unit}` : ''}`,
    `  ${h('h.role')}: ${identity.role}`,
  ];
  for (const k of identity.keys) {
    lines.push(`  ${h('h.keys')}: ${k.key} (${h('w.from')} #${k.from}${k.until === null ? `, ${h('w.current')}` : `, ${h('w.until')} #${k.until}`})`);
  }
  if (identity.revokedAt !== null) lines.push(`  ${h('h.revoked')}: #${identity.revokedAt}`);
  return lines.map(continued);
}

/**
 * continued indents the continuation lines of a multi-line value (free text may hold line feeds)
 * under its field, so that no text from a file can start a line of its own that reads as the
 * tool's ("Verified: … intact").
 */
function continued(line: string): string {
  return line.includes('\n') ? line.replace(/\n/g, '\n        | ') : line;
}

/**
 * cell makes a value safe in a tab-separated line (`log`, `item list`, `identity list`): a tab or
 * line feed from a file would start a column or a line of its own, so they are shown as `\t` and
 * `\n` instead.
 */
export function cell(value: string): string {
  return value.replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}
