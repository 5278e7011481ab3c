import type { HostedFunctionCall } from '../../domain/responses/hosted-calls';
import type { ResponseProjection } from '../../domain/responses/projection';
import type { HostedCallItem, ResponseStreamEvent } from '../../domain/responses/types';
import { asHostedCall, type ResponseHostedTools } from './hosted-tools';

/** Runs a turn's hosted calls in call order, each shown as its tool's item and events; returns their outputs. */
export async function answerHosted(
  hosted: ResponseHostedTools,
  projection: ResponseProjection,
  calls: HostedFunctionCall[],
  emit: (events: ResponseStreamEvent[]) => void,
  signal: AbortSignal,
): Promise<string[]> {
  const outputs: string[] = [];
  for (const call of calls) {
    const session = hosted.session(call.name);
    const started = projection.hostedCallStarted(session.start(asHostedCall(call)));
    emit(started.events);
    const answer = await session.answer(asHostedCall(call), projection.response.output[started.index] as HostedCallItem, signal);
    emit(projection.hostedCallEnded(started.index, answer.item));
    outputs.push(answer.output);
  }
  return outputs;
}
