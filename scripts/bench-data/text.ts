// Deterministic synthetic text for the retrieval benchmark: a seeded PRNG and a Zipf-distributed
// vocabulary (common English words plus invented words), so keyword postings and vector similarity
// behave like prose at scale without shipping megabytes of text.

/** mulberry32: small, fast, seedable; the same seed gives the same text on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const COMMON = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her all she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over man ' +
  'me even most made after also did many before must through back years where much your way well down should because ' +
  'each just those people how too little state good very make world still own see men work long get here between both ' +
  'life being under never day same another know while last might us great old year off come since against go came right ' +
  'used take three water small large number river town north south east west house road market harbour mill bridge ' +
  'church school winter summer stone iron wood field valley hill coast island village county family trade ship'
).split(' ');

const ONSETS = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'g', 'gr', 'h', 'k', 'l', 'm', 'n', 'p', 'pr', 'r', 's', 'st', 't', 'th', 'tr', 'v', 'w', 'z'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'y'];
const CODAS = ['', 'n', 'r', 'l', 's', 'th', 'nd', 'rk', 'st', 'm', 'x', 'ck'];

/** An invented word of 2–3 syllables. */
export function inventWord(rand: () => number): string {
  const syllables = 2 + Math.floor(rand() * 2);
  let w = '';
  for (let i = 0; i < syllables; i++) w += pick(rand, ONSETS) + pick(rand, VOWELS) + (i === syllables - 1 ? pick(rand, CODAS) : '');
  return w;
}

/** Zipf-distributed words: rank r drawn with probability ∝ 1/r (common words first). */
export class Vocabulary {
  readonly words: string[];
  private readonly cumulative: Float64Array;

  constructor(seed: number, invented = 30_000) {
    const rand = prng(seed);
    const seen = new Set(COMMON);
    const extra: string[] = [];
    while (extra.length < invented) {
      const w = inventWord(rand);
      if (!seen.has(w)) {
        seen.add(w);
        extra.push(w);
      }
    }
    this.words = [...COMMON, ...extra];
    this.cumulative = new Float64Array(this.words.length);
    let sum = 0;
    for (let r = 0; r < this.words.length; r++) this.cumulative[r] = sum += 1 / (r + 1);
  }

  word(rand: () => number): string {
    const x = rand() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }

  sentence(rand: () => number): string {
    const n = 8 + Math.floor(rand() * 14);
    const ws = Array.from({ length: n }, () => this.word(rand));
    return `${ws[0]![0]!.toUpperCase()}${ws.join(' ').slice(1)}.`;
  }

  /** About `words` words of sentences. */
  paragraph(rand: () => number, words: number): string {
    const out: string[] = [];
    let n = 0;
    while (n < words) {
      const s = this.sentence(rand);
      out.push(s);
      n += s.split(' ').length;
    }
    return out.join(' ');
  }
}
