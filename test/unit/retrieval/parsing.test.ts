import { describe, expect, it } from 'vitest';
import { extractText, type ParseResult } from '../../../src/domain/parsing';
import { formatFor } from '../../../src/domain/parsing/formats';
import { htmlToText } from '../../../src/domain/parsing/html';
import { decodeText } from '../../../src/domain/parsing/text';
import { buildDocx, buildPdf, buildPptx, wParagraph } from './fixtures';

const utf8 = (s: string) => new TextEncoder().encode(s);

function text(r: ParseResult): string {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r.text;
}

describe('extractText: plain text, Markdown and source code', () => {
  it('returns UTF-8 text with normalised line breaks', async () => {
    expect(text(await extractText(utf8('héllo\r\nwörld\rend'), 'notes.txt', 'text/plain'))).toBe('héllo\nwörld\nend');
  });

  it('keeps Markdown and source code as written', async () => {
    const md = '# Title\n\n- item *one*\n\n```js\nconst x = 1;\n```\n';
    expect(text(await extractText(utf8(md), 'README.md', 'application/octet-stream'))).toBe(md);
    for (const name of ['a.js', 'a.ts', 'a.py', 'A.java', 'a.c', 'a.cpp', 'a.cs', 'a.go', 'a.rb', 'a.php', 'a.sh', 'a.tex', 'a.css']) {
      expect(text(await extractText(utf8('x = 1 # code'), name, 'application/octet-stream'))).toBe('x = 1 # code');
    }
  });

  it('decodes UTF-8 and UTF-16 byte-order marks and legacy Windows-1252 text', async () => {
    expect(text(await extractText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'a.txt', 'text/plain'))).toBe('hi');
    const le = new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0xe9, 0x00, 0x3d, 0xd8, 0x00, 0xde]); // "hé😀"
    expect(text(await extractText(le, 'a.txt', 'text/plain'))).toBe('hé😀');
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x68, 0x00, 0x69]);
    expect(text(await extractText(be, 'a.txt', 'text/plain'))).toBe('hi');
    // "café – 5€" in Windows-1252: not valid UTF-8, but clean legacy text.
    const cp1252 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x35, 0x80]);
    expect(text(await extractText(cp1252, 'old.txt', 'text/plain'))).toBe('café – 5€');
  });

  it('refuses binary garbage in a text file as invalid_file', async () => {
    const garbage = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < garbage.length; i++) garbage[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const r = await extractText(garbage, 'notes.txt', 'text/plain');
    expect(r).toMatchObject({ ok: false, code: 'invalid_file' });
    expect(await extractText(utf8('abc\u0000def'), 'a.md', 'text/markdown')).toMatchObject({ ok: false, code: 'invalid_file' });
    expect(decodeText(new Uint8Array([0x01, 0x02, 0x03, 0x04, 0x41, 0x42]))).toEqual({ ok: false, reason: 'binary' });
  });

  it('accepts an empty text file as empty text', async () => {
    expect(await extractText(new Uint8Array(0), 'empty.txt', 'text/plain')).toEqual({ ok: true, text: '' });
  });
});

describe('extractText: HTML', () => {
  it('drops scripts, styles and tags, decodes entities, keeps block breaks', async () => {
    const html = `<!DOCTYPE html><html><head><title>Doc &amp; Co</title><style>p { color: red }</style>
      <script>if (a < b) { document.write("</div>") }</script></head>
      <body><h1>Heading</h1><p>First&nbsp;para with <b>bold</b> and <a href="x" title="a>b">a link</a>.</p>
      <!-- a comment --><p>Caf&eacute; &#8364;5 &#x1F600; &unknown;</p>
      <ul><li>one</li><li>two</li></ul><table><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr></table>
      <pre>  indented
    code</pre><img src="x.png" alt="A chart"><br>end</body></html>`;
    expect(text(await extractText(utf8(html), 'page.html', 'text/html'))).toBe(
      'Doc & Co\n\nHeading\n\nFirst\u00a0para with bold and a link.\n\nCafé €5 😀 &unknown;\n\n- one\n- two\n\nk\tv\na\t1\n\n  indented\n    code\n\nA chart\nend',
    );
  });

  it('tolerates broken markup and stray angle brackets', () => {
    expect(htmlToText('a < b and <b>c</i> <p>unclosed <div>x')).toBe('a < b and c\n\nunclosed\nx');
    expect(htmlToText('<script>never closed')).toBe('');
  });
});

