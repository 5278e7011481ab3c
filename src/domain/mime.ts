/**
 * MIME types from file names. The SDKs send every file part as `application/octet-stream`, whatever
 * the file is (docs/openai-behaviour.md §6.6), so the extension is the only real signal. The table covers the types
 * OpenAI documents for file_search and code_interpreter (with OpenAI's chosen type where it names one,
 * e.g. `text/x-c`, `application/typescript`) plus common image and text formats.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  // Text and source code (file_search).
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  jsonl: 'application/jsonl',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  c: 'text/x-c',
  h: 'text/x-c',
  cpp: 'text/x-c++',
  cc: 'text/x-c++',
  hpp: 'text/x-c++',
  cs: 'text/x-csharp',
  go: 'text/x-golang',
  java: 'text/x-java',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'application/typescript',
  php: 'text/x-php',
  py: 'text/x-python',
  rb: 'text/x-ruby',
  sh: 'application/x-sh',
  tex: 'text/x-tex',
  // Documents.
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  // Images (vision, image_file message parts).
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  // Archives and data (code_interpreter).
  zip: 'application/zip',
  tar: 'application/x-tar',
  gz: 'application/gzip',
  pkl: 'application/octet-stream',
};

export const DEFAULT_MIME = 'application/octet-stream';

/** The MIME type the file name's extension implies (case-insensitive), or undefined if unknown. */
export function mimeFromFilename(filename: string): string | undefined {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  // `.bashrc` is a name, not an extension.
  if (dot <= 0 || dot === base.length - 1) return undefined;
  return BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/**
 * The type to store for an uploaded part: the extension wins; a specific declared type (a browser
 * form, curl `;type=`) is the fallback; `application/octet-stream` otherwise.
 */
export function resolveMimeType(filename: string, declared?: string): string {
  const fromName = mimeFromFilename(filename);
  if (fromName) return fromName;
  const type = declared?.split(';')[0]?.trim().toLowerCase();
  return type && /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : DEFAULT_MIME;
}
