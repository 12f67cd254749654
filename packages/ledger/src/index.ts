export * from './ledger.js';
export * from './verify.js';
export * from './checkpoints.js';
export * from './witness.js';
export * from './schema.js';
export * from './node-crypto.js';
export * from './keyfile.js';
export * from './evidence-hash.js';
