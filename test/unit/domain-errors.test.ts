import { describe, expect, it } from 'vitest';
import { DomainError, invalidInput, unknownObject } from '../../src/domain/errors';
import { fromDomainError } from '../../src/http/errors';

// Code below src/http throws DomainError; src/http renders it as OpenAI's envelope in one place.
describe('fromDomainError', () => {
  it('renders an unknown object as a 404 with OpenAI wording and the param', () => {
    const e = fromDomainError(unknownObject('vector store', 'vs_x', 'tool_resources.file_search.vector_store_ids'));
    expect(e.status).toBe(404);
    expect(e.toBody()).toEqual({
      error: { message: "No vector store found with id 'vs_x'.", type: 'invalid_request_error', param: 'tool_resources.file_search.vector_store_ids', code: null },
    });
  });

  it('renders an invalid input as a 400 with its param and code', () => {
    const e = fromDomainError(invalidInput("Invalid 'x'.", 'x', 'invalid_value'));
    expect(e.status).toBe(400);
    expect(e.toBody().error).toEqual({ message: "Invalid 'x'.", type: 'invalid_request_error', param: 'x', code: 'invalid_value' });
    expect(unknownObject('file', 'file_1')).toBeInstanceOf(DomainError);
  });
});
