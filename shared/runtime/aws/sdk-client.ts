/**
 * An AWS SDK client for an adapter: the one given (tests pass a client the
 * SDK mock intercepts), or one created on first use in `region`, so the SDK
 * module is imported only by a process that calls the service.
 */
import { lazy } from '../../core/lazy.js';

export interface SdkClientOptions<C> {
  /** A client to use (tests); otherwise one is created on first use with `region`. */
  client?: C;
  region?: string | undefined;
}

export function sdkClient<C>(
  options: SdkClientOptions<C>,
  create: (config: { region?: string }) => Promise<C>,
): () => Promise<C> {
  const { client, region } = options;
  return lazy(async () => client ?? create(region === undefined ? {} : { region }));
}
