// MIME types from file names: the SDKs send every file as application/octet-stream (docs/openai-behaviour.md §6.6).
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIME, mimeFromFilename, resolveMimeType } from '../../src/domain/mime';

describe('mimeFromFilename', () => {
  it.each([
    ['notes.txt', 'text/plain'],
    ['README.md', 'text/markdown'],
    ['paper.PDF', 'application/pdf'],
    ['photo.JPG', 'image/jpeg'],
    ['image.jpeg', 'image/jpeg'],
    ['chart.png', 'image/png'],
    ['data.csv', 'text/csv'],
    ['train.jsonl', 'application/jsonl'],
    ['main.c', 'text/x-c'],
    ['app.ts', 'application/typescript'],
    ['script.py', 'text/x-python'],
    ['deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['archive.tar.gz', 'application/gzip'],
    ['dir/sub/report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ])('%s → %s', (name, mime) => {
    expect(mimeFromFilename(name)).toBe(mime);
  });

  it.each(['unknown_file', '.bashrc', 'trailing.', 'file.unknownext', 'a.b/noext', ''])('%j has no known type', (name) => {
    expect(mimeFromFilename(name)).toBeUndefined();
  });
});

describe('resolveMimeType', () => {
  it('the extension wins over what the part declares', () => {
    expect(resolveMimeType('a.pdf', 'application/octet-stream')).toBe('application/pdf');
    expect(resolveMimeType('a.png', 'text/plain')).toBe('image/png');
  });
  it('falls back to a specific declared type, then octet-stream', () => {
    expect(resolveMimeType('blob', 'Image/HEIC; q=1')).toBe('image/heic');
    expect(resolveMimeType('blob', 'not a type')).toBe(DEFAULT_MIME);
    expect(resolveMimeType('unknown_file')).toBe(DEFAULT_MIME);
  });
});
