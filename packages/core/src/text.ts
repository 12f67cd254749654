/**
 * Mixed-script words: "Sаntoso" with a Cyrillic "а" (U+0430) renders exactly as "Santoso", so two
 * names that differ only by a look-alike letter from another script read the same in a court report.
 * A word whose letters come from more than one script is refused at append and reported (a warning)
 * at verification (docs/PROTOCOL.md §4.5, §8.2 step 7).
 *
 * The rule is Unicode UTS #39 §5.2, "Highly Restrictive", applied per word: the scripts of a word's
 * characters, leaving out Common and Inherited (digits, punctuation, combining marks), must be one
 * script, or be covered by Latin + Han + Hiragana + Katakana, Latin + Han + Bopomofo or
 * Latin + Han + Hangul. So "Rp.500", "Jl. Sudirman", "微信WeChat", "Москва" and Arabic names pass,
 * and "Sаntoso" (Latin + Cyrillic) and "Bοgor" with a Greek "ο" do not. Scripts are the Unicode
 * Script property (`\p{Script=…}` as the JavaScript engine knows it), written as ISO 15924 codes.
 *
 * A word is a maximal run of letters, marks, digits and format characters (\p{L}\p{M}\p{N}\p{Cf}):
 * format characters such as U+200C ZERO WIDTH NON-JOINER are invisible, so they must not split a
 * word that renders as one ("S\u200Cаntoso" is still one word). Whole-script confusables (a name
 * written entirely in Cyrillic letters that look Latin) are single-script and not detected here.
 *
 * Pure: no Node, no state beyond lazily compiled regular expressions.
 */

/** A word of display text whose letters come from scripts UTS #39 "Highly Restrictive" does not allow together. */
export interface MixedScriptWord {
  /** JSON Pointer of the string in the record ("/data/description", "/data/seizure/witnesses/0", "/late/reason"). */
  readonly path: string;
  readonly word: string;
  /** The scripts of its letters, ISO 15924 codes, most frequent first ("Latn", "Cyrl"). */
  readonly scripts: readonly string[];
  /** The letters not in its most frequent script, as "U+0430" code points, each once. */
  readonly letters: readonly string[];
}

/**
 * mixedScriptWords returns every word of `text` that mixes scripts (empty when none does). `path` is
 * copied into each result. Never throws.
 */
export function mixedScriptWords(text: string, path = ''): MixedScriptWord[] {
  if (ASCII.test(text)) return []; // ASCII letters are all Latin: the common case, decided at once
  const found: MixedScriptWord[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    if (ASCII.test(word)) continue;
    const mixed = mixedWord(word);
    if (mixed !== undefined) found.push({ path, word, ...mixed });
  }
  return found;
}

/**
 * recordMixedScriptWords returns the mixed-script words of every string in a record's display
 * text: all strings (and object member names) in `data`, and the reason of a `late` marker. Ids,
 * hashes, keys and times are ASCII by their schemas and so never mix scripts.
 */
export function recordMixedScriptWords(record: { readonly data: unknown; readonly late?: { readonly reason: string } | undefined }): MixedScriptWord[] {
  const found: MixedScriptWord[] = [];
  collect(record.data, '/data', found);
  if (record.late !== undefined) found.push(...mixedScriptWords(record.late.reason, '/late/reason'));
  return found;
}

/** isMixedScriptWord reports whether one word mixes scripts that UTS #39 "Highly Restrictive" keeps apart. */
export function isMixedScriptWord(word: string): boolean {
  return !ASCII.test(word) && mixedWord(word) !== undefined;
}

/** describeMixedScript says one finding in English, for error messages and reports. */
export function describeMixedScript(found: MixedScriptWord): string {
  const names = found.scripts.map((s) => SCRIPT_NAMES[s] ?? s).join(' and ');
  return `The text at ${found.path} mixes scripts in one word: "${found.word}" has ${names} letters (${found.letters.join(', ')}), a look-alike letter from another script?`;
}

/** mixedScriptDetails gives a finding as JSON-safe error details: path, word, scripts ("Latn+Cyrl"), letters ("U+0430"). */
export function mixedScriptDetails(found: MixedScriptWord): { path: string; word: string; scripts: string; letters: string } {
  return { path: found.path, word: found.word, scripts: found.scripts.join('+'), letters: found.letters.join(' ') };
}

// ---- helpers ----

const ASCII = /^[\x00-\x7f]*$/;
const WORD = /[\p{L}\p{M}\p{N}\p{Cf}]+/gu;
const COMMON_OR_INHERITED = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
const ASCII_LETTER = /^[A-Za-z]$/;

/** The combinations UTS #39 §5.2 "Highly Restrictive" allows besides a single script. */
const ALLOWED_SETS: readonly ReadonlySet<string>[] = [
  new Set(['Latn', 'Hani', 'Hira', 'Kana']),
  new Set(['Latn', 'Hani', 'Bopo']),
  new Set(['Latn', 'Hani', 'Hang']),
];

