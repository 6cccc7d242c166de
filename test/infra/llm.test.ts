/**
 * LLM providers on AWS (`-c llmProviders=…`): every function is told the
 * providers, agent functions may call Bedrock only when it is named, and an
 * unknown provider stops the synth with a clear message. cdk-nag stays clean.
 */
import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { asList, policyStatements, synthesizeApp } from './synth.js';

function bedrockStatements(context: Record<string, unknown>) {
  const { templates } = synthesizeApp({ stage: 'dev', ...context });
  return policyStatements(templates.agents).filter((s) => asList(s.Action).includes('bedrock:InvokeModel'));
}

describe('LLM providers in the CDK app', () => {
  it('keeps every function offline, with no Bedrock access, by default', () => {
    // Act
    const { templates } = synthesizeApp({ stage: 'dev' });

    // Assess
    expect(bedrockStatements({})).toEqual([]);
    const functions = templates.agents.findResources('AWS::Lambda::Function');
    for (const fn of Object.values(functions)) {
      const variables = (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } })
        .Properties.Environment.Variables;
      expect(variables.AIOPS_LLM_PROVIDERS).toBeUndefined();
    }
  });

  it('names the providers to every function and lets agents invoke Bedrock models when bedrock is one', () => {
    // Act
    const { app, templates } = synthesizeApp({ stage: 'prod', llmProviders: 'bedrock,anthropic' });

    // Assess
    templates.agents.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AIOPS_LLM_PROVIDERS: 'bedrock,anthropic' }) },
    });
    templates.api.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ AIOPS_LLM_PROVIDERS: 'bedrock,anthropic' }) },
    });
    const statements = bedrockStatements({ llmProviders: 'bedrock,anthropic' });
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) expect(asList(statement.Action)).toEqual(['bedrock:InvokeModel']);
    const report = new AwsSolutionsChecks().validateScope(app);
    const open = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
    );
    expect(open).toEqual([]);
  });

  it('refuses an unknown provider', () => {
    expect(() => synthesizeApp({ llmProviders: 'bedrock,gemini' })).toThrow(/Unknown LLM provider "gemini"/);
  });

  it('ships the SDK of each configured provider in every function, and none otherwise', () => {
    // Act
    const offline = synthesizeApp({ stage: 'dev' }).stacks;
    const configured = synthesizeApp({ stage: 'dev', llmProviders: 'anthropic,bedrock' }).stacks;

    // Assess: Bedrock's client comes with the Lambda runtime; the Anthropic SDK is left to node_modules.
    expect(offline.api.handler.nodeModules).toEqual([]);
    expect(configured.api.handler.nodeModules).toEqual(['@anthropic-ai/sdk']);
    for (const fn of configured.agents.agents.values()) expect(fn.nodeModules).toContain('@anthropic-ai/sdk');
  });
});
