// Stream events against the stream-event union of their document: AssistantStreamEvent (the `event:` line
// names the member) and ResponseStreamEvent (the `type` field does). A failing event is reported against its
// own member schema, indexed by name when the document is loaded (openapi-documents.ts).
import { schemaById, validator, type Validator } from './openapi-documents.js';
import { run } from './openapi-errors.js';

/**
 * Validate one SSE event against AssistantStreamEvent. `data` is the parsed JSON payload, except for the
 * `done` event whose data is the literal string "[DONE]".
 */
export function validateStreamEvent(event: string, data: unknown): string[] {
  return validateUnionMember(validator('assistants'), event, { event, data });
}

/**
 * Validate one Responses SSE event against ResponseStreamEvent: `event` is the SSE `event:` line, `data` the
 * parsed JSON payload, whose `type` must equal it (OpenAI sends both).
 */
export function validateResponseStreamEvent(event: string, data: unknown): string[] {
  const type = (data as { type?: unknown } | null)?.type;
  if (type !== event) return [`event '${event}': data.type is ${JSON.stringify(type)}, not the event name`];
  return validateUnionMember(validator('responses'), event, data);
}

function validateUnionMember(v: Validator, name: string, value: unknown): string[] {
  const union = v.config.streamUnion;
  const whole = schemaById(v, v.config.base + union);
  // anyOf (ResponseStreamEvent) accepts a value matching several members; oneOf (AssistantStreamEvent) does not.
  if (whole(value)) return [];
  const member = v.streamMembers.get(name);
  if (!member) return [`unknown stream event '${name}' (not in ${union}; known: ${[...v.streamMembers.keys()].join(', ')})`];
  const errors = run(schemaById(v, member), value).map((e) => `event '${name}': ${e}`);
  // The member matched but oneOf still failed: another member matched too (ambiguous spec) - report it.
  return errors.length ? errors : [`event '${name}': matches more than one ${union} member`];
}
