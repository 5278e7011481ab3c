import type { HostedOffer } from '../domain/runs/chat-request';
import type { Run, RunStep } from '../domain/runs/types';
import type { HostedCall, HostedTool, ToolOffer, ToolPorts } from '../tools/hosted-tool';
import { hostedFunctionNames, inAnswerOrder } from '../tools/registry';

/** The hosted tools offered for one model call of a run. */
export interface OfferedTools {
  /** Offered tools by the function name the model calls: how their calls show in the step. */
  byFunction: ReadonlyMap<string, Pick<HostedTool, 'step'>>;
  /** What the model request offers (src/domain/runs/chat-request.ts). */
  request: HostedOffer;
  offers: { tool: HostedTool; offer: ToolOffer }[];
}

/** Asks every registered tool whether and how it is offered for this call (in registry order). */
export async function offerTools(tools: readonly HostedTool[], run: Run, projectId: string, ports: ToolPorts, signal: AbortSignal): Promise<OfferedTools> {
  const offers: OfferedTools['offers'] = [];
  for (const tool of tools) {
    const offer = await tool.offer(run, projectId, ports, signal);
    if (offer) offers.push({ tool, offer });
  }
  return {
    byFunction: new Map(offers.flatMap(({ tool, offer }) => offer.definitions.map((d) => [d.function.name, { step: offer.step ?? tool.step }] as const))),
    request: { definitions: offers.flatMap(({ offer }) => offer.definitions), functionFor: hostedFunctionNames(tools) },
    offers,
  };
}

/** Answers a turn's hosted calls, tool by tool in answer order; returns the step with their results. */
export async function answerHostedCalls(offered: OfferedTools, step: RunStep, calls: HostedCall[], signal: AbortSignal): Promise<RunStep> {
  for (const { tool, offer } of inAnswerOrder(offered.offers)) {
    const names = new Set(offer.definitions.map((d) => d.function.name));
    const own = calls.filter((c) => names.has(c.name));
    if (own.length) step = await offer.answer(step, own, signal);
  }
  return step;
}
