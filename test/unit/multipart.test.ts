// The streaming multipart/form-data reader behind POST /files and POST /uploads/{id}/parts. Bodies come
// from Node's own FormData encoder (undici, what SDK v6 uses) and from hand-written wire text, and are fed
// in chunks of every awkward size: a delimiter split across chunks must never leak into file bytes.
import { describe, expect, it } from 'vitest';
import {
  boundaryOf,
  formFieldsToObject,
  indexOf,
  MultipartError,
  MultipartReader,
  openMultipart,
  type PartInfo,
} from '../../src/domain/multipart';

const enc = new TextEncoder();

function streamOf(bytes: Uint8Array, chunkSize = bytes.length || 1): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

interface ReadPart extends PartInfo { body: Uint8Array }

async function readAll(reader: MultipartReader): Promise<ReadPart[]> {
  const out: ReadPart[] = [];
  for (let p; (p = await reader.next()); ) {
    const pieces: Uint8Array[] = [];
    for await (const c of reader.chunks()) pieces.push(c);
    out.push({ ...p, body: new Uint8Array(Buffer.concat(pieces)) });
  }
  return out;
}

/** Encodes `form` exactly as Node's fetch would send it. */
async function encode(form: FormData): Promise<{ body: Uint8Array; boundary: string }> {
  const req = new Request('http://x/', { method: 'POST', body: form });
  const boundary = boundaryOf(req.headers.get('content-type'))!;
  return { body: new Uint8Array(await req.arrayBuffer()), boundary };
}

function wire(boundary: string, text: string): Uint8Array {
  return enc.encode(text.replaceAll('BOUNDARY', boundary).replaceAll('\n', '\r\n'));
}

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MultipartError);
    return (e as Error).message;
  }
  throw new Error('expected a MultipartError');
}

describe('boundaryOf', () => {
  it('reads plain and quoted boundaries, case-insensitive media type', () => {
    expect(boundaryOf('multipart/form-data; boundary=----formdata-undici-0123')).toBe('----formdata-undici-0123');
    expect(boundaryOf('Multipart/Form-Data;boundary="a b;c"')).toBe('a b;c');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary=form-data-boundary-x1')).toBe('form-data-boundary-x1');
  });
  it('refuses other types, a missing boundary and RFC 2046-invalid lengths', () => {
    expect(boundaryOf(undefined)).toBeUndefined();
    expect(boundaryOf('application/json')).toBeUndefined();
    expect(boundaryOf('multipart/mixed; boundary=x')).toBeUndefined();
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
    expect(boundaryOf('multipart/form-data; boundary=')).toBeUndefined();
    expect(boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined();
  });
  it('openMultipart names the offending content type', () => {
    const req = new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(() => openMultipart(req)).toThrow('Invalid Content-Type header (application/json), expected multipart/form-data with a boundary.');
  });
});

describe('reading forms encoded by undici (SDK v6)', () => {
  // Bytes that look like the start of a delimiter, CRLFs, and a trailing CR: the worst case for look-ahead.
  const tricky = new Uint8Array(Buffer.concat([
    Buffer.from('line one\r\nline two\r\n--'),
    Buffer.from('\r\n----formdata-undici-'),
    Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)),
    Buffer.from('\r\n-\r'),
  ]));

  it.each([1, 2, 3, 5, 17, 64, 1000, 1 << 20])('file first, then text fields, in chunks of %i bytes', async (size) => {
    const form = new FormData();
    form.append('file', new Blob([tricky]), 'notes.md');
    form.append('purpose', 'assistants');
    form.append('expires_after[anchor]', 'created_at');
    const { body, boundary } = await encode(form);
    const parts = await readAll(new MultipartReader(streamOf(body, size), boundary));
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ['file', 'notes.md'],
      ['purpose', undefined],
      ['expires_after[anchor]', undefined],
    ]);
    expect(parts[0]!.contentType).toBe('application/octet-stream');
    expect(Buffer.from(parts[0]!.body).equals(Buffer.from(tricky))).toBe(true);
    expect(new TextDecoder().decode(parts[1]!.body)).toBe('assistants');
  });

  it('text() reads a field and next() skips an unread part', async () => {
    const form = new FormData();
    form.append('purpose', 'vision');
    form.append('file', new Blob([new Uint8Array(100_000)]), 'big.bin');
    form.append('after', 'yes');
    const { body, boundary } = await encode(form);
    const reader = new MultipartReader(streamOf(body, 4096), boundary);
    expect((await reader.next())?.name).toBe('purpose');
    expect(await reader.text(100)).toBe('vision');
    expect((await reader.next())?.name).toBe('file');
    expect((await reader.next())?.name).toBe('after'); // the file body was never read
    expect(await reader.text(100)).toBe('yes');
    expect(await reader.next()).toBeNull();
    expect(await reader.next()).toBeNull();
  });

  it('empty file and empty field', async () => {
    const form = new FormData();
    form.append('file', new Blob([]), 'empty.txt');
    form.append('purpose', '');
    const { body, boundary } = await encode(form);
    const parts = await readAll(new MultipartReader(streamOf(body, 7), boundary));
    expect(parts.map((p) => [p.name, p.body.length])).toEqual([['file', 0], ['purpose', 0]]);
  });

  it('filenames with quotes, newlines and non-ASCII round-trip', async () => {
    const names = ['résumé "final".pdf', 'two\nlines.txt', '日本語.md'];
    const form = new FormData();
    for (const n of names) form.append('file', new Blob(['x']), n);
    const { body, boundary } = await encode(form);
    const parts = await readAll(new MultipartReader(streamOf(body, 3), boundary));
    expect(parts.map((p) => p.filename)).toEqual(names);
  });
});

