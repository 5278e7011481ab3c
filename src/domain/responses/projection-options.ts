import { newId } from '../ids';

/** The ids a projection gives the output items it creates. */
export interface ProjectionIds {
  message(): string;
  functionCall(): string;
}

/** New ids for a response's output items: messages `msg_`, function calls `fc_`. */
export function newItemIds(): ProjectionIds {
  return { message: () => newId('msg_'), functionCall: () => newId('fc_') };
}

/** How the response's hosted tools show in the projection (docs/responses.md "Hosted tools"). */
export interface HostedOptions {
  /** The functions the server answers itself: their calls are collected, not shown as `function_call`. */
  functions: ReadonlySet<string>;
  /** The annotations of a finished answer's text (e.g. `file_citation` from the search markers). */
  annotate(text: string): unknown[];
}

export const NO_HOSTED: HostedOptions = { functions: new Set(), annotate: () => [] };
