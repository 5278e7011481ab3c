import { describe, expect, it } from 'vitest';
import {
  InputFileBudget, decodeDataUrl, fileDataTooLong, fileTextPart, inputFileKey, inputFileRefs,
} from '../../../src/domain/responses/input-files';
import { toChatMessages } from '../../../src/domain/responses/input';
import type { StoredItem } from '../../../src/domain/responses/types';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('input_file data URLs', () => {
  it('decodes base64 data with its MIME type', () => {
    const r = decodeDataUrl(`data:application/pdf;base64,${Buffer.from('%PDF-1.7 hi').toString('base64')}`);
    expect(r.ok && { mimeType: r.mimeType, text: text(r.bytes) }).toEqual({ mimeType: 'application/pdf', text: '%PDF-1.7 hi' });
  });

  it('decodes percent-encoded data, keeps parameters out of the type, defaults to text/plain', () => {
    const r = decodeDataUrl('data:text/csv;charset=utf-8,a%2Cb%0A1%2C2');
    expect(r.ok && { mimeType: r.mimeType, text: text(r.bytes) }).toEqual({ mimeType: 'text/csv', text: 'a,b\n1,2' });
    const plain = decodeDataUrl('data:;base64,aGk=');
    expect(plain.ok && { mimeType: plain.mimeType, text: text(plain.bytes) }).toEqual({ mimeType: 'text/plain', text: 'hi' });
  });

  it('refuses what is not a data URL or not valid base64', () => {
    expect(decodeDataUrl('aGVsbG8=')).toEqual({ ok: false, message: 'Expected a data URL (data:<mime type>;base64,<data>).' });
    expect(decodeDataUrl('data:text/plain;base64,@@@')).toEqual({ ok: false, message: 'The data URL is not valid base64.' });
    expect(decodeDataUrl('data:text/plain,%E0%A4%A')).toEqual({ ok: false, message: 'The data URL is not validly percent-encoded.' });
  });
});

describe('input_file text part and caps', () => {
  it('wraps the text in a <file> element whose name is escaped', () => {
    expect(fileTextPart('a "b" <c>.txt', 'line 1\nline 2')).toBe('<file name="a &quot;b&quot; &lt;c&gt;.txt">\nline 1\nline 2\n</file>');
  });

  it('counts bytes and text across a request and refuses what goes over', () => {
    const budget = new InputFileBudget(10, 5);
    expect(budget.bytes(6)).toBeNull();
    expect(budget.bytes(4)).toBeNull();
    expect(budget.bytes(1)).toBe("the request's files are too large (over 10 bytes in total).");
    expect(budget.text(5)).toBeNull();
    expect(budget.text(1)).toBe("the text of the request's files is too long (over 5 characters in total).");
  });

  it('refuses file_data longer than the cap, naming the Files API instead', () => {
    expect(fileDataTooLong('x'.repeat(10), 10)).toBeNull();
    expect(fileDataTooLong('x'.repeat(11), 10)).toBe('file_data is too long (11 characters; the limit is 10). Upload larger files with the Files API and give their file_id.');
  });
});

describe('input_file parts in the model context', () => {
  const items: StoredItem[] = [
    { id: 'msg_1', type: 'message', role: 'user', status: 'completed', content: [
      { type: 'input_text', text: 'Summarise:' },
      { type: 'input_file', file_id: 'file-abc', filename: 'notes.txt' },
      { type: 'input_file', file_id: 'file-gone' },
    ] },
    { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '{}', status: 'completed' },
    { id: 'msg_2', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_file', file_data: 'data:;base64,aGk=', filename: 'hi.txt' }] },
  ];

  it('finds every input_file part with its input index and content index', () => {
    expect(inputFileRefs(items).map((r) => [r.item, r.part, inputFileKey(r.file)])).toEqual([[0, 1, 'file-abc'], [0, 2, 'file-gone'], [2, 0, 'data:;base64,aGk=']]);
  });

  it('sends a loaded file as its text part and names one that could not be loaded', () => {
    const texts = new Map([['file-abc', fileTextPart('notes.txt', 'The notes.')], ['data:;base64,aGk=', fileTextPart('hi.txt', 'hi')]]);
    const [first, , last] = toChatMessages(items, undefined, texts);
    expect(first).toEqual({ role: 'user', content: 'Summarise:\n<file name="notes.txt">\nThe notes.\n</file>\n[file file-gone could not be loaded]' });
    expect(last).toEqual({ role: 'user', content: '<file name="hi.txt">\nhi\n</file>' });
  });
});
