/**
 * Token estimates for budgeting (`max_prompt_tokens`, `truncation_strategy: auto`) and chunking.
 * Exact counts depend on each provider's tokenizer, which is too large to ship in the Worker; billing
 * figures (`usage`) always come from the upstream's own counts, never from this estimate.
 *
 * Why not "4 characters a token": that holds for English prose only. Against OpenAI's o200k_base
 * BPE it counts Chinese, Japanese and Korean about 2× low, Hindi, Thai or Tamil several times low and
 * JSON/code 1.5× low. Instead each character costs a fraction of a token by its class (script,
 * digit, punctuation, whitespace; a whitespace run costs where it starts); the
 * fractions were fitted against o200k_base on text in 18 languages, code and JSON taken from Debian
 * packages. Measured error by category: `npm run bench:tokens` (README, retrieval).
 */

/** Kept for callers that need a characters↔tokens ratio for English-like text (embedder input cut-offs). */
export const CHARS_PER_TOKEN = 4;
/** Chat formats add a few tokens of framing per message. */
export const TOKENS_PER_MESSAGE = 4;
/** OpenAI's vision pricing: a low-detail image is 85 tokens; a typical auto/high one ~765. */
export const IMAGE_TOKENS = { low: 85, other: 765 } as const;

/** Character classes of the estimate, in the order of TOKEN_COSTS. */
export const TOKEN_CLASSES = [
  'asciiLetter', // every ASCII letter
  'digit',
  'punct', // ASCII punctuation and symbols
  'spaceRun', // start of a whitespace run other than one plain space (newlines, indentation)
  'latinExt', // accented Latin letters (U+00C0–U+024F, U+1E00–U+1EFF)
  'cyrGreek', // Cyrillic, Greek
  'arabicHebrew',
  'indic', // Devanagari … Malayalam, Sinhala
  'thai',
  'cjk', // Han ideographs
  'kana',
  'hangul',
  'other', // anything else: other scripts, symbols, emoji, full-width punctuation
] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/**
 * Tokens per character of each class, fitted (least squares on relative error) against o200k_base by
 * scripts/bench-tokens.ts, which prints the fit and the error per category.
 */
export const TOKEN_COSTS: Readonly<Record<TokenClass, number>> = {
  asciiLetter: 0.241,
  digit: 0.589,
  punct: 0.393,
  spaceRun: 1.592,
  latinExt: 0.889,
  cyrGreek: 0.356,
  arabicHebrew: 0.442,
  indic: 0.428,
  thai: 0.473,
  cjk: 0.761,
  kana: 0.702,
  hangul: 0.753,
  other: 0.339,
};

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

const CLASS_INDEX = Object.fromEntries(TOKEN_CLASSES.map((k, i) => [k, i])) as Record<TokenClass, number>;
const NONE = -1;
/** Class of each ASCII code (spaces are handled apart: their class depends on the neighbours). */
const ASCII_CLASS = Int8Array.from({ length: 128 }, (_, c) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? CLASS_INDEX.asciiLetter : c >= 48 && c <= 57 ? CLASS_INDEX.digit : CLASS_INDEX.punct,
);
const COSTS = Float64Array.from(TOKEN_CLASSES, (k) => TOKEN_COSTS[k]);

/**
 * Index (into TOKEN_CLASSES) of the class of the character at `i`, or -1 for one that merges into a
 * neighbour's token: a single space before a word (BPE vocabularies fold it into the word), the
 * later characters of a whitespace run, and the low half of a surrogate pair.
 */
export function classIndexAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) {
    if (!isSpace(c)) return ASCII_CLASS[c]!;
    if (i > 0 && isSpace(text.charCodeAt(i - 1))) return NONE;
    return c === 32 && !isSpace(text.charCodeAt(i + 1)) ? NONE : CLASS_INDEX.spaceRun;
  }
  if (c >= 0xdc00 && c <= 0xdfff) return NONE;
  if ((c >= 0xc0 && c <= 0x24f) || (c >= 0x1e00 && c <= 0x1eff)) return CLASS_INDEX.latinExt;
  if (c >= 0x370 && c <= 0x52f) return CLASS_INDEX.cyrGreek;
  if (c >= 0x590 && c <= 0x6ff) return CLASS_INDEX.arabicHebrew;
  if (c >= 0x900 && c <= 0xdff) return CLASS_INDEX.indic;
  if (c >= 0xe00 && c <= 0xe7f) return CLASS_INDEX.thai;
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) return CLASS_INDEX.cjk;
  if (c >= 0x3040 && c <= 0x30ff) return CLASS_INDEX.kana;
  if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)) return CLASS_INDEX.hangul;
  if (c === 0xa0) return CLASS_INDEX.spaceRun;
  return CLASS_INDEX.other;
}

/** Estimated tokens of the character at `i` (0 for one that merges into a neighbour's token). */
export function tokenCostAt(text: string, i: number): number {
  const k = classIndexAt(text, i);
  return k === NONE ? 0 : COSTS[k]!;
}

/** Per-class character counts of a text (the features the costs were fitted on). */
export function tokenFeatures(text: string): Record<TokenClass, number> {
  const counts = new Array<number>(TOKEN_CLASSES.length).fill(0);
  for (let i = 0; i < text.length; i++) {
    const k = classIndexAt(text, i);
    if (k !== NONE) counts[k]! += 1;
  }
  return Object.fromEntries(TOKEN_CLASSES.map((k, i) => [k, counts[i]!])) as Record<TokenClass, number>;
}

export function estimateTextTokens(text: string): number {
  let total = 0;
  for (let i = 0; i < text.length; i++) total += tokenCostAt(text, i);
  // The epsilon absorbs float rounding, so sums taken in another order (chunking) agree.
  return Math.max(0, Math.ceil(total - 1e-9));
}
