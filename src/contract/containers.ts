import { z } from 'zod';
import { Int } from './int';

/**
 * The Containers API request bodies (`client.containers.*`, docs/containers.md), named after the SDK's
 * param types. Strict: an unknown field is `400 Unknown parameter`.
 */

/** OpenAI's ContainerMemoryLimit (accepted and echoed; the sandbox's own limit applies). */
export const ContainerMemoryLimit = z.enum(['1g', '4g', '16g', '64g']);

/** Network access is never granted (the sandbox has none): only `disabled` is accepted. */
const NetworkPolicy = z.strictObject({ type: z.literal('disabled') });

/** `client.containers.create()` body (CreateContainerBody). */
export const ContainerCreateParams = z.strictObject({
  name: z.string().min(1).max(256),
  file_ids: z.array(z.string().min(1)).max(50).optional(),
  // OpenAI's only anchor is `last_active_at`; minutes of inactivity (1 minute to one day here).
  expires_after: z.strictObject({ anchor: z.literal('last_active_at'), minutes: Int().min(1).max(1440) }).optional(),
  memory_limit: ContainerMemoryLimit.optional(),
  network_policy: NetworkPolicy.optional(),
});
export type ContainerCreateParams = z.infer<typeof ContainerCreateParams>;

/** `client.containers.files.create()` with a JSON body: a File of the project copied in. */
export const ContainerFileCreateParams = z.strictObject({ file_id: z.string().min(1) });

/** `GET /containers` adds a `name` filter to the usual list query. */
export const ContainerListFilter = z.object({ name: z.string().min(1).optional() });
