/**
 * Reads secrets (LLM API keys) from AWS Secrets Manager. The SDK is imported
 * on first use and each secret is fetched once per container: keys rotate
 * rarely, and a cold start should not pay for a client it never uses.
 *
 * A secret holding JSON may name its field: `<arn>#<field>` reads
 * `{"<field>": "…"}`; without `#` the whole SecretString is the value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsErrorName, isTransientAwsError } from '../../core/aws-sdk-errors.js';
import { AiopsError, ConfigurationError, ConnectionError } from '../../core/errors.js';

export interface SecretReader {
  /** The secret's value; undefined when it holds no string. */
  get(name: string): Promise<string | undefined>;
}

export interface SecretsManagerReaderOptions {
  region?: string;
  /** For tests and callers that already hold a client. */
  client?: SecretsManagerClient;
}

export function toSecretsError(error: unknown, secretId: string): AiopsError {
  if (error instanceof AiopsError) return error;
  const name = awsErrorName(error);
  const details = { errorName: name, secretId };
  return isTransientAwsError(error)
    ? new ConnectionError(`Secrets Manager is unavailable (${name})`, { cause: error, details })
    : new ConfigurationError(`Secret ${secretId} cannot be read (${name})`, { cause: error, details });
}

function splitName(name: string): { secretId: string; field: string | undefined } {
  // An ARN contains ':' but never '#'.
  const at = name.lastIndexOf('#');
  return at < 0
    ? { secretId: name, field: undefined }
    : { secretId: name.slice(0, at), field: name.slice(at + 1) };
}

function pick(secretId: string, value: string | undefined, field: string | undefined): string | undefined {
  if (field === undefined || value === undefined) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (cause) {
    throw new ConfigurationError(`Secret ${secretId} is not JSON, so it has no field "${field}"`, { cause });
  }
  const picked =
    typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
  return typeof picked === 'string' ? picked : undefined;
}

export function createSecretsManagerReader(options: SecretsManagerReaderOptions = {}): SecretReader {
  let client:
    | Promise<{ client: SecretsManagerClient; sdk: typeof import('@aws-sdk/client-secrets-manager') }>
    | undefined;
  const cache = new Map<string, Promise<string | undefined>>();

  const sdk = () => {
    client ??= import('@aws-sdk/client-secrets-manager').then((module) => ({
      sdk: module,
      client:
        options.client ??
        new module.SecretsManagerClient(options.region === undefined ? {} : { region: options.region }),
    }));
    return client;
  };

  const fetchSecret = async (secretId: string): Promise<string | undefined> => {
    const { client: c, sdk: module } = await sdk();
    try {
      const output = await c.send(new module.GetSecretValueCommand({ SecretId: secretId }));
      return output.SecretString;
    } catch (error) {
      throw toSecretsError(error, secretId);
    }
  };

  return {
    async get(name) {
      const { secretId, field } = splitName(name);
      let value = cache.get(secretId);
      if (value === undefined) {
        value = fetchSecret(secretId);
        cache.set(secretId, value);
        // A failed read is forgotten so the next call tries again.
        value.catch(() => {
          if (cache.get(secretId) === value) cache.delete(secretId);
        });
      }
      return pick(secretId, await value, field);
    },
  };
}
