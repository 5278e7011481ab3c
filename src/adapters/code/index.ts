import { getSandbox } from '@cloudflare/sandbox';
import type { Config } from '../../config';
import type { CodeExecutor } from '../../domain/ports';
import type { Env } from '../../env';
import { LocalCodeExecutor } from './local';
import { SandboxCodeExecutor } from './sandbox';

export { CodeFileNotFoundError, normalizeSandboxPath } from './common';
export { LocalCodeExecutor, type LocalCodeExecutorOptions } from './local';
export { SandboxCodeExecutor, type SandboxCodeExecutorOptions, type SandboxStub } from './sandbox';

/**
 * Chooses the code_interpreter sandbox:
 * 1. the Sandbox SDK's Durable Object binding `SANDBOX` (production: Cloudflare Containers);
 * 2. else the local code executor service at `CODE_EXECUTOR_URL` (`npm run dev`, tests), with
 *    `CODE_EXECUTOR_TOKEN`;
 * 3. else null: code_interpreter is unavailable, and the caller says so.
 */
export function createCodeExecutor(config: Config, env: Pick<Env, 'SANDBOX'>): CodeExecutor | null {
  if (env.SANDBOX) return new SandboxCodeExecutor(env.SANDBOX, getSandbox);
  if (config.codeExecutorUrl) return new LocalCodeExecutor({ baseUrl: config.codeExecutorUrl, token: config.codeExecutorToken });
  return null;
}
