import { decodeEntities } from './entities';

/**
 * HTML → plain text for retrieval: what a reader sees, in reading order, with block structure kept
 * as line breaks (chunking prefers to cut there) and everything else dropped. A single linear scan,
 * not a DOM: Workers have no DOMParser, a real HTML parser is large, and retrieval needs only
 * text and paragraph boundaries. Tolerant of broken markup (unclosed tags, stray `<`).
 */

/** Elements whose content is never shown as text. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'select', 'math']);
/** Elements after/before which a paragraph break (blank line) belongs. */
const PARAGRAPH = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'title', 'table', 'ul', 'ol', 'dl', 'pre', 'blockquote', 'figure',
  'section', 'article', 'header', 'footer', 'nav', 'aside', 'main', 'form', 'fieldset', 'details', 'address', 'hr',
]);
/** Elements that start a new line. */
const LINE = new Set([
  'div', 'br', 'li', 'tr', 'dt', 'dd', 'figcaption', 'caption', 'summary', 'legend', 'option', 'body', 'html', 'head',
  'label', 'textarea', 'center',
]);
/** Elements whose whitespace is significant. */
const PREFORMATTED = new Set(['pre', 'textarea', 'listing', 'plaintext', 'xmp']);

/** A tag: `<name attrs>` or `</name>`; attribute values may contain `>` when quoted. */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:_-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/y;

export function htmlToText(html: string): string {
  const out = new Output();
  let pre = 0;
  let cells = 0;
  let i = 0;
  const n = html.length;

  const text = (raw: string) => {
    if (raw === '') return;
    const decoded = decodeEntities(raw);
    out.text(pre > 0 ? decoded : decoded.replace(/[ \t\n\f\r]+/g, ' '), pre > 0);
  };

  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (html.startsWith('<![CDATA[', i)) {
      const end = html.indexOf(']]>', i + 9);
      out.text(html.slice(i + 9, end === -1 ? n : end), true);
      i = end === -1 ? n : end + 3;
      continue;
    }
    if (html[i + 1] === '!' || html[i + 1] === '?') {
      // <!DOCTYPE ...>, <?xml ...?>
      const end = html.indexOf('>', i + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(html);
    if (!m) {
      // A `<` that starts no tag ("a < b") is text.
      text('<');
      i++;
      continue;
    }
    i = TAG.lastIndex;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    const attrs = m[3]!;
    const selfClosing = attrs.trimEnd().endsWith('/');

    if (!closing && SKIPPED.has(name) && !selfClosing) {
      // Raw content up to the matching close tag (scripts may contain "<" and "</div>").
      const close = new RegExp(`</${name}\\s*>`, 'ig');
      close.lastIndex = i;
      const end = close.exec(html);
      i = end ? close.lastIndex : n;
      continue;
    }
    if (PREFORMATTED.has(name) && !selfClosing) pre = Math.max(0, pre + (closing ? -1 : 1));
    if (PARAGRAPH.has(name)) out.breakLine(2);
    else if (LINE.has(name)) out.breakLine(1);
    if (name === 'tr') cells = 0;
    if (!closing && (name === 'td' || name === 'th')) {
      // Cells of a row on one line, separated by tabs (CSV-like, and chunking keeps rows whole).
      if (cells++ > 0) out.text('\t', true);
    } else if (!closing && name === 'li') {
      out.text('- ', true);
    } else if (!closing && name === 'img') {
      // Alt text is the author's description of the image: the only text an image contributes.
      const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
      const value = alt?.[1] ?? alt?.[2] ?? alt?.[3];
      if (value) text(` ${value} `);
    }
  }
  return out.finish();
}

/**
 * Accumulates output pieces, keeping whitespace tidy as it goes rather than with regexes over the
 * whole result afterwards, which would also flatten the indentation inside <pre>.
 */
class Output {
  private readonly parts: string[] = [];
  /** Newlines at the end of the output so far (-1 = nothing emitted yet). */
  private trailingNewlines = -1;
  /** The output ends with whitespace (or is empty): a collapsed leading space is dropped. */
  private atBoundary = true;
  /** Collapsed text ended with a space, emitted only if more text follows on the same line. */
  private pendingSpace = false;

  text(s: string, verbatim: boolean): void {
    if (s === '') return;
    if (verbatim) {
      if (this.pendingSpace && !/^\s/.test(s)) this.parts.push(' ');
      this.push(s);
      return;
    }
    let body = s;
    if (body.startsWith(' ')) {
      if (!this.atBoundary) this.pendingSpace = true;
      body = body.slice(1);
    }
    const endsWithSpace = body.endsWith(' ');
    if (endsWithSpace) body = body.slice(0, -1);
    if (body !== '') {
      if (this.pendingSpace) this.parts.push(' ');
      this.push(body);
    }
    if (endsWithSpace && !this.atBoundary) this.pendingSpace = true;
  }

  breakLine(count: 1 | 2): void {
    this.pendingSpace = false;
    if (this.trailingNewlines === -1) return;
    while (this.trailingNewlines < count) this.push('\n');
  }

  private push(s: string): void {
    this.pendingSpace = false;
    this.parts.push(s);
    const newlines = /\n*$/.exec(s)![0].length;
    this.trailingNewlines = newlines === s.length && this.trailingNewlines > 0 ? this.trailingNewlines + newlines : newlines;
    this.atBoundary = /\s$/.test(s);
  }

  finish(): string {
    return this.parts.join('').replace(/\n{3,}/g, '\n\n').trim();
  }
}
