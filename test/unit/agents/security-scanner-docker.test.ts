/** Dockerfile rules on realistic files: exact rule ids and lines, multi-stage semantics, parser details. */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import {
  imageReference,
  parseDockerfile,
  scanDockerfile,
} from '../../../shared/agents/security-scanner/dockerfile.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function scan(files: { path: string; content: string }[]) {
  return analyzeSecurity(securityInputSchema.parse({ files }), { traceId: 'test', now: NOW });
}

function dockerfile(name: string) {
  return { path: `services/${name}/Dockerfile`, content: fixture(`security/docker/Dockerfile.${name}`) };
}

const places = (findings: Finding[]) =>
  findings
    .map((f) => [f.ruleId, f.resource?.line, f.severity])
    .sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[0]).localeCompare(String(b[0])));

describe('an insecure Dockerfile', () => {
  it('reports each problem with its rule id and line', async () => {
    // Act
    const { findings } = await scan([dockerfile('insecure')]);

    // Assess
    expect(places(findings)).toEqual([
      ['DOCKER001', 2, 'medium'],
      ['DOCKER002', 2, 'medium'],
      ['DOCKER005', 2, 'low'],
      ['DOCKER004', 5, 'medium'],
      ['DOCKER004', 6, 'high'],
      ['DOCKER006', 10, 'low'],
      ['DOCKER007', 10, 'medium'],
      ['DOCKER008', 14, 'high'],
      ['DOCKER009', 14, 'high'],
      ['DOCKER003', 17, 'medium'],
      ['DOCKER010', 18, 'low'],
      ['DOCKER013', 19, 'high'],
      ['DOCKER006', 22, 'low'],
      ['DOCKER012', 22, 'medium'],
      ['DOCKER011', 24, 'medium'],
    ]);
  });

  it('names the secret variable but never its value', async () => {
    // Act
    const result = await scan([dockerfile('insecure')]);

    // Assess
    const env = result.findings.find((f) => f.ruleId === 'DOCKER004' && f.severity === 'high');
    expect(env?.message).toBe(
      'ENV BILLING_API_KEY holds a literal value (24 chars) that stays in the image config.',
    );
    expect(JSON.stringify(result)).not.toContain('sk9f83hQ2vLx0pZr7TmWc4Ne');
  });
});

