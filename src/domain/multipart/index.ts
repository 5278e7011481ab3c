// The multipart/form-data reader and what the upload routes need from it (reader.ts says why it streams).
export { MultipartError } from './errors';
export { boundaryOf, discardBody, MultipartReader, openMultipart, type MultipartLimits } from './reader';
export { type PartInfo } from './part-headers';
export { indexOf } from './byte-search';
export { formFieldsToObject } from './form-fields';
