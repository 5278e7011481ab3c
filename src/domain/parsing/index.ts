import { extensionOf, formatFor, looksBinary, type Format } from './formats';
import { htmlToText } from './html';
import { docxToText, isZip, pptxToText, zipEntryNames } from './ooxml';
import { hasPdfHeader, pdfToText } from './pdf';
import { delimitedToText, jsonToText } from './structured';
import { decodeText } from './text';

/**
 * File → text for file_search ingestion. Failures carry the codes of a vector-store file's
 * `last_error`: `unsupported_file` (a type we do not read: images, archives, executables, legacy
 * binary Office files) and `invalid_file` (a type we read, but these bytes are not a valid instance
 * of it: a corrupt PDF, a broken DOCX, binary bytes in a `.txt`).
 *
 * Output text uses `\n` line breaks, keeps paragraph breaks as blank lines (the chunker prefers to
 * cut there), and is otherwise what a reader would see.
 */
export type ParseResult =
  | { ok: true; text: string }
  | { ok: false; code: 'unsupported_file' | 'invalid_file'; message: string };

export { formatFor, extensionOf } from './formats';

export async function extractText(bytes: Uint8Array, filename: string, mimeType: string): Promise<ParseResult> {
  let format: Format = formatFor(filename, mimeType);
  if (format === 'sniff') format = sniff(bytes);
  switch (format) {
    case 'unsupported':
      return unsupported(filename);
    case 'pdf': {
      const r = await pdfToText(bytes);
      if (!r.ok) return invalid(r.message);
      // A PDF whose pages are images (a scan) has no text layer; say so instead of indexing nothing.
      if (r.text.trim() === '' && r.pages > 0) {
        return invalid('No text could be extracted from the PDF (it may contain only scanned images).');
      }
      return { ok: true, text: r.text };
    }
    case 'docx': {
      if (!isZip(bytes)) return invalid('File is not a valid Word document (not a zip archive).');
      const r = docxToText(bytes);
      return r.ok ? r : invalid(r.message);
    }
    case 'pptx': {
      if (!isZip(bytes)) return invalid('File is not a valid PowerPoint presentation (not a zip archive).');
      const r = pptxToText(bytes);
      return r.ok ? r : invalid(r.message);
    }
    case 'sniff':
      return unsupported(filename); // unreachable: sniff() never answers 'sniff'
    default:
      return textual(bytes, format);
  }
}

/** Text-based formats: decode, then render by format. */
function textual(bytes: Uint8Array, format: 'text' | 'html' | 'json' | 'csv' | 'tsv'): ParseResult {
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    return invalid(
      decoded.reason === 'binary'
        ? 'File contains binary data, not text.'
        : 'File is not valid text (it is not UTF-8, UTF-16 or Windows-1252 encoded).',
    );
  }
  const text = decoded.text;
  switch (format) {
    case 'html':
      return { ok: true, text: htmlToText(text) };
    case 'json': {
      const r = jsonToText(text);
      return r.ok ? r : invalid(r.message);
    }
    case 'csv':
      return { ok: true, text: delimitedToText(text) };
    case 'tsv':
      return { ok: true, text: delimitedToText(text, '\t') };
    default:
      return { ok: true, text };
  }
}

/** An unknown extension and MIME type: the bytes decide. */
function sniff(bytes: Uint8Array): Format {
  if (hasPdfHeader(bytes)) return 'pdf';
  if (isZip(bytes)) {
    const names = zipEntryNames(bytes) ?? [];
    if (names.includes('word/document.xml')) return 'docx';
    if (names.includes('ppt/presentation.xml')) return 'pptx';
    return 'unsupported';
  }
  if (looksBinary(bytes)) return 'unsupported';
  const head = bytes.subarray(0, 512);
  const start = String.fromCharCode(...head).trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  // Binary data that is not text at all is an unsupported type, not a broken text file.
  return decodeText(bytes).ok ? 'text' : 'unsupported';
}

function unsupported(filename: string): ParseResult {
  const ext = extensionOf(filename);
  return {
    ok: false,
    code: 'unsupported_file',
    message: ext
      ? `Files with extension [.${ext}] are not supported for file search.`
      : 'The file type is not supported for file search.',
  };
}

function invalid(message: string): ParseResult {
  return { ok: false, code: 'invalid_file', message };
}
