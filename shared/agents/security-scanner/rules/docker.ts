/**
 * The Dockerfile rules (../dockerfile.ts): the image's user, base tag, health
 * check and caches, downloads and secrets in the build. Samples are small
 * Dockerfiles; `image()` wraps the lines under test in a base that passes
 * every other rule, so a sample shows one thing.
 */
import { defineRules } from '../../scan/catalog.js';

/** A Dockerfile whose line 2 onwards are `lines`, pinned, non-root and with a health check. */
function image(...lines: string[]) {
  return {
    path: 'Dockerfile',
    content: [
      'FROM node:24.11-slim',
      ...lines,
      'USER 10001',
      'HEALTHCHECK NONE',
      'CMD ["node", "server.js"]',
      '',
    ].join('\n'),
  };
}

export const DOCKER_RULES = defineRules('security-scanner', [
  {
    id: 'DOCKER001',
    severity: 'medium',
    category: 'security',
    title: 'Container runs as root',
    description:
      'The final stage sets no USER (or sets root / 0), so the process runs as uid 0: a container escape or a writable mount becomes root on the host. Only the final stage counts; build stages may run as root.',
    remediation:
      'Create an unprivileged user and switch to it at the end of the final stage: `RUN useradd -r -u 10001 app` then `USER 10001` (numeric, so Kubernetes runAsNonRoot can verify it).',
    cwe: ['CWE-250'],
    docs: 'https://docs.docker.com/build/building/best-practices/#user',
    samples: {
      bad: [
        {
          path: 'Dockerfile',
          content: 'FROM node:24.11-slim\nHEALTHCHECK NONE\nCMD ["node", "server.js"]\n',
          line: 1,
        },
        {
          path: 'Dockerfile',
          content: 'FROM node:24.11-slim\nUSER root\nHEALTHCHECK NONE\n',
          line: 2,
          why: 'switching back to root',
        },
      ],
      good: [
        image(),
        {
          path: 'Dockerfile',
          content:
            'FROM golang:1.23 AS build\nRUN go build -o /out/api .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/api /api\nHEALTHCHECK NONE\n',
          why: 'a build stage as root, a nonroot base for the image that ships',
        },
      ],
    },
  },
  {
    id: 'DOCKER002',
    severity: 'medium',
    category: 'security',
    title: 'Base image is :latest or untagged',
    description:
      'FROM names an image without a tag or with `:latest`: every build may pull different software, builds are not reproducible and a compromised or broken upstream image is picked up silently.',
    remediation:
      'Pin a version tag, better a digest: `FROM node:24.11-slim@sha256:…`, and update it deliberately.',
    cwe: ['CWE-1357'],
    docs: 'https://docs.docker.com/build/building/best-practices/#pin-base-image-versions',
    samples: {
      bad: [
        { path: 'Dockerfile', content: 'FROM python\nUSER 10001\nHEALTHCHECK NONE\n', line: 1 },
        { path: 'Dockerfile', content: 'FROM nginx:latest\nUSER nginx\nHEALTHCHECK NONE\n', line: 1 },
      ],
      good: [
        image(),
        {
          path: 'Dockerfile',
          content: 'FROM node:24.11-slim AS build\nRUN npm ci\nFROM build\nUSER 10001\nHEALTHCHECK NONE\n',
          why: 'FROM an earlier stage is not a base image',
        },
      ],
    },
  },
  {
    id: 'DOCKER003',
    severity: 'medium',
    category: 'security',
    title: 'ADD downloads from a URL',
    description:
      'ADD with a remote URL fetches content at build time without verifying it: a changed or hijacked download goes into the image.',
    remediation:
      'Download with curl or wget and verify a checksum (`sha256sum -c`), or use `ADD --checksum=sha256:…` (BuildKit).',
    cwe: ['CWE-494'],
    docs: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
    samples: {
      bad: [{ ...image('ADD https://downloads.example.com/tool-1.2.tar.gz /opt/'), line: 2 }],
      good: [
        image(
          'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://downloads.example.com/tool-1.2.tar.gz /opt/',
        ),
      ],
    },
  },
  {
    id: 'DOCKER004',
    severity: 'high',
    category: 'secrets',
    title: 'Secret in ENV or ARG',
    description:
      'ENV or ARG with a secret-like name (PASSWORD, TOKEN, API_KEY, SECRET…): ENV values are stored in the image config and ARG values in its build history, readable by anyone who can pull the image.',
    remediation:
      'Pass build secrets with `RUN --mount=type=secret,id=…` (BuildKit) and runtime secrets through the orchestrator (Kubernetes Secret, ECS secrets, a `*_FILE` variable pointing at a mounted file).',
    cwe: ['CWE-538'],
    docs: 'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/',
    samples: {
      bad: [
        {
          ...image('ARG NPM_TOKEN', 'RUN npm ci'),
          line: 2,
          why: 'a build argument is recorded in the history',
        },
      ],
      good: [
        image('ENV DB_PASSWORD_FILE=/run/secrets/db_password CACHE_KEY=v3'),
        image('RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci'),
      ],
    },
  },
  {
    id: 'DOCKER005',
    severity: 'low',
    category: 'reliability',
    title: 'No HEALTHCHECK',
    description:
      'The final stage defines no HEALTHCHECK: Docker and Compose cannot tell a hung container from a healthy one. Orchestrators with their own probes (Kubernetes, ECS health checks) make this less important.',
    remediation:
      'Add `HEALTHCHECK CMD …` that exercises the service, or `HEALTHCHECK NONE` to state that the orchestrator checks health.',
    docs: 'https://docs.docker.com/reference/dockerfile/#healthcheck',
    samples: {
      bad: [
        {
          path: 'Dockerfile',
          content: 'FROM node:24.11-slim\nUSER 10001\nCMD ["node", "server.js"]\n',
          line: 1,
        },
      ],
      good: [
        {
          path: 'Dockerfile',
          content:
            'FROM node:24.11-slim\nUSER 10001\nHEALTHCHECK --interval=30s CMD ["node", "healthcheck.js"]\nCMD ["node", "server.js"]\n',
        },
      ],
    },
  },
  {
    id: 'DOCKER006',
    severity: 'low',
    category: 'security',
    title: 'Package manager cache left in the image',
    description:
      "apt-get without removing /var/lib/apt/lists, apk without --no-cache, pip without --no-cache-dir, yum/dnf without clean: the cache bloats the image and keeps stale package indexes. Only the same RUN counts (a later RUN cannot shrink an earlier layer); the path may come anywhere among `rm`'s arguments (`rm -rf /tmp/* /var/lib/apt/lists/*`), and a BuildKit cache or tmpfs mount over the cache folder keeps it out of the layer (for apt the lists: a mount on /var/cache/apt alone keeps them). Only stages that ship are checked.",
    remediation:
      'Clean up in the same RUN: `apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache …`, `pip install --no-cache-dir …`, `dnf … && dnf clean all`; or use a BuildKit cache mount.',
    docs: 'https://docs.docker.com/build/building/best-practices/#apt-get',
    samples: {
      bad: [
        { ...image('RUN apt-get update && apt-get install -y curl'), line: 2 },
        { ...image('RUN pip install -r requirements.txt'), line: 2 },
        {
          ...image('RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl'),
          line: 2,
          why: 'the cache mount keeps the .debs out, not the lists in /var/lib/apt/lists',
        },
      ],
      good: [
        image(
          'RUN apt-get update && apt-get install -y --no-install-recommends curl \\',
          '  && rm -rf /var/lib/apt/lists/*',
        ),
        image(
          'RUN apt-get update && apt-get install -y curl && apt-get clean && rm -rf /tmp/* /var/lib/apt/lists/*',
        ),
        image(
          'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
          '  --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
          '  apt-get update && apt-get install -y --no-install-recommends curl',
        ),
        {
          path: 'Dockerfile',
          content:
            'FROM python:3.12-slim AS build\nRUN pip install -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=build /usr/local/lib /usr/local/lib\nUSER 10001\nHEALTHCHECK NONE\n',
          why: 'a cache in a build stage does not ship',
        },
      ],
    },
  },
  {
    id: 'DOCKER007',
    severity: 'medium',
    category: 'security',
    title: 'sudo in a RUN instruction',
    description:
      'sudo in a Dockerfile has unpredictable TTY and signal behaviour, and its presence in the image gives any process a path to root.',
    remediation: 'Run the step as root before switching USER, and do not install sudo in the image.',
    cwe: ['CWE-250'],
    samples: {
      bad: [{ ...image('RUN sudo chown -R node /srv/app'), line: 2 }],
      good: [image('RUN chown -R node /srv/app')],
    },
  },
  {
    id: 'DOCKER008',
    severity: 'high',
    category: 'security',
    title: 'Remote script piped into a shell',
    description:
      '`curl … | sh` or `wget -O- … | bash` executes whatever the server returns, unverified, as the build user.',
    remediation:
      'Download the script, verify its checksum or signature, then run it; or install from a package.',
    cwe: ['CWE-494'],
    samples: {
      bad: [{ ...image('RUN curl -fsSL https://get.example.com/install.sh | sh'), line: 2 }],
      good: [
        image(
          'RUN curl -fsSLo /tmp/install.sh https://get.example.com/install.sh \\',
          '  && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/install.sh" | sha256sum -c \\',
          '  && sh /tmp/install.sh',
        ),
      ],
    },
  },
  {
    id: 'DOCKER009',
    severity: 'high',
    category: 'security',
    title: 'TLS verification disabled in a build step',
    description:
      '`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `npm config set strict-ssl false`, `git -c http.sslVerify=false`: downloads can be replaced by anyone on the path.',
    remediation:
      'Keep certificate verification on; add the internal CA to the image trust store if that is the reason.',
    cwe: ['CWE-295'],
    samples: {
      bad: [
        { ...image('RUN curl -k -o /tmp/tool.tgz https://downloads.example.com/tool.tgz'), line: 2 },
        { ...image('RUN npm config set strict-ssl false && npm ci'), line: 2 },
      ],
      good: [image('RUN curl -fsSLo /tmp/tool.tgz https://downloads.example.com/tool.tgz')],
    },
  },
  {
    id: 'DOCKER010',
    severity: 'low',
    category: 'security',
    title: 'ADD used for local files',
    description:
      'ADD auto-extracts archives and fetches URLs; for plain local files COPY does only what it says.',
    remediation: 'Use COPY for local files; keep ADD for deliberate archive extraction.',
    docs: 'https://docs.docker.com/build/building/best-practices/#add-or-copy',
    samples: {
      bad: [{ ...image('ADD server.js /srv/app/server.js'), line: 2 }],
      good: [image('COPY server.js /srv/app/server.js'), image('ADD vendor.tar.gz /opt/vendor/')],
    },
  },
  {
    id: 'DOCKER011',
    severity: 'medium',
    category: 'security',
    title: 'SSH port exposed',
    description:
      'EXPOSE 22: an SSH daemon in a container is an extra way in with its own keys to manage; use `docker exec` / `kubectl exec`.',
    remediation: 'Remove sshd and EXPOSE 22; debug through the orchestrator.',
    samples: {
      bad: [{ ...image('EXPOSE 22 8080'), line: 2 }],
      good: [image('EXPOSE 8080 2222')],
    },
  },
  {
    id: 'DOCKER012',
    severity: 'medium',
    category: 'security',
    title: 'World-writable permissions',
    description: '`chmod 777` (or o+w) lets any user in the container replace the files, code included.',
    remediation:
      'Give ownership to the runtime user (`COPY --chown=app:app`, `chown`) and keep modes like 755 / 644.',
    cwe: ['CWE-732'],
    samples: {
      bad: [{ ...image('RUN chmod -R 777 /srv/app'), line: 2 }],
      good: [image('RUN chmod -R 755 /srv/app')],
    },
  },
  {
    id: 'DOCKER013',
    severity: 'high',
    category: 'secrets',
    title: 'Secret file in an image layer',
    description:
      'COPY / ADD of a file that holds credentials (.env, id_rsa, private-key *.pem / *.key, *.p12 / *.pfx, .npmrc with a token, .pypirc, .netrc, .git-credentials, .pgpass, .dockercfg or a Docker config.json with auths, .aws/credentials, service-account JSON, kubeconfig, .ssh/ and .aws/ folders), by name or, when the build context is in the input, because `COPY . .` or a glob takes such a file that .dockerignore does not exclude; or a RUN that writes one (`echo … > ~/.npmrc`). Anyone who can pull the image can read it. In a build stage that does not ship, the finding is low: the file is in the build cache and in images built with `--target`, not in the final image (unless a COPY --from brings it over).',
    remediation:
      'Mount it for the one step that needs it: `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci` (BuildKit), `--mount=type=ssh` for git over SSH; pass runtime secrets at run time; list the file in .dockerignore.',
    cwe: ['CWE-538'],
    docs: 'https://docs.docker.com/build/building/secrets/',
    samples: {
      bad: [
        { ...image('COPY .env /srv/app/.env'), line: 2 },
        {
          ...image(
            'ARG NPM_TOKEN',
            'RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > /root/.npmrc && npm ci',
          ),
          line: 3,
          why: 'a RUN writes the token into its own layer',
        },
      ],
      good: [
        image('COPY package.json package-lock.json /srv/app/'),
        image(
          'COPY .env.example /srv/app/.env.example',
          'COPY certs/ca-bundle.pem /usr/local/share/ca-certificates/',
        ),
        image('RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'),
      ],
    },
  },
  {
    id: 'DOCKER014',
    severity: 'high',
    category: 'secrets',
    title: 'Secret file deleted in a later layer',
    description:
      'A credential file is added by one instruction (COPY, ADD, or a RUN that writes it) and deleted by a later RUN. Every instruction is a layer: the deleting layer only hides the file, the adding layer still holds it and `docker save`, `docker history` tooling or the registry API hand it out. Deleting in the same RUN that wrote it leaves nothing behind. In a build stage that does not ship, the finding is low.',
    remediation:
      'Do not copy it in: mount it for the step that needs it (`RUN --mount=type=secret,id=…,target=/root/.ssh/id_rsa …`, `--mount=type=ssh`), or write and delete it in the same RUN; or use a build stage and copy only the result into the final stage.',
    cwe: ['CWE-538'],
    docs: 'https://docs.docker.com/build/building/secrets/',
    samples: {
      bad: [
        {
          ...image(
            'COPY id_rsa /root/.ssh/id_rsa',
            'RUN git clone git@github.com:example/app.git /srv/app',
            'RUN rm /root/.ssh/id_rsa',
          ),
          line: 2,
        },
        {
          ...image(
            'ARG NPM_TOKEN',
            'RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > ~/.npmrc',
            'RUN npm ci && rm -f ~/.npmrc',
          ),
          line: 3,
          why: 'written by one RUN, deleted by the next',
        },
        {
          path: 'Dockerfile',
          content: [
            'FROM node:24.11-slim AS build',
            'WORKDIR /src',
            'COPY .npmrc package.json package-lock.json ./',
            'RUN npm ci && rm .npmrc',
            'FROM node:24.11-slim',
            'COPY --from=build /src/node_modules /srv/app/node_modules',
            'USER 10001',
            'HEALTHCHECK NONE',
            '',
          ].join('\n'),
          line: 3,
          why: 'low severity: the build stage does not ship, its layers stay in the build cache',
        },
      ],
      good: [
        image('RUN --mount=type=ssh git clone git@github.com:example/app.git /srv/app'),
        image(
          'ARG NPM_TOKEN',
          'RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > ~/.npmrc && npm ci && rm -f ~/.npmrc',
        ),
        image('RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci'),
      ],
    },
  },
] as const);