describe('extractText: JSON and CSV', () => {
  it('pretty-prints JSON and JSON Lines', async () => {
    expect(text(await extractText(utf8('{"a":1,"b":["x",true]}'), 'd.json', 'application/json'))).toBe(
      '{\n  "a": 1,\n  "b": [\n    "x",\n    true\n  ]\n}',
    );
    expect(text(await extractText(utf8('{"a":1}\n{"a":2}\n'), 'd.json', 'application/json'))).toBe('{\n  "a": 1\n}\n\n{\n  "a": 2\n}');
    expect(await extractText(utf8('{"a":'), 'd.json', 'application/json')).toMatchObject({ ok: false, code: 'invalid_file' });
  });

  it('writes CSV rows as lines labelled with the header', async () => {
    const csv = 'name,city,notes\r\nAlice,Paris,"likes ""tea"", cake"\r\nBob,,"multi\nline"\r\n\r\n';
    expect(text(await extractText(utf8(csv), 'people.csv', 'text/csv'))).toBe(
      'name, city, notes\nname: Alice; city: Paris; notes: likes "tea", cake\nname: Bob; notes: multi line',
    );
    expect(text(await extractText(utf8('a\tb\n1\t2'), 'x.tsv', 'text/tab-separated-values'))).toBe('a, b\na: 1; b: 2');
    expect(text(await extractText(utf8('a;b\n1;2'), 'x.csv', 'text/csv'))).toBe('a, b\na: 1; b: 2');
  });
});

describe('extractText: PDF', () => {
  it('reads every page of an uncompressed PDF', async () => {
    const pdf = buildPdf([['Hello PDF world', 'Second line (with parens)'], ['Page two text']]);
    expect(text(await extractText(pdf, 'doc.pdf', 'application/pdf'))).toBe(
      'Hello PDF world\nSecond line (with parens)\n\nPage two text',
    );
  });

  it('reads FlateDecode content streams, and leaves the caller\'s bytes intact', async () => {
    const pdf = buildPdf([['Compressed stream text']], { compress: true });
    const before = pdf.byteLength;
    expect(text(await extractText(pdf, 'doc.pdf', 'application/pdf'))).toBe('Compressed stream text');
    expect(pdf.byteLength).toBe(before);
  });

  it('recognises a PDF by its bytes when the name and type say nothing', async () => {
    const pdf = buildPdf([['Sniffed']]);
    expect(text(await extractText(pdf, 'upload', 'application/octet-stream'))).toBe('Sniffed');
  });

  it('refuses corrupt PDFs and PDFs without a text layer as invalid_file', async () => {
    expect(await extractText(utf8('%PDF-1.4\n garbage garbage'), 'x.pdf', 'application/pdf')).toMatchObject({ ok: false, code: 'invalid_file' });
    expect(await extractText(utf8('not a pdf'), 'x.pdf', 'application/pdf')).toMatchObject({ ok: false, code: 'invalid_file' });
    const valid = buildPdf([['truncated file']]);
    expect(await extractText(valid.subarray(0, 60), 'x.pdf', 'application/pdf')).toMatchObject({ ok: false, code: 'invalid_file' });
    const empty = buildPdf([[]]);
    expect(await extractText(empty, 'scan.pdf', 'application/pdf')).toMatchObject({ ok: false, code: 'invalid_file' });
  });
});

