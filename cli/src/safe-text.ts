/**
 * Safe text output: the one place where the CLI writes text to stdout and stderr. Text read from a
 * ledger, bundle, checkpoint or policy comes from the party whose conduct is in question, so no
 * character of it may act on the reader's terminal or reorder what the reader sees. Before any text
 * is written, these characters are made visible as escapes, never interpreted:
 *
 * - C0 controls U+0000–U+001F except "\n" (and "\t" where output is tab-separated), and DEL U+007F:
 *   ESC starts the control sequences of ECMA-48 (clear the screen, move the cursor, recolour, retitle
 *   the window), "\r" overwrites a line, BEL rings. Written as `\x1B`.
 * - C1 controls U+0080–U+009F: ECMA-48 §5.3 gives each ESC sequence a one-character C1 form (U+009B
 *   is CSI), which many terminals honour when it arrives UTF-8 encoded. Written as `\u009B`.
 * - Bidirectional formatting characters of Unicode UAX #9 (§2: U+202A–U+202E, U+2066–U+2069,
 *   U+200E, U+200F, U+061C): they reorder the text around them on screen and in browsers, the
 *   "Trojan Source" attack (CVE-2021-42574). Written as `\u202E`.
 * - U+2028 and U+2029, line and paragraph separators that some viewers break lines at, and U+FEFF,
 *   invisible: the same set the record schema refuses in text (schemas/defs.schema.json).
 *
 * The escaped form is for reading, not for decoding: a backslash already in the text is left as it
 * is. Our own messages never contain these characters, so whole outputs are escaped, not values.
 * JSON documents keep their values: the same characters become `\uXXXX` escapes inside strings
 * (RFC 8259 §7), so the document parses to exactly what it did before.
 *
 * Only cli/src/terminal.ts (the passphrase prompt and progress bars, which draw with our own ANSI
 * sequences on the terminal) and `custody export` (the byte-exact JSON Lines archive) write to the
 * streams without these functions; cli/test/safe-text.test.ts fails if any other module does.
 */

/** How text is escaped for a terminal or a text document. */
export interface EscapeOptions {
  /** Leave "\t" as it is, for tab-separated output (`log`, `item list`). Default: escape it. */
  readonly keepTabs?: boolean;
}

/** A stream the CLI writes text to (process.stdout, process.stderr). */
export interface TextStream {
  write(text: string): boolean;
}

/**
 * escapeForTerminal returns `text` with every C0 control but "\n" (and "\t" with `keepTabs`), DEL,
 * every C1 control, every bidirectional formatting character, U+2028, U+2029 and U+FEFF replaced by
 * a visible escape: `\xHH` for C0 and DEL, `\uHHHH` for the others (hex in capitals).
 */
export function escapeForTerminal(text: string, options: EscapeOptions = {}): string {
  if (typeof text !== 'string') throw new TypeError('escapeForTerminal: text must be a string');
  return text.replace(options.keepTabs === true ? UNSAFE_KEEP_TABS : UNSAFE, visibleEscape);
}

/**
 * escapeJsonText returns the JSON text `json` with DEL, C1 controls, bidirectional formatting
 * characters, U+2028, U+2029 and U+FEFF written as `\uXXXX` escapes (lowercase hex, as
 * JSON.stringify writes C0 controls). In valid JSON these characters can only stand inside strings,
 * where the escape means the same character: the result parses to the same value. Raw C0 controls
 * cannot stand inside a JSON string and JSON.stringify never writes them; any but the JSON
 * whitespace "\t", "\n" and "\r" is escaped too, so that even text that is not JSON stays inert.
 */
export function escapeJsonText(json: string): string {
  if (typeof json !== 'string') throw new TypeError('escapeJsonText: json must be a string');
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${hex4(c).toLowerCase()}`);
}

/** printLine writes `text` and a newline to `stream`, escaped for a terminal (escapeForTerminal). */
export function printLine(stream: TextStream, text: string, options: EscapeOptions = {}): boolean {
  return stream.write(`${escapeForTerminal(text, options)}\n`);
}

/** printJson writes `value` as one line of JSON to `stream`, escaped by escapeJsonText. */
export function printJson(stream: TextStream, value: unknown): boolean {
  return stream.write(`${escapeJsonText(JSON.stringify(value))}\n`);
}

// ---- helpers ----

const BIDI_AND_SEPARATORS = '\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f${BIDI_AND_SEPARATORS}]`, 'g');
const UNSAFE_KEEP_TABS = new RegExp(`[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f${BIDI_AND_SEPARATORS}]`, 'g');
const UNSAFE_IN_JSON = new RegExp(`[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f${BIDI_AND_SEPARATORS}]`, 'g');

function visibleEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0x7f ? `\\x${hex4(c).slice(2)}` : `\\u${hex4(c)}`;
}

function hex4(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
}
