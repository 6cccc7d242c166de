/** Dockerfile rules on realistic files: exact rule ids and lines, multi-stage semantics, parser details. */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../shared/agents/contract.js';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { credentialFile } from '../../../shared/agents/security-scanner/credential-files.js';
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

  it('reads the backtick escape, whitespace after a continuation and tab-stripped heredocs', () => {
    // Act
    const instructions = parseDockerfile(
      [
        '# escape=`',
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
        'RUN dir C:\\ `   ',
        '  && echo done',
        'RUN <<-EOF',
        '\techo one',
        '\tEOF',
        'USER ContainerUser',
      ].join('\n'),
    );

    // Assess
    expect(instructions.map((i) => [i.keyword, i.line, i.args])).toEqual([
      ['FROM', 2, 'mcr.microsoft.com/windows/servercore:ltsc2022'],
      ['RUN', 3, 'dir C:\\ && echo done'],
      ['RUN', 5, '<<-EOF\n\techo one'],
      ['USER', 8, 'ContainerUser'],
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

describe('DOCKER006: package caches', () => {
  const ids = (run: string) =>
    scanDockerfile({
      path: 'Dockerfile',
      content: ['FROM debian:12.8-slim', run, 'USER 10001', 'HEALTHCHECK NONE'].join('\n'),
    }).map((f) => f.ruleId);

  it.each([
    'RUN apt-get update && apt-get install -y curl && rm -rf /tmp/* /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y curl && rm -rf /var/cache/apt/archives /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y curl && apt-get clean && rm -r /var/lib/apt/lists/*',
    'RUN apt-get update && apt-get install -y curl && rm -fr /var/lib/apt/lists',
    'RUN apt-get update && apt-get install -y curl; rm -rf -- "/var/lib/apt/lists/"*',
    'RUN apt-get update && apt-get install -y curl && find /var/lib/apt/lists -type f -delete',
    'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n  --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n  apt-get update && apt-get install -y curl',
    'RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl',
    'RUN apk add --no-cache curl',
    'RUN apk add curl && rm -rf /tmp/x /var/cache/apk/*',
    'RUN PIP_NO_CACHE_DIR=1 pip install -r requirements.txt',
    'RUN dnf install -y curl && dnf clean all',
  ])('passes %s', (run) => {
    expect(ids(run)).not.toContain('DOCKER006');
  });

  it.each([
    'RUN apt-get update && apt-get install -y curl && apt-get clean',
    'RUN apt-get update && apt-get install -y curl && rm -rf /tmp/*',
    'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
    'RUN apt-get update && apt-get install -y curl && echo rm -rf /var/lib/apt/listsx',
    'RUN apk add curl',
    'RUN pip install flask',
  ])('flags %s', (run) => {
    expect(ids(run)).toContain('DOCKER006');
  });
});

describe('RUN checks read the shell commands', () => {
  const ids = (run: string) =>
    scanDockerfile({
      path: 'Dockerfile',
      content: ['FROM debian:12.8-slim', run, 'USER 10001', 'HEALTHCHECK NONE'].join('\n'),
    }).map((f) => f.ruleId);

  it.each([
    ['RUN curl -sSLk https://example.com/setup | bash -', ['DOCKER008', 'DOCKER009']],
    ['RUN wget -qO- https://example.com/i.sh | sudo -E sh', ['DOCKER007', 'DOCKER008']],
    ['RUN curl -fsSL https://example.com/i.sh || sh fallback.sh', []],
    ['RUN curl --insecure -o /tmp/x https://example.com/x 2>&1 > /dev/null', ['DOCKER009']],
    ['RUN curl -fsSL https://example.com/k.json -H "X-Key: -k" -o k.json', []],
    ['RUN sh -c "$(curl -fsSL https://example.com/i.sh)"', ['DOCKER008']],
  ])('%s', (run, expected) => {
    expect(ids(run).sort()).toEqual(expected);
  });
});

describe('time linear in the length of the file', () => {
  /** `lines` lines: RUN instructions of two lines each (a continuation), or one RUN continued over all of them. */
  const many = (lines: number) =>
    `FROM alpine:3.20\n${Array.from({ length: lines / 2 }, (_, i) => `RUN curl -o /tmp/${i} https://example.com/${i} \\\n  && chmod 755 /tmp/${i}`).join('\n')}\n`;
  const one = (lines: number) =>
    `FROM alpine:3.20\nRUN true \\\n${Array.from({ length: lines }, () => '  curl -o x https://example.com/x \\').join('\n')}\n  && true\n`;
  /** The fastest of three runs: a run slowed by a busy machine or a garbage collection does not count. */
  const best = (content: string) => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const start = performance.now();
      scanDockerfile({ path: 'Dockerfile', content });
      fastest = Math.min(fastest, performance.now() - start);
    }
    return fastest;
  };

  it.each([
    ['many continued instructions', many],
    ['one instruction continued over every line', one],
  ])('%s: 16× the lines take < 128× the time (linear: 16×, quadratic: 256×)', (_, make) => {
    // Arrange: compiled and warm before anything is timed
    best(make(2_000));

    // Act
    const small = best(make(2_000));
    const large = best(make(32_000));

    // Assess
    // Wide both ways: under Jest a small file stays in the young generation and a large one does
    // not, so garbage collection weighs up to ~2× more per line on the large one, and a busy machine
    // slows one side more than the other (8× the lines measured 5×–18×); quadratic passes — what this
    // replaced — grow 256× for 16× the lines.
    expect(large / small).toBeLessThan(128);
  });

  it('scans a 32k-line file of continuations in seconds (it took 41 s when quadratic)', () => {
    // Arrange
    const content = many(32_000);
    const start = performance.now();

    // Act
    const findings = scanDockerfile({ path: 'Dockerfile', content });

    // Assess
    // ~0.5 s here on a quiet machine; the bound leaves room for a busy one, far under a quadratic 41 s.
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(findings.filter((f) => f.ruleId === 'DOCKER012')).toHaveLength(0);
    expect(parseDockerfile(content)).toHaveLength(16_001);
  });
});

describe('credential files in layers', () => {
  const PRIVATE_KEY = [
    '-----BEGIN OPENSSH ',
    'PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH ',
    'PRIVATE KEY-----\n',
  ].join('');
  const found = (findings: Finding[]) =>
    findings
      .filter((f) => f.ruleId === 'DOCKER013' || f.ruleId === 'DOCKER014')
      .map((f) => [f.ruleId, f.resource?.line, f.severity])
      .sort((a, b) => Number(a[1]) - Number(b[1]) || String(a[0]).localeCompare(String(b[0])));
  const dockerfile = (...lines: string[]) => ({
    path: 'app/Dockerfile',
    content: ['FROM node:24.11-slim', ...lines, 'USER 10001', 'HEALTHCHECK NONE', ''].join('\n'),
  });

  it('names the layer that adds a key and the later RUN that deletes it', () => {
    // Act
    const findings = scanDockerfile(
      dockerfile(
        'WORKDIR /root',
        'COPY id_rsa .ssh/id_rsa',
        'RUN git clone git@example.com:shop/app.git /srv/app',
        'RUN rm -rf ~/.ssh',
      ),
    );

    // Assess
    expect(found(findings)).toEqual([['DOCKER014', 3, 'high']]);
    expect(findings.find((f) => f.ruleId === 'DOCKER014')?.message).toBe(
      'COPY at line 3 adds /root/.ssh/id_rsa (an SSH private key); RUN at line 5 removes it, but the layer of line 3 keeps it for anyone who pulls the image.',
    );
  });

  it('follows a token written by one RUN and deleted by another, and passes one written and deleted in the same RUN', () => {
    // Act
    const split = scanDockerfile(
      dockerfile(
        'ARG NPM_TOKEN',
        `RUN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" >> $HOME/.npmrc`,
        'RUN npm ci',
        'RUN rm /root/.npmrc',
      ),
    );
    const same = scanDockerfile(
      dockerfile(
        'ARG NPM_TOKEN',
        'RUN npm config set //registry.npmjs.org/:_authToken "$NPM_TOKEN" && npm ci && rm ~/.npmrc',
      ),
    );

    // Assess
    expect(found(split)).toEqual([['DOCKER014', 3, 'high']]);
    expect(found(same)).toEqual([]);
  });

  it('reads the build context for COPY . and globs, honouring .dockerignore and file contents', () => {
    // Arrange
    const context = [
      { path: 'app/server.js', content: 'console.log(1)\n' },
      { path: 'app/.env', content: `DB_PASSWORD=${['hunter2', 'hunter2'].join('')}\n` },
      {
        path: 'app/deploy/service-account.json',
        content: '{"type": "service_account", "private_key": "x"}\n',
      },
      { path: 'app/certs/server.pem', content: PRIVATE_KEY },
      { path: 'app/certs/ca.pem', content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
      { path: 'app/.npmrc', content: 'registry=https://registry.npmjs.org/\n' },
      { path: 'other/.env', content: 'X=1\n' },
    ];
    const ignore = { path: 'app/.dockerignore', content: '# secrets\n.env\n*.md\n' };

    // Act
    const withoutIgnore = scanDockerfile(
      dockerfile('WORKDIR /srv/app', 'COPY . .', 'COPY certs/*.pem /etc/ssl/'),
      context,
    );
    const withIgnore = scanDockerfile(dockerfile('WORKDIR /srv/app', 'COPY . .'), [...context, ignore]);

    // Assess
    const copyAll = withoutIgnore.find((f) => f.ruleId === 'DOCKER013' && f.resource?.line === 3);
    expect(copyAll?.evidence).toMatchObject({
      sources: ['.env', 'deploy/service-account.json', 'certs/server.pem'],
      paths: ['/srv/app/.env', '/srv/app/deploy/service-account.json', '/srv/app/certs/server.pem'],
    });
    expect(copyAll?.message).toContain('from the build context (.dockerignore does not exclude it)');
    expect(found(withoutIgnore)).toEqual([
      ['DOCKER013', 3, 'high'],
      ['DOCKER013', 4, 'high'],
    ]);
    expect(withIgnore.find((f) => f.ruleId === 'DOCKER013')?.evidence).toMatchObject({
      sources: ['deploy/service-account.json', 'certs/server.pem'],
    });
  });

  it('lowers a secret of a build stage that does not ship, unless COPY --from carries it over', () => {
    // Arrange
    const build = [
      'FROM node:24.11-slim AS build',
      'WORKDIR /src',
      'COPY .npmrc package.json ./',
      'RUN npm ci',
    ];
    const ship = (from: string) => [
      ...build,
      'FROM node:24.11-slim',
      `COPY --from=build ${from} /srv/app/`,
      'USER 10001',
      'HEALTHCHECK NONE',
    ];

    // Act
    const dropped = scanDockerfile({ path: 'Dockerfile', content: ship('/src/node_modules').join('\n') });
    const carried = scanDockerfile({ path: 'Dockerfile', content: ship('/src').join('\n') });

    // Assess
    expect(found(dropped)).toEqual([['DOCKER013', 3, 'low']]);
    expect(dropped[0]?.message).toContain('which does not ship');
    expect(found(carried)).toEqual([['DOCKER013', 3, 'high']]);
    expect(carried.find((f) => f.ruleId === 'DOCKER013')?.message).toContain('COPY --from at line 6');
  });

  it('reads a credential file written by a COPY heredoc', () => {
    // Act
    const findings = scanDockerfile(
      dockerfile(
        'COPY <<EOF /root/.npmrc',
        `//registry.npmjs.org/:_authToken=${['npm_', 'Xk29sPq'].join('')}`,
        'EOF',
      ),
    );

    // Assess
    expect(found(findings)).toEqual([['DOCKER013', 2, 'high']]);
  });

  it('keeps a secret a shell glob does not reach: rm /app/* leaves dot files', () => {
    // Act
    const findings = scanDockerfile(dockerfile('COPY .env id_ed25519 /app/', 'RUN rm -rf /app/*'));

    // Assess
    expect(found(findings)).toEqual([
      ['DOCKER013', 2, 'high'],
      ['DOCKER014', 2, 'high'],
    ]);
    expect(findings.find((f) => f.ruleId === 'DOCKER013')?.evidence).toMatchObject({ paths: ['/app/.env'] });
  });
});

describe('credentialFile', () => {
  it.each([
    ['deploy/id_ed25519', undefined, 'an SSH private key'],
    ['certs/client.p12', undefined, 'a key store'],
    ['kubeconfig', undefined, 'a kubeconfig'],
    ['.git-credentials', undefined, 'git credentials'],
    ['home/.aws/credentials', undefined, 'a file of .aws'],
    ['.docker/config.json', undefined, 'a file of .docker'],
    ['config.json', '{"auths": {"registry.example.com": {"auth": "x"}}}', 'Docker registry credentials'],
    ['.env.production', undefined, 'environment secrets'],
    ['.npmrc', '//registry.npmjs.org/:_authToken=npm_abc123\n', 'an npm token'],
  ])('%s is a credential file', (path, content, what) => {
    expect(credentialFile(path, content)).toBe(what);
  });

  it.each([
    ['.env.example', undefined],
    ['deploy/id_ed25519.pub', undefined],
    ['certs/ca-bundle.pem', undefined],
    ['config.json', '{"port": 8080}'],
    ['.npmrc', `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`],
    ['.ssh/known_hosts', undefined],
    ['src/credentials.ts', undefined],
  ])('%s is not', (path, content) => {
    expect(credentialFile(path, content)).toBeUndefined();
  });
});