describe('multi-stage builds', () => {
  it('passes a hardened multi-stage Dockerfile: build stage caches and root do not ship', async () => {
    // Act
    const { findings } = await scan([dockerfile('secure')]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('follows the final stage to the stage it is built FROM: USER root at the end is what counts', async () => {
    // Act
    const { findings } = await scan([dockerfile('stages')]);

    // Assess
    expect(places(findings)).toEqual([['DOCKER001', 15, 'medium']]);
    expect(findings[0]?.message).toContain('USER root');
  });

  it('reads the escape directive and heredocs, and honours an inline suppression with its reason', async () => {
    // Act
    const { findings } = await scan([dockerfile('heredoc')]);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'DOCKER005',
      resource: { line: 3 },
      suppressed: true,
      suppressionReason: 'health is checked by the ECS task definition',
    });
  });

  it('inherits USER and HEALTHCHECK from the stage the final stage is built FROM', () => {
    // Arrange
    const content = [
      'FROM python:3.12-slim AS base',
      'RUN useradd -r app',
      'USER app',
      'HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')"',
      'FROM base',
      'COPY app.py .',
      'CMD ["python", "app.py"]',
    ].join('\n');

    // Act
    const findings = scanDockerfile({ path: 'Dockerfile', content });

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('secrets in ENV and ARG', () => {
  it('flags credential names the way Docker build checks do, by value kind', () => {
    // Act
    const findings = scanDockerfile({
      path: 'Dockerfile',
      content: [
        'FROM alpine:3.20',
        'ARG SSH_KEY',
        `ARG NPM_AUTH=\${NPM_TOKEN}`,
        'ENV AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE12 AWS_REGION=eu-west-1',
        'ENV DB_PASSWORD changeme',
        'ENV CACHE_KEY=v3 PUBLIC_KEY=/etc/keys/pub.pem DB_PASSWORD_FILE=/run/secrets/db',
        'USER 10001',
        'HEALTHCHECK NONE',
      ].join('\n'),
    });

    // Assess
    expect(findings.map((f) => [f.ruleId, f.resource?.line, f.severity])).toEqual([
      ['DOCKER004', 2, 'medium'],
      ['DOCKER004', 3, 'medium'],
      ['DOCKER004', 4, 'info'],
      ['DOCKER004', 5, 'info'],
    ]);
  });
});

describe('parsing', () => {
  it('joins continuation lines, skips comments inside them and keeps the first line', () => {
    // Act
    const instructions = parseDockerfile(
      [
        'FROM alpine:3.20',
        'RUN apk add --no-cache \\',
        '  # the TLS roots',
        '  ca-certificates \\',
        '  tzdata',
      ].join('\n'),
    );

    // Assess
    expect(instructions).toEqual([
      { keyword: 'FROM', args: 'alpine:3.20', line: 1 },
      { keyword: 'RUN', args: 'apk add --no-cache ca-certificates tzdata', line: 2 },
    ]);
  });

  it('keeps a continuation going over an empty line, and reads several heredocs of one instruction', () => {
    // Act
    const instructions = parseDockerfile(
      [
        'FROM nginx:1.27',
        'RUN apt-get update \\',
        '',
        '  && apt-get install -y --no-install-recommends curl',
        'COPY <<robots.txt <<humans.txt /usr/share/nginx/html/',
        'User-agent: *',
        'robots.txt',
        'Made by the shop team',
        'humans.txt',
        'USER nginx',
      ].join('\n'),
    );

    // Assess
    expect(instructions.map((i) => [i.keyword, i.line, i.args])).toEqual([
      ['FROM', 1, 'nginx:1.27'],
      ['RUN', 2, 'apt-get update && apt-get install -y --no-install-recommends curl'],
      ['COPY', 5, '<<robots.txt <<humans.txt /usr/share/nginx/html/\nUser-agent: *\nMade by the shop team'],
      ['USER', 10, 'nginx'],
    ]);
  });

  it.each([
    ['node', { name: 'node' }],
    ['node:24-slim', { name: 'node', tag: '24-slim' }],
    ['registry.example.com:5000/team/api', { name: 'registry.example.com:5000/team/api' }],
    ['registry.example.com:5000/team/api:1.4', { name: 'registry.example.com:5000/team/api', tag: '1.4' }],
    ['node@sha256:abc', { name: 'node', digest: 'sha256:abc' }],
  ])('imageReference(%s)', (image, expected) => {
    expect(imageReference(image)).toEqual(expected);
  });

  it('resolves a base image from an ARG default, and flags :latest coming from it', () => {
    // Act
    const findings = scanDockerfile({
      path: 'Dockerfile',
      content: `ARG TAG=latest\nFROM nginx:\${TAG}\nUSER nginx\nHEALTHCHECK NONE\n`,
    });

    // Assess
    expect(findings.map((f) => [f.ruleId, f.resource?.line])).toEqual([['DOCKER002', 2]]);
  });

  it('runs as root when the final stage is scratch without USER; nonroot base images pass', () => {
    // Act
    const scratch = scanDockerfile({
      path: 'Dockerfile',
      content: 'FROM scratch\nCOPY app /app\nHEALTHCHECK NONE\n',
    });
    const nonroot = scanDockerfile({
      path: 'Dockerfile',
      content: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\nHEALTHCHECK NONE\n',
    });

    // Assess
    expect(scratch.map((f) => f.ruleId)).toEqual(['DOCKER001']);
    expect(nonroot).toEqual([]);
  });
});
