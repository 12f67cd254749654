// code runs `fn` and returns the code of the CustodyError it throws, undefined if it returns, and a
// sentence that fails any assertion on a code if it throws anything else.
import { isCustodyError } from '@custody/core';

export function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCustodyError(e) ? e.code : `not a CustodyError: ${String(e)}`;
  }
  return undefined;
}