describe('hand-written wire forms', () => {
  const B = 'form-data-boundary-abc123';

  it('preamble, transport padding, filename*, backslash escapes and the epilogue', async () => {
    const body = wire(B, `This is a preamble.
--BOUNDARY   \t
Content-Disposition: form-data; name="file"; filename="fallback.txt"; filename*=UTF-8''na%C3%AFve%20file.txt
Content-Type: text/plain

hello
--BOUNDARY
content-disposition: FORM-DATA; name="a\\"b"; filename=""

x
--BOUNDARY--
epilogue that is ignored
--BOUNDARY
Content-Disposition: form-data; name="never"

`);
    const parts = await readAll(new MultipartReader(streamOf(body, 5), B));
    expect(parts.map((p) => [p.name, p.filename, p.contentType, new TextDecoder().decode(p.body)])).toEqual([
      ['file', 'naïve file.txt', 'text/plain', 'hello'],
      ['a"b', '', undefined, 'x'],
    ]);
  });

  it.each([
    ['no boundary in the body', 'just some bytes', 'does not contain the boundary'],
    ['truncated inside a part', '--BOUNDARY\nContent-Disposition: form-data; name="file"; filename="a"\n\nhalf a fi', 'ended in the middle of a part'],
    ['truncated inside the headers', '--BOUNDARY\nContent-Disposition: form-data; na', 'ended inside part headers'],
    ['no closing boundary', '--BOUNDARY\nContent-Disposition: form-data; name="a"\n\nx\n--BOUNDARY', 'ended without its closing boundary'],
    ['no Content-Disposition', '--BOUNDARY\nContent-Type: text/plain\n\nx\n--BOUNDARY--', 'no Content-Disposition'],
    ['not form-data', '--BOUNDARY\nContent-Disposition: attachment; name="a"\n\nx\n--BOUNDARY--', "expected 'form-data'"],
    ['no field name', '--BOUNDARY\nContent-Disposition: form-data; filename="a"\n\nx\n--BOUNDARY--', 'no field name'],
    ['garbage after a boundary', '--BOUNDARY garbage\nContent-Disposition: form-data; name="a"\n\nx\n--BOUNDARY--', 'unexpected bytes after a boundary'],
    ['a malformed header line', '--BOUNDARY\nContent-Disposition: form-data; name="a"\nno colon here\n\nx\n--BOUNDARY--', 'Malformed header'],
  ])('%s is a MultipartError', async (_, text, message) => {
    expect(await errorOf(readAll(new MultipartReader(streamOf(wire(B, text), 4), B)))).toContain(message);
  });

  it('limits: header size, part count, text field size', async () => {
    const huge = wire(B, `--BOUNDARY\nContent-Disposition: form-data; name="a"\nX-Pad: ${'p'.repeat(20_000)}\n\nx\n--BOUNDARY--`);
    expect(await errorOf(readAll(new MultipartReader(streamOf(huge, 1000), B)))).toContain('headers exceed');
    const many = wire(B, `${'--BOUNDARY\nContent-Disposition: form-data; name="a"\n\nx\n'.repeat(5)}--BOUNDARY--`);
    expect(await errorOf(readAll(new MultipartReader(streamOf(many), B, { maxParts: 4 })))).toContain('Too many form fields');
    const long = new MultipartReader(streamOf(wire(B, `--BOUNDARY\nContent-Disposition: form-data; name="a"\n\n${'y'.repeat(50)}\n--BOUNDARY--`), 8), B);
    await long.next();
    expect(await errorOf(long.text(10))).toContain('longer than 10 bytes');
  });

  it('a request without a body is a MultipartError, not a crash', async () => {
    const req = new Request('http://x/', { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${B}` } });
    expect(await errorOf(openMultipart(req).next())).toContain('does not contain the boundary');
  });
});

describe('formFieldsToObject', () => {
  it('undoes the SDK bracket flattening', () => {
    expect(formFieldsToObject([['purpose', 'batch'], ['expires_after[anchor]', 'created_at'], ['expires_after[seconds]', '3600']]))
      .toEqual({ purpose: 'batch', expires_after: { anchor: 'created_at', seconds: '3600' } });
    expect(formFieldsToObject([['ids[]', 'a'], ['ids[]', 'b'], ['m[x][y]', 'z']])).toEqual({ ids: ['a', 'b'], m: { x: { y: 'z' } } });
  });
  it('refuses duplicates and value/container conflicts', () => {
    expect(() => formFieldsToObject([['purpose', 'a'], ['purpose', 'b']])).toThrow("Duplicate form field 'purpose'.");
    expect(() => formFieldsToObject([['e', 'a'], ['e[x]', 'b']])).toThrow(MultipartError);
    expect(() => formFieldsToObject([['e[x]', 'a'], ['e[]', 'b']])).toThrow(MultipartError);
  });
  it('keeps __proto__ as data', () => {
    const obj = formFieldsToObject([['__proto__[polluted]', 'yes']]);
    expect(Object.keys(obj)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('indexOf (Boyer-Moore-Horspool)', () => {
  it('agrees with a naive search on random bytes', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 4; // tiny alphabet: many near-misses
    for (let round = 0; round < 200; round++) {
      const hay = new Uint8Array(300).map(rand);
      const needle = new Uint8Array(2 + (round % 9)).map(rand);
      const naive = Buffer.from(hay).indexOf(Buffer.from(needle));
      expect(indexOf(hay, needle)).toBe(naive);
    }
  });
});
