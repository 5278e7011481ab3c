/**
 * PDF text through PDF.js, as packaged by `unpdf` for serverless runtimes: PDF.js's feature test
 * finds `new Function` unavailable in Workers and falls back to interpreting (no eval, no WASM
 * compilation is needed for text). The module is imported lazily: its ~1.6 MB are evaluated only
 * by the first PDF a Worker instance parses, not at every cold start.
 *
 * Memory: PDF.js holds the whole document, so callers should bound the size of PDFs they parse.
 * Pages are read one at a time and released (`page.cleanup()`) as we go.
 */

export type PdfResult = { ok: true; text: string; pages: number } | { ok: false; message: string };

/** PDF.js's text item (`TextItem`); marked-content items have no `str`. */
interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

export function hasPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow up to 1 KB of junk (PDF 32000-1 §7.5.2 implementation note; readers allow it).
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

export async function pdfToText(bytes: Uint8Array): Promise<PdfResult> {
  if (!hasPdfHeader(bytes)) return { ok: false, message: 'File is not a valid PDF (no %PDF header).' };
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js transfers (detaches) the buffer it is given: pass a copy so the caller's bytes survive.
    pdf = await getDocumentProxy(bytes.slice(), {
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      stopAtErrors: false,
    });
  } catch (err) {
    return { ok: false, message: describePdfError(err) };
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItem[]) {
        if (item.str === undefined) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      pages.push(tidyPage(text));
      page.cleanup();
    }
    return { ok: true, text: pages.filter((p) => p !== '').join('\n\n'), pages: pdf.numPages };
  } catch (err) {
    return { ok: false, message: describePdfError(err) };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/** Runs of spaces collapse, spaces hugging line breaks go (PDF.js emits positional spacing). */
function tidyPage(text: string): string {
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function describePdfError(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'PasswordException') return 'PDF is encrypted with a password and cannot be read.';
  const message = err instanceof Error ? err.message : String(err);
  return `File is not a valid PDF: ${message}`;
}
