// Mixed-script words (text.ts, UTS #39 §5.2 "Highly Restrictive" per word), with real confusables:
// Cyrillic а е о р с and Greek ο inside Latin words, and the mixtures the rule allows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeMixedScript, isMixedScriptWord, mixedScriptDetails, mixedScriptWords, recordMixedScriptWords } from '@custody/core';

/** Latin words with one Cyrillic or Greek letter that looks exactly like the Latin one. */
const CONFUSABLES: ReadonlyArray<readonly [text: string, letter: string, scripts: string]> = [
  ['S\u0430ntoso', 'U+0430', 'Latn+Cyrl'], // Cyrillic а
  ['Wulandar\u0456', 'U+0456', 'Latn+Cyrl'], // Cyrillic і (Ukrainian)
  ['M\u0435dan', 'U+0435', 'Latn+Cyrl'], // Cyrillic е
  ['B\u043Egor', 'U+043E', 'Latn+Cyrl'], // Cyrillic о
  ['\u0440olda', 'U+0440', 'Latn+Cyrl'], // Cyrillic р, "polda"
  ['Mabes \u0441yber', 'U+0441', 'Latn+Cyrl'], // Cyrillic с
  ['\u0405GL-000417', 'U+0405', 'Latn+Cyrl'], // Cyrillic Ѕ in a seal number
  ['B\u03BFgor', 'U+03BF', 'Latn+Grek'], // Greek ο
  ['\u039Cakassar', 'U+039C', 'Latn+Grek'], // Greek Μ
];

test('a Latin word with one Cyrillic or Greek look-alike letter mixes scripts, and the letter is named', () => {
  for (const [text, letter, scripts] of CONFUSABLES) {
    const found = mixedScriptWords(text, '/data/description');
    assert.is(found.length, 1, text);
    const details = mixedScriptDetails(found[0]!);
    assert.is(details.path, '/data/description');
    assert.is(details.scripts, scripts, text);
    assert.is(details.letters, letter, text);
    assert.ok(text.includes(details.word), `${text}: the word is part of the text`);
    assert.ok(isMixedScriptWord(details.word), text);
  }
});

test('only the mixed word is reported, not its neighbours', () => {
  const found = mixedScriptWords('Budi S\u0430ntoso, Jl. Sudirman No. 5', '/data/name');
  assert.equal(found.map((f) => f.word), ['S\u0430ntoso']);
  assert.equal(found[0]!.scripts, ['Latn', 'Cyrl'], 'the main script first');
});

test('an invisible joiner does not split a word: S + ZWNJ + а + ZWNJ + ntoso still mixes scripts', () => {
  for (const text of ['S\u200C\u0430ntoso', 'S\u200C\u0430\u200Cntoso', 'S\u200D\u0430ntoso', 'S\u00AD\u0430ntoso', 'S\u2060\u0430ntoso']) {
    assert.is(mixedScriptWords(text).length, 1, JSON.stringify(text));
  }
});

test('text UTS #39 "Highly Restrictive" allows is not reported', () => {
  const allowed = [
    'Rp.500', // Latin, punctuation, digits
    'Jl. Sudirman', // two Latin words
    'Rp 1.500.000,00',
    '微信WeChat', // Han + Latin
    'ですWeChat漢字', // Hiragana + Latin + Han
    'カメラCanon', // Katakana + Latin
    '한국Korea', // Hangul + Latin
    'ㄅㄆ中文ABC', // Bopomofo + Han + Latin
    'Москва', // Cyrillic alone
    'Ἀθῆναι', // Greek alone, with combining accents
    'محمد عبد الله', // Arabic
    'محمد٢٠٢٦', // Arabic letters with Arabic-Indic digits
    'עברית', // Hebrew
    'ꦗꦮ', // Javanese
    'café', 'Müller', 'Nguyễn', 'São Paulo', // Latin with diacritics (precomposed)
    'cafe\u0301', // Latin with a combining mark (Inherited)
    'Ｓantoso', // a fullwidth Latin S is still Latin
    'BB/017/XI/2026', 'LP/B/0123/XI/2026/SPKT/Bareskrim Polri',
    'Москва Jakarta', // two words, each of one script
  ];
  for (const text of allowed) assert.equal(mixedScriptWords(text), [], text);
});

test('mixtures outside the allowed sets are reported: Cyrillic with Greek, Hangul with Hiragana, Arabic with Latin', () => {
  for (const [text, scripts] of [['Мοсква', 'Cyrl+Grek'], ['한국です', 'Hang+Hira'], ['محمدx', 'Arab+Latn']] as const) {
    const found = mixedScriptWords(text);
    assert.is(found.length, 1, text);
    assert.is(mixedScriptDetails(found[0]!).scripts, scripts, text);
  }
});

test('a limit of the per-word rule: a look-alike letter among digits only is a word of one script', () => {
  // "000Ѕ" is Cyrillic plus digits (Common): UTS #39 sees one script. Documented in PROTOCOL.md §4.5.
  assert.equal(mixedScriptWords('SGL-000\u0405'), []);
});

test('recordMixedScriptWords walks every string of data, member names included, and a late reason, by JSON Pointer', () => {
  const found = recordMixedScriptWords({
    data: {
      description: 'Ponsel Samsung',
      seizure: { authority: 'SP.Sita/45', witnesses: ['Ahmad', 'R\u0456na'] },
      identifiers: { 'im\u0435i': '3520990' },
      size: 6,
    },
    late: { reason: 'Sist\u0435m mati' },
  });
  assert.equal(
    found.map((f) => [f.path, f.word]),
    [
      ['/data/seizure/witnesses/1', 'R\u0456na'],
      ['/data/identifiers/im\u0435i', 'im\u0435i'],
      ['/late/reason', 'Sist\u0435m'],
    ],
  );
});

test('describeMixedScript names the scripts and the foreign letter', () => {
  const text = describeMixedScript(mixedScriptWords('S\u0430ntoso', '/data/name')[0]!);
  assert.ok(text.includes('/data/name') && text.includes('Latin and Cyrillic') && text.includes('U+0430'), text);
});

test.run();