/** English names of the scripts a report is likely to name; others are shown by code. */
const SCRIPT_NAMES: Readonly<Record<string, string>> = {
  Latn: 'Latin', Cyrl: 'Cyrillic', Grek: 'Greek', Armn: 'Armenian', Geor: 'Georgian', Cher: 'Cherokee', Copt: 'Coptic',
  Arab: 'Arabic', Hebr: 'Hebrew', Syrc: 'Syriac', Thaa: 'Thaana', Hani: 'Han', Hira: 'Hiragana', Kana: 'Katakana',
  Hang: 'Hangul', Bopo: 'Bopomofo', Thai: 'Thai', Deva: 'Devanagari', Java: 'Javanese', Bali: 'Balinese', Sund: 'Sundanese',
  Bugi: 'Buginese', Batk: 'Batak', Zzzz: 'unknown-script',
};

/**
 * Every script of Unicode 17 but Common, Inherited and Unknown, by ISO 15924 code. A code the engine
 * does not know is skipped; letters of no known script count as the script "Zzzz" (so a Latin word
 * with one of them is still reported as mixed).
 */
const SCRIPT_CODES = (
  'Latn Cyrl Grek Arab Hani Hira Kana Hang Bopo Armn Hebr Geor Thai Deva Java Bali Sund Bugi Batk ' +
  'Adlm Aghb Ahom Armi Avst Bamu Bass Beng Berf Bhks Brah Brai Buhd Cakm Cans Cari Cham Cher Chrs Copt Cpmn Cprt ' +
  'Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Glag Gong Gonm Goth Gran Gujr Gukh Guru Hano Hatr Hluw Hmng Hmnp ' +
  'Hung Ital Kali Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka ' +
  'Mand Mani Marc Medf Mend Merc Mero Mlym Modi Mong Mroo Mtei Mult Mymr Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam ' +
  'Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti Rjng Rohg Runr Samr Sarb Saur ' +
  'Sgnw Shaw Shrd Sidd Sidt Sind Sinh Sogd Sogo Sora Soyo Sunu Sylo Syrc Tagb Takr Tale Talu Taml Tang Tavt Tayo ' +
  'Telu Tfng Tglg Thaa Tibt Tirh Tnsa Todr Tols Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb'
).split(' ');

let scriptPatterns: ReadonlyArray<readonly [string, RegExp]> | undefined;

/** patterns compiles the per-script tests on first use (most text is ASCII and never needs them). */
function patterns(): ReadonlyArray<readonly [string, RegExp]> {
  if (scriptPatterns === undefined) {
    const compiled: Array<readonly [string, RegExp]> = [];
    for (const code of SCRIPT_CODES) {
      try {
        compiled.push([code, new RegExp(`^\\p{Script=${code}}$`, 'u')]);
      } catch {
        // An engine older than this script: its letters fall to "Zzzz".
      }
    }
    scriptPatterns = compiled;
  }
  return scriptPatterns;
}

/** scriptOf returns the ISO 15924 code of one character's script, trying `hint` first. */
function scriptOf(char: string, hint: string | undefined): string {
  if (ASCII_LETTER.test(char)) return 'Latn';
  const all = patterns();
  if (hint !== undefined) {
    const hinted = all.find(([code]) => code === hint);
    if (hinted !== undefined && hinted[1].test(char)) return hint;
  }
  for (const [code, pattern] of all) if (pattern.test(char)) return code;
  return 'Zzzz';
}

/** mixedWord returns the scripts and foreign letters of `word` if it breaks the rule, else undefined. */
function mixedWord(word: string): Omit<MixedScriptWord, 'path' | 'word'> | undefined {
  const counts = new Map<string, number>();
  const letters: Array<[string, string]> = []; // [script, char] of every character with a script
  let last: string | undefined;
  for (const char of word) {
    if (COMMON_OR_INHERITED.test(char)) continue;
    last = scriptOf(char, last);
    counts.set(last, (counts.get(last) ?? 0) + 1);
    letters.push([last, char]);
  }
  if (counts.size <= 1) return undefined;
  const scripts = [...counts.keys()];
  if (ALLOWED_SETS.some((allowed) => scripts.every((s) => allowed.has(s)))) return undefined;
  scripts.sort((a, b) => counts.get(b)! - counts.get(a)!); // stable: ties keep the order first seen
  const main = scripts[0]!;
  const foreign = [...new Set(letters.filter(([s]) => s !== main).map(([, c]) => codePoint(c)))];
  return { scripts, letters: foreign };
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** collect walks a JSON value, adding the mixed-script words of every string and member name. */
function collect(value: unknown, path: string, found: MixedScriptWord[]): void {
  if (typeof value === 'string') {
    found.push(...mixedScriptWords(value, path));
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, `${path}/${i}`, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, v] of Object.entries(value)) {
      const child = `${path}/${pointerToken(name)}`;
      found.push(...mixedScriptWords(name, child));
      collect(v, child, found);
    }
  }
}

/** pointerToken escapes a member name for a JSON Pointer (RFC 6901: "~" as "~0", "/" as "~1"). */
function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
