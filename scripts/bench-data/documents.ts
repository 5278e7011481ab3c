// Mixed documents for the ingestion run: plain text, Markdown, HTML, CSV, JSON, PDF and DOCX, built in
// memory from the Zipf vocabulary (text.ts) to about `totalBytes` in all. PDF and DOCX come from the
// parser tests' byte-level builders (test/unit/retrieval/fixtures.ts).
import { buildDocx, buildPdf, wParagraph } from '../../test/unit/retrieval/fixtures';
import { prng, Vocabulary } from './text';

export interface BenchFile {
  name: string;
  bytes: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Paragraphs of prose until `bytes` characters. */
function prose(vocab: Vocabulary, rand: () => number, bytes: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < bytes; ) {
    const p = vocab.paragraph(rand, 60 + Math.floor(rand() * 120));
    out.push(p);
    n += p.length + 2;
  }
  return out;
}

const heading = (vocab: Vocabulary, rand: () => number) => {
  const t = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => vocab.word(rand)).join(' ');
  return t[0]!.toUpperCase() + t.slice(1);
};

const BUILDERS: Record<string, (vocab: Vocabulary, rand: () => number, size: number) => Uint8Array> = {
  txt: (v, r, size) => utf8(prose(v, r, size).join('\n\n')),
  md: (v, r, size) =>
    utf8(
      prose(v, r, size)
        .map((p, i) => (i % 4 === 0 ? `## ${heading(v, r)}\n\n${p}` : i % 7 === 3 ? p.split('. ').map((s) => `- ${s}`).join('\n') : p))
        .join('\n\n'),
    ),
  html: (v, r, size) =>
    utf8(
      `<!DOCTYPE html><html><head><title>${heading(v, r)}</title><style>p{margin:0}</style></head><body>` +
        prose(v, r, size)
          .map((p, i) => (i % 5 === 0 ? `<h2>${escapeHtml(heading(v, r))}</h2>` : '') + `<p>${escapeHtml(p)}</p>`)
          .join('\n') +
        '</body></html>',
    ),
  csv: (v, r, size) => {
    const rows = ['id,name,region,year,description'];
    for (let n = 0, id = 1; n < size; id++) {
      const row = `${id},${heading(v, r)},${v.word(r)},${1700 + Math.floor(r() * 300)},"${v.sentence(r).replace(/"/g, '""')}"`;
      rows.push(row);
      n += row.length + 1;
    }
    return utf8(rows.join('\n'));
  },
  json: (v, r, size) => {
    const records = [];
    for (let n = 0, id = 1; n < size; id++) {
      const rec = { id, title: heading(v, r), tags: [v.word(r), v.word(r)], summary: v.sentence(r), body: v.paragraph(r, 40) };
      records.push(rec);
      n += JSON.stringify(rec).length + 2;
    }
    return utf8(JSON.stringify(records, null, 1));
  },
  pdf: (v, r, size) => {
    // Lines of ~90 characters, 50 to a page; PDF literal strings want Latin-1 only (the vocabulary is ASCII).
    const words = prose(v, r, size).join(' ').split(' ');
    const lines: string[] = [];
    for (let line = ''; words.length; ) {
      line += `${words.shift()} `;
      if (line.length > 90 || !words.length) {
        lines.push(line.trim());
        line = '';
      }
    }
    const pages = [];
    for (let i = 0; i < lines.length; i += 50) pages.push(lines.slice(i, i + 50));
    return buildPdf(pages, { compress: true });
  },
  docx: (v, r, size) => buildDocx(prose(v, r, size).map((p) => wParagraph(p)).join('')),
};

/** Sizes of source text per file (the PDF's and DOCX's compressed bytes are smaller). */
const MIX: [ext: keyof typeof BUILDERS, share: number][] = [
  ['txt', 0.2], ['md', 0.2], ['html', 0.2], ['csv', 0.1], ['json', 0.1], ['pdf', 0.1], ['docx', 0.1],
];

export function ingestionFiles(totalBytes: number, seed = 7): BenchFile[] {
  const vocab = new Vocabulary(seed);
  const rand = prng(seed);
  const files: BenchFile[] = [];
  const perFile = 160 * 1024;
  for (const [ext, share] of MIX) {
    const count = Math.max(1, Math.round((totalBytes * share) / perFile));
    for (let i = 0; i < count; i++) files.push({ name: `doc-${ext}-${i}.${ext}`, bytes: BUILDERS[ext]!(vocab, rand, (totalBytes * share) / count) });
  }
  return files;
}
