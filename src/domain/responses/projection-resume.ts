import type { FunctionCallItem, OutputItem, OutputMessageItem, OutputTextPart, ResponseStreamEvent } from './types';

/** The item a projection has open: a message taking text, or a function call taking arguments. */
export type OpenItem =
  | { kind: 'message'; index: number; item: OutputMessageItem }
  | { kind: 'call'; index: number; item: FunctionCallItem; toolIndex: number };

/**
 * The output a response's stored events built, restored into `output` (ResponseProjection.resumeFrom):
 * returns the item they left open, as the projection's open item (a message with its text part, a
 * function call) or as its open hosted call; a message left open without a part ends `incomplete`.
 */
export function restoreOutput(output: OutputItem[], events: readonly ResponseStreamEvent[]): { open?: OpenItem; hostedOpen?: number } {
  output.length = 0;
  let openIndex: number | undefined;
  for (const e of events) {
    const index = e.output_index as number;
    if (e.type === 'response.output_item.added' || e.type === 'response.output_item.done') {
      output[index] = structuredClone(e.item as OutputItem);
      openIndex = e.type === 'response.output_item.added' ? index : undefined;
    } else if (e.type === 'response.content_part.added') {
      (output[index] as OutputMessageItem).content[0] = structuredClone(e.part as OutputTextPart);
    } else if (e.type === 'response.output_text.delta') {
      (output[index] as OutputMessageItem).content[0]!.text += e.delta as string;
    } else if (e.type === 'response.function_call_arguments.delta') {
      (output[index] as FunctionCallItem).arguments += e.delta as string;
    }
  }
  const item = openIndex === undefined ? undefined : output[openIndex];
  if (item?.type === 'message' && item.content.length > 0) return { open: { kind: 'message', index: openIndex!, item } };
  else if (item?.type === 'function_call') return { open: { kind: 'call', index: openIndex!, item, toolIndex: -1 } };
  else if (item?.type === 'message') item.status = 'incomplete';
  else if (item) return { hostedOpen: openIndex };
  return {};
}
