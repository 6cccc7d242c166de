import {
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError, ConnectionError } from '../../../shared/core/errors.js';
import { createSecretsManagerReader } from '../../../shared/runtime/aws/secrets.js';

const secrets = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:aiops/llm-AbCdEf';

beforeEach(() => {
  secrets.reset();
});

describe('Secrets Manager reader', () => {
  it('reads a secret once and serves it from the cache afterwards', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: 'sk-ant-123' });
    const reader = createSecretsManagerReader({ region: 'eu-west-1' });

    await expect(reader.get(ARN)).resolves.toBe('sk-ant-123');
    await expect(reader.get(ARN)).resolves.toBe('sk-ant-123');

    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reads one field of a JSON secret with <arn>#<field>', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: '{"anthropic":"sk-ant-1","openai":"sk-oai-2"}' });
    const reader = createSecretsManagerReader();

    await expect(reader.get(`${ARN}#openai`)).resolves.toBe('sk-oai-2');
    await expect(reader.get(`${ARN}#anthropic`)).resolves.toBe('sk-ant-1');
    await expect(reader.get(`${ARN}#gemini`)).resolves.toBeUndefined();

    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: ARN });
  });

  it('refuses a field of a secret that is not JSON', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'plain' });

    await expect(createSecretsManagerReader().get(`${ARN}#openai`)).rejects.toBeInstanceOf(
      ConfigurationError,
    );
  });

  it('forgets a failed read so the next call tries again', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new InternalServiceError({ message: 'boom', $metadata: { httpStatusCode: 500 } }))
      .resolves({ SecretString: 'sk-later' });
    const reader = createSecretsManagerReader();

    await expect(reader.get(ARN)).rejects.toBeInstanceOf(ConnectionError);
    await expect(reader.get(ARN)).resolves.toBe('sk-later');
  });

  it('maps a missing secret to a configuration error', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'no such secret', $metadata: { httpStatusCode: 400 } }),
      );

    await expect(createSecretsManagerReader().get(ARN)).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
      details: { secretId: ARN, errorName: 'ResourceNotFoundException' },
    });
  });
});
