/**
 * Synonyms from WordNet 3.0 (Princeton; Debian package `wordnet-base`, /usr/share/wordnet), to
 * paraphrase benchmark queries mechanically: each content word is replaced by another lemma of its
 * most frequent sense. The result reads like a user who does not know the manual's vocabulary
 * ("delete folder" for "remove directory"), which is the case keyword search cannot serve.
 */
import { existsSync, openSync, readFileSync, readSync } from 'node:fs';

export const WORDNET_DIR = '/usr/share/wordnet';
const POS = ['verb', 'noun', 'adj', 'adv'] as const;
type Pos = (typeof POS)[number];

interface IndexEntry {
  pos: Pos;
  tagged: number;
  offsets: number[];
}

export class WordNet {
  private readonly index = new Map<string, IndexEntry[]>();
  private readonly exceptions = new Map<string, string>();
  private readonly fds = new Map<Pos, number>();

  constructor(dir = WORDNET_DIR) {
    if (!existsSync(`${dir}/index.noun`)) throw new Error(`WordNet not found in ${dir}: install the Debian package wordnet-base`);
    for (const pos of POS) {
      for (const line of readFileSync(`${dir}/index.${pos}`, 'utf8').split('\n')) {
        if (line.startsWith(' ') || line === '') continue;
        const f = line.trim().split(' ');
        const synsets = Number(f[2]);
        const pointers = Number(f[3]);
        const tagged = Number(f[5 + pointers]);
        const offsets = f.slice(6 + pointers, 6 + pointers + synsets).map(Number);
        const list = this.index.get(f[0]!) ?? [];
        list.push({ pos, tagged, offsets });
        this.index.set(f[0]!, list);
      }
      for (const line of readFileSync(`${dir}/${pos}.exc`, 'utf8').split('\n')) {
        const [inflected, base] = line.split(' ');
        if (inflected && base && !this.exceptions.has(inflected)) this.exceptions.set(inflected, base);
      }
      this.fds.set(pos, openSync(`${dir}/data.${pos}`, 'r'));
    }
  }

  /** The base form WordNet knows: irregular forms, then plain suffix rules (WordNet's morphy, reduced). */
  lemma(word: string): string | null {
    const w = word.toLowerCase();
    if (this.index.has(w)) return w;
    const exc = this.exceptions.get(w);
    if (exc && this.index.has(exc)) return exc;
    for (const [suffix, repl] of [['ies', 'y'], ['es', ''], ['s', ''], ['ing', ''], ['ing', 'e'], ['ed', ''], ['ed', 'e'], ['er', ''], ['est', '']]) {
      if (w.endsWith(suffix!) && w.length > suffix!.length + 2) {
        const base = w.slice(0, -suffix!.length) + repl;
        if (this.index.has(base)) return base;
      }
    }
    return null;
  }

  /** Lemmas of a synset (underscores for spaces in multi-word lemmas). */
  private synset(pos: Pos, offset: number): string[] {
    const buf = Buffer.alloc(4096);
    const n = readSync(this.fds.get(pos)!, buf, 0, buf.length, offset);
    const f = buf.subarray(0, n).toString('utf8').split('\n')[0]!.split(' ');
    const count = parseInt(f[3]!, 16);
    return Array.from({ length: count }, (_, i) => f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
  }

  /**
   * A one-word synonym of `word` in its most frequent part of speech (by tagged sense count), from
   * its first senses in frequency order; null when WordNet has none.
   */
  synonym(word: string): string | null {
    const lemma = this.lemma(word);
    if (!lemma) return null;
    const entries = [...this.index.get(lemma)!].sort((a, b) => b.tagged - a.tagged);
    for (const e of entries.slice(0, 1)) {
      for (const offset of e.offsets.slice(0, 2)) {
        const other = this.synset(e.pos, offset).find((l) => l !== lemma && !l.includes('_') && !l.includes(lemma) && !lemma.includes(l));
        if (other) return other;
      }
    }
    return null;
  }
}
