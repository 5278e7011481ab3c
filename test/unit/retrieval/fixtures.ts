/**
 * Small but valid documents built byte by byte, so the parsers are tested on real files without
 * binary fixtures in the repository.
 */
import { strToU8, zipSync } from 'fflate';
import { deflateSync } from 'node:zlib';

/** Escapes a PDF literal string. */
function pdfString(s: string): string {
  return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/**
 * A PDF 1.4 file: one page per entry of `pages`, each line drawn with Helvetica (`Tj`, then `T*`
 * for a new line), content streams optionally FlateDecode-compressed, with a correct xref table.
 */
export function buildPdf(pages: string[][], { compress = false }: { compress?: boolean } = {}): Uint8Array {
  const bodies = new Map<number, Buffer>();
  const n = pages.length;
  const kids = pages.map((_, i) => `${4 + i * 2} 0 R`).join(' ');
  bodies.set(1, Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1'));
  bodies.set(2, Buffer.from(`<< /Type /Pages /Kids [${kids}] /Count ${n} >>`, 'latin1'));
  bodies.set(3, Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>', 'latin1'));
  pages.forEach((lines, i) => {
    const pageObj = 4 + i * 2;
    const content = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((l) => `${pdfString(l)} Tj T*`).join(' ')} ET`;
    const raw = Buffer.from(content, 'latin1');
    const data = compress ? deflateSync(raw) : raw;
    bodies.set(
      pageObj,
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObj + 1} 0 R >>`,
        'latin1',
      ),
    );
    bodies.set(
      pageObj + 1,
      Buffer.concat([
        Buffer.from(`<< /Length ${data.length}${compress ? ' /Filter /FlateDecode' : ''} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    );
  });
  const total = 3 + n * 2;
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  for (let i = 1; i <= total; i++) {
    offsets[i] = offset;
    const obj = Buffer.concat([Buffer.from(`${i} 0 obj\n`, 'latin1'), bodies.get(i)!, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(obj);
    offset += obj.length;
  }
  let xref = `xref\n0 ${total + 1}\n0000000000 65535 f \n`;
  for (let i = 1; i <= total; i++) xref += `${String(offsets[i]).padStart(10, '0')} 00000 n \n`;
  xref += `trailer\n<< /Size ${total + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A DOCX: `[Content_Types].xml`, package rels and `word/document.xml` with the given body XML. */
export function buildDocx(bodyXml: string, extra: Record<string, string> = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">' +
        `<w:body>${bodyXml}<w:sectPr/></w:body></w:document>`,
    ),
  };
  for (const [name, xml] of Object.entries(extra)) files[name] = strToU8(xml);
  return zipSync(files);
}

/** A WordprocessingML paragraph of plain runs. */
export function wParagraph(...runs: string[]): string {
  return `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>${runs
    .map((r) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${escapeXml(r)}</w:t></w:r>`)
    .join('')}</w:p>`;
}

/** A PPTX whose slides (given in file order) are listed in `order` (1-based file numbers). */
export function buildPptx(slides: string[][], order: number[]): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'ppt/presentation.xml': strToU8(
      '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ' +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst>' +
        order.map((n, i) => `<p:sldId id="${256 + i}" r:id="rId${n + 10}"/>`).join('') +
        '</p:sldIdLst></p:presentation>',
    ),
    'ppt/_rels/presentation.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        slides.map((_, i) => `<Relationship Id="rId${i + 11}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${i + 1}.xml"/>`).join('') +
        '</Relationships>',
    ),
  };
  slides.forEach((paragraphs, i) => {
    files[`ppt/slides/slide${i + 1}.xml`] = strToU8(
      '<?xml version="1.0"?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ' +
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>' +
        paragraphs.map((p) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${escapeXml(p)}</a:t></a:r></a:p>`).join('') +
        '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>',
    );
  });
  return zipSync(files);
}
