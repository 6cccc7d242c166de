/** Builds the CDK app for tests: bundling skipped (no esbuild run), templates read per stack. */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type AiopsStacks, createAiopsApp } from '../../infra/aiops-app.js';

export interface SynthesizedApp {
  app: App;
  stacks: AiopsStacks;
  templates: { [K in keyof AiopsStacks]: Template };
}

export function synthesizeApp(context: Record<string, unknown> = {}): SynthesizedApp {
  const { app, stacks } = createAiopsApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
  return {
    app,
    stacks,
    templates: {
      data: Template.fromStack(stacks.data),
      lanes: Template.fromStack(stacks.lanes),
      agents: Template.fromStack(stacks.agents),
      api: Template.fromStack(stacks.api),
      observability: Template.fromStack(stacks.observability),
      schedules: Template.fromStack(stacks.schedules),
      triggers: Template.fromStack(stacks.triggers),
      workflows: Template.fromStack(stacks.workflows),
    },
  };
}

type Statement = { Effect?: string; Action?: unknown; Resource?: unknown };

/** Every statement of every IAM policy in a template, inline role policies included. */
export function policyStatements(template: Template): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).map(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties,
  );
  return policies.flatMap((properties) => properties.PolicyDocument.Statement);
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
