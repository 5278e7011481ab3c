// Multipart requests refused before their body is read (issue 17 item 8): part headers over the limit,
// an unknown upload. The rest of the body is read and discarded, so even 20 at once, each followed by
// a megabyte of file bytes, all get the clean 400/404 envelope, never the local proxy's 500.
import { describe, it } from 'vitest';
import { baseURL, expectErrorResponse, newProject } from './fixtures.js';

const BOUNDARY = 'XyZrefusal';
const enc = new TextEncoder();

/** A form whose first part has 32 KiB of headers (the limit is 16 KiB), then 1 MiB of file bytes. */
function oversizedHeaders(field: string): Uint8Array {
  const head = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="a.txt"\r\nX-Padding: ${'h'.repeat(32 * 1024)}\r\n\r\n`;
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const body = new Uint8Array(head.length + 1024 * 1024 + tail.length);
  body.set(enc.encode(head), 0);
  body.fill(98, head.length, head.length + 1024 * 1024);
  body.set(enc.encode(tail), head.length + 1024 * 1024);
  return body;
}

describe('multipart requests refused before the body is read', () => {
  it('20 concurrent uploads with oversized part headers: every one a 400 envelope, to /files and to upload parts', async () => {
    const p = await newProject('multipart-refusals');
    const upload = await p.v6.uploads.create({ bytes: 10, filename: 'a.txt', mime_type: 'text/plain', purpose: 'assistants' });
    const post = (path: string, field: string) =>
      fetch(`${baseURL()}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        body: oversizedHeaders(field),
      });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? post('/files', 'file') : post(`/uploads/${upload.id}/parts`, 'data'))),
    );
    for (const res of responses) await expectErrorResponse(res, { status: 400, message: "A form part's headers exceed 16384 bytes.", param: null });
  });

  it('20 concurrent parts for an unknown upload, each with a megabyte of data: every one a 404 envelope', async () => {
    const p = await newProject('multipart-refusals-404');
    const body = () => {
      const fd = new FormData();
      fd.append('data', new Blob([new Uint8Array(1024 * 1024).fill(99)]), 'part.bin');
      return fd;
    };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${baseURL()}/uploads/upload_unknown0000000000000000/parts`, { method: 'POST', headers: { authorization: `Bearer ${p.apiKey}` }, body: body() }),
      ),
    );
    for (const res of responses) await expectErrorResponse(res, { status: 404, message: "No upload found with id 'upload_unknown0000000000000000'." });
  });
});
