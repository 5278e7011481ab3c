/**
 * The retrieval quality benchmark's labelled set, from the manual pages installed on this machine
 * (section 1, /usr/share/man/man1): each page becomes one document WITHOUT its NAME section, and the
 * NAME line's one-line description ("tar - an archiving utility") becomes a query whose one relevant
 * document is that page. Queries are written from one part of a page, answers live in another, so
 * matching takes more than finding the same sentence. Two query kinds:
 *   description  the NAME description as written (shares some words with the body, typically);
 *   paraphrase   the same with content words replaced by WordNet synonyms (wordnet.ts), so keyword
 *                overlap is not the whole story.
 * Pages are taken in file-name order; deterministic for a given set of installed packages.
 */
import { pageFiles, pageName, readManPage, sectionsOf } from './man-pages';
import { WordNet } from './wordnet';

export interface ManDoc {
  filename: string;
  text: string;
}

export interface LabelledQuery {
  kind: 'description' | 'paraphrase';
  query: string;
  /** Index into the documents of the one relevant page. */
  doc: number;
}

const STOP = new Set('a an and are as at be by for from in into is it of on or the to with without that this its via your you'.split(' '));

export interface ManCorpusOptions {
  /** Pages (documents) to take; default 400. */
  pages?: number;
  /** Characters of a page's body kept (bounds embedding time on long pages); default 6000. */
  maxChars?: number;
}

export function buildManCorpus({ pages = 400, maxChars = 6000 }: ManCorpusOptions = {}) {
  const wordnet = new WordNet();
  const docs: ManDoc[] = [];
  const queries: LabelledQuery[] = [];
  const seen = new Set<string>();
  let replaced = 0;
  let content = 0;
  for (const file of pageFiles('/usr/share/man/man1')) {
    if (docs.length >= pages) break;
    const text = readManPage(file);
    if (!text) continue;
    const name = pageName(file);
    const sections = sectionsOf(name, text);
    const nameSection = sections.find((s) => s.heading === 'NAME');
    const description = nameSection?.text.split(/\s+[-\\]+\s+/).slice(1).join(' - ').replace(/\s+/g, ' ').trim();
    const body = sections.filter((s) => s.heading !== 'NAME').map((s) => `${s.heading}\n${s.text}`).join('\n\n').slice(0, maxChars);
    // Distinct descriptions only (aliases share one page), at least three words, and a real body.
    if (!description || description.split(' ').length < 3 || body.length < 800 || seen.has(description.toLowerCase())) continue;
    seen.add(description.toLowerCase());
    const doc = docs.length;
    docs.push({ filename: `${name}.txt`, text: body });
    queries.push({ kind: 'description', query: description, doc });
    const words = description.split(' ').map((w) => {
      const bare = w.toLowerCase().replace(/[^a-z]/g, '');
      // Names and acronyms (GNU, APT, X11) stay: a user would type them too.
      if (bare.length < 3 || STOP.has(bare) || /[A-Z]/.test(w)) return w;
      content += 1;
      const syn = wordnet.synonym(bare);
      if (!syn) return w;
      replaced += 1;
      return syn;
    });
    queries.push({ kind: 'paraphrase', query: words.join(' '), doc });
  }
  return { docs, queries, replacedShare: content ? replaced / content : 0 };
}
