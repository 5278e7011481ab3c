import { z } from 'zod';

/**
 * An integer field. zod reports `expected: number` for integers; this marker lets the request
 * parser (src/http/validation.ts) keep OpenAI's wording "an integer". It lives here, not in
 * src/http, because the wire schemas of this layer use it and this layer imports nothing of ours.
 */
export const INTEGER_MARK = 'expected:integer';
export const Int = () => z.int({ error: (iss) => (iss.code === 'invalid_type' ? INTEGER_MARK : undefined) });
