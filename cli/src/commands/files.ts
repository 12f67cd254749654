/** Reading input files and writing output files with the errors a user can act on. */
import { readFileSync, writeFileSync } from 'node:fs';
import { CustodyError } from '@custody/core';

/** readInput returns a file's bytes (FILE_NOT_FOUND, FILE_UNREADABLE). */
export function readInput(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new CustodyError('FILE_NOT_FOUND', `There is no ${what} file ${path}.`, { path });
    throw new CustodyError('FILE_UNREADABLE', `Cannot read the ${what} file ${path}.`, { path }, { cause: e });
  }
}

/** readText returns a file's text (strict UTF-8 is left to the parser of its format). */
export function readText(path: string, what: string): string {
  return new TextDecoder('utf-8').decode(readInput(path, what));
}

/** writeOutput writes a new file, never replacing one (FILE_EXISTS, IO_ERROR). */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data, { flag: 'wx', mode: 0o644 });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') throw new CustodyError('FILE_EXISTS', `Refusing to replace an existing file: ${path}`, { path });
    throw new CustodyError('IO_ERROR', `Could not write ${path}.`, { path }, { cause: e });
  }
}
