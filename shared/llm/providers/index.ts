/**
 * The configured providers, in the order of AIOPS_LLM_PROVIDERS (an empty list
 * runs offline). API keys come from the environment, or on AWS from Secrets
 * Manager through `secrets` (ANTHROPIC_API_KEY_SECRET_ARN, OPENAI_API_KEY_SECRET_ARN).
 */
import type { Config } from '../../core/config.js';
import type { ProviderName } from '../../core/domain.js';
import { ConfigurationError, MissingApiKeyError } from '../../core/errors.js';
import type { LlmProvider } from '../types.js';
import { AnthropicProvider } from './anthropic.js';
import { BedrockProvider } from './bedrock.js';
import { OpenAiProvider } from './openai.js';

export { AnthropicProvider } from './anthropic.js';
export { BedrockProvider } from './bedrock.js';
export { isRequestError } from './common.js';
export { OpenAiProvider } from './openai.js';

type Env = Config['env'];

export interface SecretSource {
  get(name: string): Promise<string | undefined>;
}

/** Used when AIOPS_LLM_MODEL_<PROVIDER> is unset. */
export const DEFAULT_MODELS = {
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4.1-mini',
  /** Bedrock's cross-region inference profile; its prefix (`us`, `eu`, `apac`) follows AWS_REGION. */
  bedrock: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
} as const satisfies Record<ProviderName, string>;

/** Self-hosted OpenAI-compatible servers (vLLM, Ollama) accept any key; the SDK insists on one. */
const PLACEHOLDER_KEY = 'not-needed';

const GEOGRAPHIES: ReadonlyArray<[prefix: string, geography: string]> = [
  ['us-gov-', 'us-gov'],
  ['us-', 'us'],
  ['ca-', 'us'],
  ['eu-', 'eu'],
  ['ap-', 'apac'],
];

export function defaultBedrockModel(region: string | undefined): string {
  const geography = GEOGRAPHIES.find(([prefix]) => region?.startsWith(prefix))?.[1];
  if (geography === undefined) {
    throw new ConfigurationError(
      `No default Bedrock model for region ${region ?? '(unset)'}: set AIOPS_LLM_MODEL_BEDROCK`,
      { details: { variable: 'AIOPS_LLM_MODEL_BEDROCK' } },
    );
  }
  return `${geography}.${DEFAULT_MODELS.bedrock}`;
}

async function apiKey(
  provider: ProviderName,
  value: string | undefined,
  secretArn: string | undefined,
  secrets: SecretSource | undefined,
): Promise<string | undefined> {
  if (value !== undefined) return value;
  if (secretArn === undefined) return undefined;
  if (secrets === undefined) {
    throw new ConfigurationError(
      `The ${provider} API key is in Secrets Manager, but no secret reader is available here`,
      { details: { provider, secretArn } },
    );
  }
  const key = (await secrets.get(secretArn))?.trim();
  if (key === undefined || key === '') {
    throw new MissingApiKeyError(`The secret holding the ${provider} API key is empty`, {
      details: { provider, secretArn },
    });
  }
  return key;
}

async function createProvider(
  name: ProviderName,
  env: Env,
  secrets: SecretSource | undefined,
): Promise<LlmProvider> {
  switch (name) {
    case 'anthropic': {
      const key = await apiKey(name, env.ANTHROPIC_API_KEY, env.ANTHROPIC_API_KEY_SECRET_ARN, secrets);
      if (key === undefined) {
        throw new MissingApiKeyError('anthropic is configured but ANTHROPIC_API_KEY is unset', {
          details: { provider: name, variables: ['ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY_SECRET_ARN'] },
        });
      }
      return new AnthropicProvider({
        apiKey: key,
        model: env.AIOPS_LLM_MODEL_ANTHROPIC ?? DEFAULT_MODELS.anthropic,
        ...(env.ANTHROPIC_BASE_URL === undefined ? {} : { baseUrl: env.ANTHROPIC_BASE_URL }),
      });
    }
    case 'openai': {
      const key = await apiKey(name, env.OPENAI_API_KEY, env.OPENAI_API_KEY_SECRET_ARN, secrets);
      if (key === undefined && env.OPENAI_BASE_URL === undefined) {
        throw new MissingApiKeyError('openai is configured but OPENAI_API_KEY is unset', {
          details: { provider: name, variables: ['OPENAI_API_KEY', 'OPENAI_API_KEY_SECRET_ARN'] },
        });
      }
      return new OpenAiProvider({
        apiKey: key ?? PLACEHOLDER_KEY,
        model: env.AIOPS_LLM_MODEL_OPENAI ?? DEFAULT_MODELS.openai,
        ...(env.OPENAI_BASE_URL === undefined ? {} : { baseUrl: env.OPENAI_BASE_URL }),
      });
    }
    case 'bedrock':
      return new BedrockProvider({
        model: env.AIOPS_LLM_MODEL_BEDROCK ?? defaultBedrockModel(env.AWS_REGION),
        ...(env.AWS_REGION === undefined ? {} : { region: env.AWS_REGION }),
      });
  }
}

/** Every provider of AIOPS_LLM_PROVIDERS, in order; a duplicate counts once. */
export async function createProviders(env: Env, secrets?: SecretSource): Promise<LlmProvider[]> {
  const names = [...new Set(env.AIOPS_LLM_PROVIDERS)];
  return Promise.all(names.map((name) => createProvider(name, env, secrets)));
}
