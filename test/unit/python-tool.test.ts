import { describe, expect, it } from 'vitest';
import { codeOf, filePathsIn, StreamingCodeField } from '../../src/domain/code/python-tool';

describe('StreamingCodeField', () => {
  it('decodes the code argument as fragments arrive, escapes split across fragments included', () => {
    const args = JSON.stringify({ code: 'import math\nprint("π", math.pi)\t# done \\ ok' });
    for (const size of [1, 2, 3, 7, 100]) {
      const field = new StreamingCodeField();
      let out = '';
      for (let i = 0; i < args.length; i += size) out += field.push(args.slice(i, i + size));
      expect(out).toBe('import math\nprint("π", math.pi)\t# done \\ ok');
    }
  });

  it('decodes \\u escapes and stops at the closing quote', () => {
    const field = new StreamingCodeField();
    expect(field.push('{"code": "a\\u00e9')).toBe('aé');
    expect(field.push('b", "x": "ignored"}')).toBe('b');
  });
});

describe('codeOf', () => {
  it('reads the code argument, or takes plain text as code', () => {
    expect(codeOf('{"code":"print(1)"}')).toBe('print(1)');
    expect(codeOf('print(2)')).toBe('print(2)');
  });
});

describe('filePathsIn', () => {
  it('annotates exactly the sandbox links of files the run wrote', () => {
    const value = 'Download [the data](sandbox:/mnt/data/out.csv). Also sandbox:/mnt/data/missing.txt.';
    const [a, ...rest] = filePathsIn(value, new Map([['out.csv', 'file-1']]));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ type: 'file_path', text: 'sandbox:/mnt/data/out.csv', file_path: { file_id: 'file-1' } });
    expect(value.slice(a!.start_index, a!.end_index)).toBe(a!.text);
  });
});