describe('extractText: DOCX and PPTX', () => {
  it('reads paragraphs, tabs, breaks and tables from word/document.xml', async () => {
    const body =
      wParagraph('Hello ', 'DOCX & friends') +
      '<w:p><w:r><w:t>Tab</w:t><w:tab/><w:t>bed</w:t><w:br/><w:t>broken</w:t></w:r></w:p>' +
      '<w:p><w:del><w:r><w:delText>deleted</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>kept</w:t></w:r></w:p>' +
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr>' +
      '<w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>' +
      '<w:p><mc:AlternateContent><mc:Choice><w:r><w:t>box</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>box</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>' +
      wParagraph('Last');
    const docx = buildDocx(body);
    expect(text(await extractText(docx, 'report.docx', 'application/octet-stream'))).toBe(
      'Hello DOCX & friends\nTab\tbed\nbroken\nkept\nA1 | B1\nA2\nbox\nLast',
    );
  });

  it('appends footnotes', async () => {
    const docx = buildDocx(wParagraph('Body'), {
      'word/footnotes.xml': '<w:footnotes xmlns:w="x"><w:footnote><w:p><w:r><w:t>A footnote</w:t></w:r></w:p></w:footnote></w:footnotes>',
    });
    expect(text(await extractText(docx, 'a.docx', ''))).toBe('Body\n\nA footnote');
  });

  it('refuses corrupt archives and zips that are not Word documents', async () => {
    const docx = buildDocx(wParagraph('x'));
    const corrupt = docx.slice();
    corrupt.fill(0x41, 30, docx.length - 30);
    expect(await extractText(corrupt, 'a.docx', '')).toMatchObject({ ok: false, code: 'invalid_file' });
    expect(await extractText(docx.subarray(0, docx.length - 10), 'a.docx', '')).toMatchObject({ ok: false, code: 'invalid_file' });
    expect(await extractText(utf8('plain text'), 'a.docx', '')).toMatchObject({ ok: false, code: 'invalid_file' });
    const pptx = buildPptx([['x']], [1]);
    expect(await extractText(pptx, 'a.docx', '')).toMatchObject({ ok: false, code: 'invalid_file' });
  });

  it('recognises an unnamed DOCX by its contents', async () => {
    expect(text(await extractText(buildDocx(wParagraph('sniffed')), 'blob', 'application/octet-stream'))).toBe('sniffed');
  });

  it('reads PPTX slides in presentation order', async () => {
    const pptx = buildPptx([['Slide file one'], ['Slide file two', 'second paragraph']], [2, 1]);
    expect(text(await extractText(pptx, 'deck.pptx', ''))).toBe('Slide file two\nsecond paragraph\n\nSlide file one');
  });
});

describe('extractText: unsupported types', () => {
  it('refuses images, archives, executables and legacy Office files as unsupported_file', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await extractText(png, 'image.png', 'image/png')).toMatchObject({
      ok: false,
      code: 'unsupported_file',
      message: 'Files with extension [.png] are not supported for file search.',
    });
    expect(await extractText(png, 'noext', 'application/octet-stream')).toMatchObject({ ok: false, code: 'unsupported_file' });
    expect(await extractText(new Uint8Array([0x4d, 0x5a, 0x90, 0]), 'setup.exe', '')).toMatchObject({ ok: false, code: 'unsupported_file' });
    expect(await extractText(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'blob', 'application/octet-stream')).toMatchObject({ ok: false, code: 'unsupported_file' });
    expect(await extractText(new Uint8Array([0x50, 0x4b, 3, 4]), 'a.zip', 'application/zip')).toMatchObject({ ok: false, code: 'unsupported_file' });
    expect(await extractText(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), 'old.doc', '')).toMatchObject({ ok: false, code: 'unsupported_file' });
    const someZip = (await import('fflate')).zipSync({ 'a.txt': utf8('x') });
    expect(await extractText(someZip, 'blob', 'application/octet-stream')).toMatchObject({ ok: false, code: 'unsupported_file' });
    const noise = new Uint8Array(2048).map((_, i) => (i * 7919) % 256);
    expect(await extractText(noise, 'blob', 'application/octet-stream')).toMatchObject({ ok: false, code: 'unsupported_file' });
  });

  it('reads text with an unknown extension, using the MIME type or the bytes', async () => {
    expect(text(await extractText(utf8('key = value'), 'settings.weird', 'application/octet-stream'))).toBe('key = value');
    expect(text(await extractText(utf8('<html><body><p>x</p></body></html>'), 'page', ''))).toBe('x');
    expect(formatFor('x.unknown', 'text/html; charset=utf-8')).toBe('html');
    expect(formatFor('Dockerfile', '')).toBe('text');
    expect(formatFor('REPORT.PDF', '')).toBe('pdf');
  });
});
