// A small ledger world for rule and audit tests: the people of the demo story, with fixed keys.
import * as assert from 'uvu/assert';
import {
  isCustodyError,
  MemoryLedger,
  signStatement,
  statementOf,
  type RecordInput,
  type Signer,
} from '@custody/core';
import { testSigner } from './vectors.js';

export const ORIGIN = 'ledger.test.polri.go.id/2026';

export const people = {
  ledger: testSigner(1),
  adm: testSigner(2), // admin
  budi: testSigner(3), // seizing investigator (officer)
  sari: testSigner(4), // evidence custodian, PPBB (officer)
  rudi: testSigner(5), // Labfor examiner (officer)
  'fbi.doe': testSigner(6), // external
  'wit.kejari': testSigner(7), // witness
  eve: testSigner(8), // not enrolled
} satisfies Record<string, Signer>;
export type Person = keyof typeof people;

export const DIGESTS = { sha256: 'af2bdbe1aa9b6ec1e2ade1d694f41fc71a831d0268e9891562113d8a62add1bf' };

export class World {
  readonly ledger = new MemoryLedger(ORIGIN);
  #clock = Date.parse('2026-11-28T01:00:00.000Z');

  constructor() {
    this.do('ledger', { type: 'ledger.genesis', item: null, data: { name: 'Uji', agency: 'Polri', key: key('ledger') } });
    this.enrol('adm', 'admin');
    for (const p of ['budi', 'sari', 'rudi'] as const) this.enrol(p, 'officer');
    this.enrol('fbi.doe', 'external');
    this.enrol('wit.kejari', 'witness');
  }

  time(): string {
    this.#clock += 60_000;
    return new Date(this.#clock).toISOString();
  }

  input(actor: string, partial: Omit<RecordInput, 'actor' | 'time'>): RecordInput {
    return { time: this.time(), zone: 'Asia/Jakarta', actor, ...partial };
  }

  /** do appends a record by `actor`, cosigned by `cosigners`; signing with `as` if given (a wrong key). */
  do(actor: string, partial: Omit<RecordInput, 'actor' | 'time'>, cosigners: Person[] = [], as?: Person) {
    const input = this.input(actor, partial);
    const statement = statementOf(this.ledger.unsigned(input));
    const cosigs = cosigners.map((p) => signStatement(statement, p, people[p]));
    return this.ledger.append({ ...input, cosigs }, people[(as ?? actor) as Person]);
  }

  enrol(id: Person, role: string, by = 'ledger') {
    return this.do(by, { type: 'identity.enrol', item: null, data: { id, name: `Name of ${id}`, agency: 'Polri', role, key: key(id) } });
  }

  register(item: string, by: Person = 'budi', extra: Record<string, unknown> = {}) {
    return this.do(by, {
      type: 'item.register',
      item,
      data: { kind: 'phone', description: 'Ponsel sitaan', digests: DIGESTS, size: 6, ...extra } as never,
    });
  }

  /** refused asserts that the record is refused with `code` and nothing is appended. */
  refused(code: string, actor: string, partial: Omit<RecordInput, 'actor' | 'time'>, cosigners: Person[] = [], as?: Person): void {
    const size = this.ledger.head.size;
    try {
      this.do(actor, partial, cosigners, as);
    } catch (e) {
      assert.ok(isCustodyError(e), `not a CustodyError: ${String(e)}`);
      assert.is(e.code, code, e.message);
      assert.is(this.ledger.head.size, size, 'a refused append wrote nothing');
      return;
    }
    assert.unreachable(`expected ${code} for ${partial.type} by ${actor}`);
  }

  head(item: string): string {
    return this.ledger.state.item(item)!.head;
  }
}

export function key(p: Person): string {
  return Buffer.from(people[p].publicKey).toString('base64');
}
