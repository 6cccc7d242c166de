/**
 * The project passes its own scanner: every template the CDK app synthesizes
 * (both stages, every stack, as other stacks are added), the Dockerfile and
 * the Kubernetes manifests have no open high or critical finding. Findings
 * that are by design are suppressed with a reason in the repository's
 * `.aiopsignore`; cdk-nag's acknowledgements do not count here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { createAiopsApp } from '../../../infra/aiops-app.js';
import type { Finding, SourceFile } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONTEXT = { traceId: 'self-scan', now: new Date('2025-06-01T12:00:00Z') };

function repositoryFile(path: string): SourceFile[] {
  const absolute = join(ROOT, path);
  return existsSync(absolute) ? [{ path, content: readFileSync(absolute, 'utf8') }] : [];
}

function walk(folder: string): SourceFile[] {
  const absolute = join(ROOT, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).flatMap((name) => {
    const path = join(absolute, name);
    if (statSync(path).isDirectory()) return walk(relative(ROOT, path));
    return /\.ya?ml$/.test(name) ? [{ path: relative(ROOT, path), content: readFileSync(path, 'utf8') }] : [];
  });
}

/** The synthesized templates, pretty-printed like cdk.out so findings have lines. */
function templates(stage: string): SourceFile[] {
  const { app } = createAiopsApp(new App({ context: { stage, 'aws:cdk:bundling-stacks': [] } }));
  return app.synth().stacks.map((stack) => ({
    path: `cdk.out/${stack.templateFile}`,
    content: JSON.stringify(stack.template, null, 1),
  }));
}

const open = (findings: readonly Finding[]) =>
  findings.filter((f) => !f.suppressed && (f.severity === 'critical' || f.severity === 'high'));

describe.each(['dev', 'prod'])('the %s stage', (stage) => {
  it('has no open high or critical finding in its synthesized templates', async () => {
    // Arrange
    const files = [...templates(stage), ...repositoryFile('.aiopsignore')];

    // Act
    const result = await analyzeSecurity(securityInputSchema.parse({ files }), CONTEXT);

    // Assess: the rule, the resource and the message say what to fix or suppress with a reason.
    expect(result.metrics.templates).toBeGreaterThanOrEqual(5);
    expect(open(result.findings).map((f) => `${f.ruleId} ${f.resource?.name}: ${f.message}`)).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'AIOPS000')).toEqual([]);
  }, 120_000);
});

describe('the repository', () => {
  it('has no open high or critical finding in its Dockerfile and Kubernetes manifests', async () => {
    // Arrange
    const files = [...repositoryFile('Dockerfile'), ...walk('k8s'), ...repositoryFile('.aiopsignore')];

    // Act
    const result = await analyzeSecurity(
      securityInputSchema.parse({ files: files.length > 0 ? files : [{ path: 'empty', content: '' }] }),
      CONTEXT,
    );

    // Assess
    expect(
      open(result.findings).map((f) => `${f.ruleId} ${f.resource?.file}:${f.resource?.line}: ${f.message}`),
    ).toEqual([]);
  });
});
