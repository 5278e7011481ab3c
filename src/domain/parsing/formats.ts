/**
 * Which parser a file gets. The extension decides first (OpenAI's file_search decides by extension
 * too, and SDK uploads often carry `application/octet-stream`), then the MIME type, then the bytes.
 */

export type Format = 'text' | 'html' | 'json' | 'csv' | 'tsv' | 'pdf' | 'docx' | 'pptx' | 'sniff' | 'unsupported';

/** Plain text, markup read as text, and source code (OpenAI's list plus common neighbours). */
const TEXT_EXTENSIONS = [
  'txt', 'text', 'md', 'markdown', 'mdx', 'rst', 'adoc', 'asciidoc', 'org', 'log', 'tex', 'bib', 'ltx', 'sty', 'cls',
  'ini', 'cfg', 'conf', 'toml', 'yaml', 'yml', 'xml', 'jsonl', 'ndjson', 'properties', 'env', 'srt', 'vtt',
  'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'py', 'pyi', 'ipynb', 'java', 'kt', 'kts', 'scala', 'groovy', 'gradle',
  'c', 'h', 'cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx', 'cs', 'fs', 'vb', 'go', 'rs', 'rb', 'php', 'pl', 'pm', 'lua', 'r',
  'swift', 'm', 'mm', 'dart', 'ex', 'exs', 'erl', 'hrl', 'hs', 'clj', 'cljs', 'elm', 'ml', 'mli', 'jl', 'nim', 'zig', 'sol',
  'sh', 'bash', 'zsh', 'fish', 'ps1', 'psm1', 'bat', 'cmd', 'sql', 'graphql', 'gql', 'proto', 'thrift',
  'css', 'scss', 'sass', 'less', 'vue', 'svelte', 'astro', 'hbs', 'mustache', 'j2', 'jinja', 'tf', 'hcl', 'nix',
  'dockerfile', 'makefile', 'cmake', 'mk', 'diff', 'patch', 'csl',
];

/** Types we recognise but cannot read: refused up front rather than decoded as garbage. */
const BINARY_EXTENSIONS = [
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'tif', 'tiff', 'ico', 'heic', 'heif', 'avif', 'psd', 'svgz',
  'mp3', 'wav', 'ogg', 'flac', 'm4a', 'aac', 'mp4', 'mov', 'avi', 'mkv', 'webm',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'tar', 'jar', 'war', 'apk', 'dmg', 'iso',
  'exe', 'dll', 'so', 'dylib', 'bin', 'o', 'a', 'class', 'wasm', 'pyc', 'db', 'sqlite', 'parquet', 'pkl', 'npy',
  'doc', 'xls', 'xlsx', 'ppt', 'odt', 'ods', 'odp', 'pages', 'key', 'numbers', 'epub', 'woff', 'woff2', 'ttf', 'otf',
];

const BY_EXTENSION = new Map<string, Format>([
  ...TEXT_EXTENSIONS.map((e) => [e, 'text'] as const),
  ...BINARY_EXTENSIONS.map((e) => [e, 'unsupported'] as const),
  ['html', 'html'], ['htm', 'html'], ['xhtml', 'html'],
  ['json', 'json'], ['csv', 'csv'], ['tsv', 'tsv'], ['tab', 'tsv'],
  ['pdf', 'pdf'], ['docx', 'docx'], ['docm', 'docx'], ['pptx', 'pptx'], ['pptm', 'pptx'],
]);

const BY_MIME = new Map<string, Format>([
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
  ['text/html', 'html'], ['application/xhtml+xml', 'html'],
  ['application/json', 'json'], ['text/json', 'json'],
  ['text/csv', 'csv'], ['text/tab-separated-values', 'tsv'],
  ['application/xml', 'text'], ['application/javascript', 'text'], ['application/typescript', 'text'],
  ['application/x-sh', 'text'], ['application/x-tex', 'text'], ['application/x-latex', 'text'],
  ['application/x-yaml', 'text'], ['application/yaml', 'text'], ['application/toml', 'text'], ['application/sql', 'text'],
  ['application/x-ndjson', 'text'], ['application/jsonl', 'text'],
]);

export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const lower = base.toLowerCase();
  // Extension-less names that are conventionally source files.
  if (lower === 'dockerfile' || lower === 'makefile') return lower;
  const dot = lower.lastIndexOf('.');
  return dot <= 0 ? '' : lower.slice(dot + 1);
}

export function formatFor(filename: string, mimeType: string): Format {
  const byExtension = BY_EXTENSION.get(extensionOf(filename));
  if (byExtension) return byExtension;
  const mime = mimeType.split(';')[0]!.trim().toLowerCase();
  const byMime = BY_MIME.get(mime);
  if (byMime) return byMime;
  if (mime.startsWith('text/') || mime.endsWith('+xml') || mime.endsWith('+json')) return 'text';
  if (/^(image|audio|video|font)\//.test(mime) || mime === 'application/zip' || mime === 'application/gzip') return 'unsupported';
  return 'sniff';
}

/**
 * Magic numbers of common binary formats, so an unnamed binary is refused as such without decoding
 * it. (Executables need no entry: their NUL bytes already fail the text check.)
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  return (
    starts(0x89, 0x50, 0x4e, 0x47) || // PNG
    starts(0xff, 0xd8, 0xff) || // JPEG
    starts(0x47, 0x49, 0x46, 0x38) || // GIF
    starts(0x1f, 0x8b) || // gzip
    starts(0x7f, 0x45, 0x4c, 0x46) || // ELF
    starts(0xcf, 0xfa, 0xed, 0xfe) || // Mach-O
    starts(0x00, 0x61, 0x73, 0x6d) || // WebAssembly
    starts(0x37, 0x7a, 0xbc, 0xaf) || // 7z
    starts(0x52, 0x61, 0x72, 0x21) || // RAR
    starts(0xd0, 0xcf, 0x11, 0xe0) || // OLE2 (legacy .doc/.xls/.ppt)
    starts(0x53, 0x51, 0x4c, 0x69, 0x74, 0x65) // SQLite
  );
}
