/**
 * Samples for measuring token estimates against a real BPE tokenizer (scripts/bench-tokens.ts): text
 * in many scripts and formats, all from installed Debian packages (no download): translated manual
 * pages (/usr/share/man/<lang>), gettext catalogues (/usr/share/locale/<lang>, read with msgunfmt),
 * Python and C sources, JSON files and CSV tables. Each sample is 1,000–3,000 characters.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageFiles, readManPage } from './man-pages';

export interface Sample {
  category: string;
  text: string;
}

const SAMPLE_CHARS = 2000;

function slices(text: string, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1000 <= text.length && out.length < max; i += SAMPLE_CHARS) out.push(text.slice(i, i + SAMPLE_CHARS));
  return out;
}

function fromFiles(category: string, files: string[], read: (f: string) => string | null, perFile: number, total: number): Sample[] {
  const out: Sample[] = [];
  for (const f of files) {
    if (out.length >= total) break;
    let text: string | null = null;
    try {
      text = read(f);
    } catch {
      continue;
    }
    if (text) for (const t of slices(text, perFile)) out.push({ category, text: t });
  }
  return out.slice(0, total);
}

/** msgstr strings of a .mo catalogue (translations), joined as paragraphs. */
function catalogue(path: string): string {
  const po = execFileSync('msgunfmt', [path], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const strings = [...po.matchAll(/^msgstr(?:\[\d\])? "(.*)"$((?:\n".*")*)/gm)].map((m) =>
    (m[1]! + m[2]!.replace(/\n"(.*)"/g, '$1')).replace(/\\n/g, '\n').replace(/\\"/g, '"'),
  );
  return strings.filter((s) => s.trim() !== '').join('\n\n');
}

const list = (dir: string, re: RegExp) => (existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => join(dir, f)) : []);

export function tokenSamples(perCategory = 40): Sample[] {
  const samples: Sample[] = [];
  const man = (lang: string) => pageFiles(lang === 'en' ? '/usr/share/man/man1' : `/usr/share/man/${lang}/man1`);
  for (const lang of ['en', 'de', 'fr', 'es', 'pl', 'ru', 'uk', 'ja', 'zh_CN', 'ko']) {
    samples.push(...fromFiles(`man:${lang}`, man(lang), readManPage, 2, perCategory));
  }
  for (const lang of ['ar', 'he', 'hi', 'th', 'el', 'vi', 'bn', 'ta']) {
    samples.push(...fromFiles(`po:${lang}`, list(`/usr/share/locale/${lang}/LC_MESSAGES`, /\.mo$/), catalogue, 2, perCategory));
  }
  const py = list('/usr/lib/python3.11', /\.py$/);
  samples.push(...fromFiles('code:python', py, (f) => readFileSync(f, 'utf8'), 2, perCategory));
  samples.push(...fromFiles('code:c', list('/usr/include', /\.h$/), (f) => readFileSync(f, 'utf8'), 2, perCategory));
  const json = execFileSync('find', ['/usr/share', '-name', '*.json', '-size', '+2k'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  samples.push(...fromFiles('json', json, (f) => readFileSync(f, 'utf8'), 2, perCategory));
  // Number-heavy tables (matplotlib's sample data, python3-matplotlib).
  const csv = execFileSync('find', ['/usr/share', '-name', '*.csv', '-size', '+2k'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  samples.push(...fromFiles('csv', csv, (f) => readFileSync(f, 'utf8'), 4, perCategory));
  return samples;
}
