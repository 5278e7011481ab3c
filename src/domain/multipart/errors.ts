/** Malformed input: the message is for the client (routes turn it into a 400 with `code`). */
export class MultipartError extends Error {
  override name = 'MultipartError';
  constructor(message: string, readonly code: string | null = null) {
    super(message);
  }
}
