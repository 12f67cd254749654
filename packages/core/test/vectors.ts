// Shared loading of the project's own protocol vectors (test/vectors/custody/protocol-v1.json).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seedSigner, type Signer } from '@custody/core';

export const protocolV1 = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../test/vectors/custody/protocol-v1.json', import.meta.url)), 'utf8'),
) as {
  origin: string;
  keys: Record<string, { seedByte: number; publicKey: string; fingerprint: string }>;
  records: Array<{
    unsignedJcs: string;
    recordPaeSha256: string;
    leafBytes: string;
    leafHash: string;
    statementJcs?: string;
    statementPaeSha256?: string;
  }>;
  merkle: { size: number; rootHex: string };
  exportJsonl: string;
};

/** signerFor returns the signer of a vector key: its seed is one byte repeated 32 times. */
export function signerFor(name: string): Signer {
  const key = protocolV1.keys[name];
  if (!key) throw new Error(`no vector key ${name}`);
  return seedSigner(new Uint8Array(32).fill(key.seedByte));
}

/** seedKey returns a test signer whose seed is `byte` repeated. */
export function testSigner(byte: number): Signer {
  return seedSigner(new Uint8Array(32).fill(byte));
}
