/** The app as `cdk synth` builds it: both stages synthesize, and cdk-nag has nothing left to say. */
import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createAiopsApp } from '../../infra/aiops-app.js';
import { ConfigurationError } from '../../shared/core/errors.js';

const STAGES = ['dev', 'prod'] as const;

function buildApp(stage: string): App {
  return createAiopsApp(new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } })).app;
}

describe.each(STAGES)('the %s stage', (stage) => {
  it('has no unacknowledged AwsSolutions finding', () => {
    // Prepare
    const app = buildApp(stage);

    // Act
    const report = new AwsSolutionsChecks().validateScope(app);

    // Assess: the rule and the path say what to fix or acknowledge.
    const open = report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
    expect(open).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('synthesizes every stack, with cdk-nag registered as a validation plugin', () => {
    // Act
    const assembly = buildApp(stage).synth();

    // Assess
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(
      ['Agents', 'Api', 'Data', 'Lanes', 'Observability', 'Schedules', 'Triggers', 'Workflows'].map(
        (name) => `Aiops-${stage}-${name}`,
      ),
    );
  });
});

describe('stage-dependent settings', () => {
  it('protects the database from deletion in prod only', () => {
    // Act
    const templates = STAGES.map((stage) => {
      const assembly = buildApp(stage).synth();
      return assembly.getStackByName(`Aiops-${stage}-Data`).template as {
        Resources: Record<string, { Type: string; Properties?: { DeletionProtection?: boolean } }>;
      };
    });

    // Assess
    const protection = templates.map(
      (template) =>
        Object.values(template.Resources).find((r) => r.Type === 'AWS::RDS::DBCluster')?.Properties
          ?.DeletionProtection,
    );
    expect(protection).toEqual([false, true]);
  });

  it('refuses an unknown stage', () => {
    // Act / Assess
    expect(() => buildApp('staging')).toThrow(ConfigurationError);
  });
});
