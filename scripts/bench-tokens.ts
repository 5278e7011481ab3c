// `npm run bench:tokens`: how far the token estimates of src/domain/tokens.ts are from OpenAI's real
// BPE tokenizers (o200k_base: GPT-4o and later; cl100k_base: GPT-4/3.5 and text-embedding-3), per
// category of text (18 languages, Python, C, JSON; scripts/bench-data/token-corpus.ts). Not a test:
// it prints figures. It also refits the per-class costs on half of the samples (the other half is
// where the errors are measured) and prints them, so TOKEN_COSTS can be checked or updated.
//   BENCH_TOKEN_SAMPLES  samples per category (default 40)
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTextTokens, TOKEN_CLASSES, TOKEN_COSTS, tokenFeatures, type TokenClass } from '../src/domain/tokens';
import { tokenSamples } from './bench-data/token-corpus';

const PER = Number(process.env.BENCH_TOKEN_SAMPLES ?? 40);

interface Row {
  category: string;
  o200k: number;
  cl100k: number;
  chars4: number;
  estimate: number;
  fitted: number;
  features: number[];
  train: boolean;
}

/** Weighted least squares minimising relative error, costs kept ≥ 0 (active-set: drop negatives, refit). */
function fit(rows: Row[]): number[] {
  const n = TOKEN_CLASSES.length;
  let active = new Set(TOKEN_CLASSES.map((_, i) => i));
  for (;;) {
    const idx = [...active];
    const A = idx.map(() => new Array<number>(idx.length).fill(0));
    const b = new Array<number>(idx.length).fill(0);
    for (const r of rows) {
      const w = 1 / (r.o200k * r.o200k);
      idx.forEach((i, a) => {
        b[a]! += w * r.features[i]! * r.o200k;
        idx.forEach((j, c) => (A[a]![c]! += w * r.features[i]! * r.features[j]!));
      });
    }
    idx.forEach((_, a) => (A[a]![a]! += 1e-9)); // classes absent from the samples
    const x = solve(A, b);
    const negative = idx.filter((_, a) => x[a]! < 0);
    if (negative.length === 0) {
      const out = new Array<number>(n).fill(0);
      idx.forEach((i, a) => (out[i] = x[a]!));
      return out;
    }
    active = new Set(idx.filter((i) => !negative.includes(i)));
  }
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c || M[c]![c] === 0) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => (row[i] === 0 ? 0 : row[n]! / row[i]!));
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`.padStart(6);

function summary(rows: Row[], key: 'chars4' | 'estimate' | 'fitted', ref: 'o200k' | 'cl100k') {
  const errs = rows.map((r) => r[key] / r[ref] - 1);
  const bias = errs.reduce((a, b) => a + b, 0) / errs.length;
  const mae = errs.reduce((a, b) => a + Math.abs(b), 0) / errs.length;
  const worst = errs.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
  return { bias, mae, worst };
}

function main() {
  const samples = tokenSamples(PER);
  const rows: Row[] = samples.map((s, i) => {
    const f = tokenFeatures(s.text);
    return {
      category: s.category,
      o200k: o200k(s.text).length,
      cl100k: cl100k(s.text).length,
      chars4: Math.ceil(s.text.length / 4),
      estimate: estimateTextTokens(s.text),
      fitted: 0,
      features: TOKEN_CLASSES.map((k) => f[k]),
      train: i % 2 === 0,
    };
  });
  const costs = fit(rows.filter((r) => r.train));
  for (const r of rows) r.fitted = Math.ceil(r.features.reduce((a, x, i) => a + x * costs[i]!, 0));
  const test = rows.filter((r) => !r.train);
  const categories = [...new Set(test.map((r) => r.category))];
  console.log(`\ntoken estimates vs OpenAI's BPE (held-out half: ${test.length} samples of ~2,000 characters; error = estimate / real − 1)`);
  console.log(`${'category'.padEnd(13)} n   chars/tok  | 4-chars rule vs o200k   | TOKEN_COSTS vs o200k     | TOKEN_COSTS vs cl100k`);
  console.log(`${''.padEnd(13)}     (o200k)    | bias    mean|e|  worst  | bias    mean|e|  worst   | bias    mean|e|`);
  const line = (label: string, rs: Row[]) => {
    const cpt = rs.reduce((a, r) => a + r.chars4 * 4, 0) / rs.reduce((a, r) => a + r.o200k, 0);
    const a = summary(rs, 'chars4', 'o200k');
    const b = summary(rs, 'estimate', 'o200k');
    const c = summary(rs, 'estimate', 'cl100k');
    console.log(
      `${label.padEnd(13)}${String(rs.length).padStart(3)}  ${cpt.toFixed(2).padStart(6)}     |${pct(a.bias)} ${pct(a.mae)}  ${pct(a.worst)}  |${pct(b.bias)} ${pct(b.mae)}  ${pct(b.worst)}   |${pct(c.bias)} ${pct(c.mae)}`,
    );
  };
  for (const cat of categories) line(cat, test.filter((r) => r.category === cat));
  line('ALL', test);
  const refit = summary(test, 'fitted', 'o200k');
  console.log(`\nrefit on the other half (compare with TOKEN_COSTS; mean|e| of the refit on held-out: ${pct(refit.mae)}, bias ${pct(refit.bias)}):`);
  console.log(`  { ${TOKEN_CLASSES.map((k, i) => `${k}: ${Number(costs[i]!.toFixed(3))}`).join(', ')} }`);
  console.log(`  current: { ${TOKEN_CLASSES.map((k) => `${k}: ${TOKEN_COSTS[k as TokenClass]}`).join(', ')} }`);
}

main();
