export * from './errors.js';
export * from './codec.js';
export * from './canonical.js';
export * from './crypto.js';
