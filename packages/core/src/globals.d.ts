// The few web-platform globals core uses. Core compiles without DOM and Node types ("types": [])
// so that nothing outside these can creep in; both browsers and Node provide them.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
