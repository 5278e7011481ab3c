// The quality set: 60 generated reference entries (corpus-domains.ts), as Markdown, plain text and
// HTML files, and 180 questions (three per entry: exact / paraphrase / misspelled), with the scoring
// (recall@5, MRR over the top 10) for any retrieval method that returns ranked chunks.
import { engine, newPools, person, plant, ship, town, type Entry, type Question, type R } from './corpus-domains';
import { prng } from './text';

export const ENTRIES_PER_KIND = 12;

export interface CorpusDoc {
  filename: string;
  text: string;
  questions: Question[];
}

/** One typo in a name, as people make them: swapped, dropped, doubled or wrong letter. */
export function typo(rand: R, s: string): string {
  const positions = [...s].map((c, i) => (/[A-Za-z0-9]/.test(c) && i > 0 && i < s.length - 1 ? i : -1)).filter((i) => i >= 0);
  for (let attempt = 0; attempt < 20; attempt++) {
    const i = positions[Math.floor(rand() * positions.length)]!;
    const c = s[i]!;
    const op = Math.floor(rand() * 4);
    let out: string;
    if (op === 0 && /[A-Za-z0-9]/.test(s[i + 1] ?? '') && s[i + 1] !== c) out = s.slice(0, i) + s[i + 1] + c + s.slice(i + 2);
    else if (op === 1) out = s.slice(0, i) + s.slice(i + 1);
    else if (op === 2 && /[a-z]/.test(c)) out = s.slice(0, i) + c + s.slice(i);
    else if (op === 3 && /[aeiou]/.test(c)) out = s.slice(0, i) + 'aeiou'.replace(c, '')[Math.floor(rand() * 4)] + s.slice(i + 1);
    else continue;
    if (out !== s) return out;
  }
  return s.slice(0, -1);
}

function assemble(rand: R, e: Entry, i: number): CorpusDoc {
  const paragraphs = Array.from({ length: 4 + Math.floor(rand() * 5) }, () => e.filler(rand));
  // Facts go at the start of random paragraphs, in order; the first one opens the entry.
  e.facts.forEach((fact, j) => {
    const p = j === 0 ? 0 : 1 + Math.floor(rand() * (paragraphs.length - 1));
    paragraphs[p] = `${fact} ${paragraphs[p]}`;
  });
  const slug = e.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const format = i % 3;
  const text =
    format === 0
      ? `# ${e.title}\n\n${paragraphs.join('\n\n')}\n`
      : format === 1
        ? `${e.title.toUpperCase()}\n\n${paragraphs.join('\n\n')}\n`
        : `<!DOCTYPE html><html><head><title>${e.title}</title></head><body><h1>${e.title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</body></html>\n`;
  const questions = e.questions((s) => typo(rand, s));
  for (const q of questions) if (!e.facts.some((f) => f.includes(q.answer))) throw new Error(`answer not in the facts: ${q.answer}`);
  return { filename: `${slug}.${['md', 'txt', 'html'][format]}`, text, questions };
}

/** 60 documents and 180 questions, the same on every run. */
export function buildCorpus(seed = 2024): CorpusDoc[] {
  const rand = prng(seed);
  const pools = newPools();
  // Towns mention each other, ships and people mention towns: names recur across documents. The
  // filler is written at assembly, once every town has its name.
  const places: string[] = [];
  const towns = Array.from({ length: ENTRIES_PER_KIND }, () => town(rand, places, pools));
  places.push(...towns.map((t) => t.title));
  const entries = [
    ...towns,
    ...Array.from({ length: ENTRIES_PER_KIND }, () => ship(rand, places, pools)),
    ...Array.from({ length: ENTRIES_PER_KIND }, () => plant(rand, places, pools)),
    ...Array.from({ length: ENTRIES_PER_KIND }, () => engine(rand, places, pools)),
    ...Array.from({ length: ENTRIES_PER_KIND }, () => person(rand, places, pools)),
  ];
  return entries.map((e, i) => assemble(rand, e, i));
}

export interface Ranked {
  fileId: string;
  text: string;
}

export interface Scores {
  questions: number;
  recallAt5: number;
  mrr: number;
}

/** Rank (1-based) of the first result that is a chunk of the right file containing the answer; 0 if none. */
export function rankOf(results: Ranked[], fileId: string, answer: string): number {
  const i = results.findIndex((r) => r.fileId === fileId && r.text.includes(answer));
  return i < 0 ? 0 : i + 1;
}

export function score(ranks: number[]): Scores {
  const n = ranks.length;
  return {
    questions: n,
    recallAt5: ranks.filter((r) => r > 0 && r <= 5).length / n,
    mrr: ranks.reduce((s, r) => s + (r > 0 ? 1 / r : 0), 0) / n,
  };
}
