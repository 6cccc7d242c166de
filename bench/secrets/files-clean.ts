/**
 * Files with no secret that look like they might have one: references to
 * secrets kept elsewhere, placeholders, documented examples, public keys and
 * certificates, hashes of content, encoded images, prose and test fixtures.
 * Nothing in them may be reported.
 */
import { type Corpus, publicPem } from './corpus-kit.js';
import type { Rng } from './random.js';

const j = (...parts: string[]) => parts.join('');
const AWS_EXAMPLE_ID = j('AKIA', 'IOSFODNN7', 'EXAMPLE');
const AWS_EXAMPLE_SECRET = j('wJalrXUtnFEMI', '/K7MDENG/bPxRfiCY', 'EXAMPLEKEY');
const JWT_IO = j(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
  '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
);

export function cleanFiles(c: Corpus, r: Rng): void {
  keysAndCerts(c, r);
  references(c, r);
  docs(c, r);
  lockfiles(c, r);
  appCode(c, r);
}

function keysAndCerts(c: Corpus, r: Rng): void {
  const sshPub = (type: string) => `${type} AAAA${r.base64(type === 'ssh-rsa' ? 270 : 48)}`;
  c.add('.ssh/id_ed25519.pub', `${sshPub('ssh-ed25519')} mkowalski@laptop\n`);
  c.add('.ssh/id_rsa.pub', `${sshPub('ssh-rsa')} mkowalski@old-laptop\n`);
  c.add(
    '.ssh/authorized_keys',
    `${sshPub('ssh-ed25519')} deploy@ci\n${sshPub('ssh-rsa')} backup@nas\nfrom="10.0.0.0/8" ${sshPub('ssh-ed25519')} ops\n`,
  );
  c.add(
    '.ssh/known_hosts',
    `github.com ${sshPub('ssh-ed25519')}\n|1|${r.base64(20)}=|${r.base64(20)} ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI${r.base64(80)}\n`,
  );
  c.add(
    '.ssh/config',
    `
Host github.com
  User git
  IdentityFile ~/.ssh/id_ed25519
  IdentitiesOnly yes

Host bastion
  HostName bastion.acme-corp.example
  User ec2-user
  IdentityFile ~/.ssh/id_rsa
  ForwardAgent no

Host *.internal
  ProxyJump bastion
`,
  );
  c.add(
    '.aws/config',
    `
[default]
region = eu-west-1
output = json

[profile prod]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/mkowalski

[profile sso-dev]
sso_session = acme
sso_account_id = 210987654321
sso_role_name = Developer

[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = eu-west-1
`,
  );
  c.add('certs/server.crt', `${publicPem(r, 'CERTIFICATE')}\n`);
  c.add(
    'certs/ca-bundle.pem',
    `# Acme internal CA\n${publicPem(r, 'CERTIFICATE')}\n${publicPem(r, 'CERTIFICATE')}\n`,
  );
  c.add('config/jwt/public.pem', `${publicPem(r, 'PUBLIC KEY')}\n`);
  c.add('keys/release-signing.pub.asc', `${publicPem(r, 'PGP PUBLIC KEY BLOCK')}\n`);
  c.add(
    'config/saml/idp-metadata.xml',
    `
<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.acme-corp.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>${r.base64(700)}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.acme-corp.example/saml/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`,
  );
  c.add(
    'go/crypto/pem.go',
    `
package crypto

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
)

const rsaHeader = "-----BEGIN RSA PRIVATE KEY-----"

// IsPKCS1 tells a PKCS#1 key from a PKCS#8 one before parsing.
func IsPKCS1(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), rsaHeader)
}

func ParsePrivateKey(data []byte) (any, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if block.Type == "RSA PRIVATE KEY" {
		return x509.ParsePKCS1PrivateKey(block.Bytes)
	}
	return x509.ParsePKCS8PrivateKey(block.Bytes)
}
`,
  );
  c.add(
    'etc/nginx/sites-available/shop.conf',
    `
server {
    listen 443 ssl http2;
    server_name shop.acme-corp.example;

    ssl_certificate     /etc/ssl/certs/shop.crt;
    ssl_certificate_key /etc/ssl/private/shop.key;
    ssl_password_file   /etc/nginx/ssl_passwords.txt;

    location /admin/ {
        auth_basic           "Admin";
        auth_basic_user_file /etc/nginx/.htpasswd;
        proxy_pass           http://127.0.0.1:8080;
    }
}
`,
  );
}

function references(c: Corpus, r: Rng): void {
  c.add(
    '.github/workflows/deploy.yml',
    `
name: deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502
        with:
          aws-access-key-id: \${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: \${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: eu-west-1
      - run: npm ci && npm run build
        env:
          NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
          SENTRY_AUTH_TOKEN: \${{ secrets.SENTRY_AUTH_TOKEN }}
      - run: ./scripts/configure-aws.sh && npx cdk deploy --require-approval never
        env:
          SLACK_WEBHOOK_URL: \${{ secrets.SLACK_WEBHOOK_URL }}
          GITHUB_TOKEN: \${{ github.token }}
`,
  );
  c.add(
    '.github/workflows/ci.yml',
    `
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:15
        env:
          POSTGRES_PASSWORD: \${{ secrets.CI_DB_PASSWORD }}
        ports: ["5432:5432"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm test
        env:
          DATABASE_URL: postgres://postgres:\${{ secrets.CI_DB_PASSWORD }}@localhost:5432/postgres
`,
  );
  c.add(
    '.github/dependabot.yml',
    `
version: 2
registries:
  npm-github:
    type: npm-registry
    url: https://npm.pkg.github.com
    token: \${{ secrets.DEPENDABOT_PACKAGES_TOKEN }}
updates:
  - package-ecosystem: npm
    directory: /
    registries: [npm-github]
    schedule:
      interval: weekly
`,
  );
  c.add(
    '.gitlab-ci.yml',
    `
stages: [build, deploy]

build:
  stage: build
  image: docker:24
  services: [docker:24-dind]
  script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA" .
    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHA"

deploy:
  stage: deploy
  script:
    - aws configure set aws_access_key_id "$AWS_ACCESS_KEY_ID"
    - aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"
    - ./scripts/deploy-ecs.sh "$CI_COMMIT_SHA"
  only: [main]
`,
  );
  c.add(
    'Jenkinsfile',
    `
pipeline {
  agent any
  environment {
    REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com'
  }
  stages {
    stage('Publish') {
      steps {
        withCredentials([usernamePassword(credentialsId: 'nexus', usernameVariable: 'NEXUS_USER', passwordVariable: 'NEXUS_PASSWORD')]) {
          sh 'mvn -s settings.xml -Dnexus.password=$NEXUS_PASSWORD deploy'
        }
        withCredentials([string(credentialsId: 'sonar-token', variable: 'SONAR_TOKEN')]) {
          sh 'mvn sonar:sonar -Dsonar.token=$SONAR_TOKEN'
        }
      }
    }
  }
}
`,
  );
  c.add(
    'scripts/configure-aws.sh',
    `
#!/usr/bin/env bash
# Writes the CI's credentials into the default profile; the values come from the environment.
set -euo pipefail
: "\${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID}"
: "\${AWS_SECRET_ACCESS_KEY:?set AWS_SECRET_ACCESS_KEY}"
aws configure set aws_access_key_id "$AWS_ACCESS_KEY_ID"
aws configure set aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"
aws configure set region "\${AWS_REGION:-eu-west-1}"
`,
  );
  c.add(
    'Makefile',
    `
IMAGE ?= acme/api
TAG ?= $(shell git rev-parse --short HEAD)

login:
	@echo "$$DOCKERHUB_TOKEN" | docker login -u "$$DOCKERHUB_USER" --password-stdin

push: login
	docker build -t $(IMAGE):$(TAG) .
	docker push $(IMAGE):$(TAG)

db-shell:
	PGPASSWORD="$$DB_PASSWORD" psql -h localhost -U app app
`,
  );
  c.add(
    'frontend/.npmrc',
    `
@acme:registry=https://npm.pkg.github.com
//npm.pkg.github.com/:_authToken=\${GITHUB_PACKAGES_TOKEN}
//registry.npmjs.org/:_authToken=\${NPM_TOKEN}
engine-strict=true
`,
  );
  c.add(
    'docker-compose.ci.yml',
    `
services:
  db:
    image: postgres:15@sha256:${r.hex(64)}
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD:?set it}
  cache:
    image: redis:7
    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD}"]
  api:
    image: acme/api:ci
    environment:
      DATABASE_URL: postgres://app:\${POSTGRES_PASSWORD}@db:5432/app
    secrets: [stripe_key]
secrets:
  stripe_key:
    file: ./secrets/stripe_key.txt
`,
  );
  c.add(
    'k8s/deploy/api.yaml',
    `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: orders
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${r.hex(64)}
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: orders-db, key: password}
            - name: STRIPE_API_KEY
              valueFrom:
                secretKeyRef: {name: orders-db, key: stripe-api-key}
            - name: LOG_LEVEL
              value: info
          envFrom:
            - configMapRef: {name: api-config}
`,
  );
  c.add(
    'k8s/deploy/external-secret.yaml',
    `
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: orders-db
  namespace: orders
spec:
  refreshInterval: 1h
  secretStoreRef:
    name: aws-secrets-manager
    kind: ClusterSecretStore
  target:
    name: orders-db
  data:
    - secretKey: password
      remoteRef:
        key: prod/orders/db
        property: password
`,
  );
  c.add(
    'k8s/deploy/configmap.yaml',
    `
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
  namespace: orders
data:
  TOKEN_ENDPOINT: https://auth.acme-corp.example/oauth2/token
  API_KEY_HEADER: X-Api-Key
  PASSWORD_MIN_LENGTH: "12"
  SESSION_SECRET_NAME: prod/orders/session
  FEATURE_FLAGS: "checkout-v2,search-v3"
`,
  );
  c.add(
    'terraform/aws/variables.tf',
    `
variable "reporting_db_password" {
  description = "Master password of the reporting database (from the CI's secret store)."
  type        = string
  sensitive   = true
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "github_token" {
  description = "Token for the GitHub provider; set TF_VAR_github_token."
  type        = string
  sensitive   = true
}
`,
  );
  c.add(
    'terraform/aws/.terraform.lock.hcl',
    `
# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:${r.base64(32)}",
${Array.from({ length: 6 }, () => `    "zh:${r.hex(64)}",`).join('\n')}
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.0"
  hashes = [
    "h1:${r.base64(32)}",
    "zh:${r.hex(64)}",
  ]
}
`,
  );
  c.add(
    'terraform/aws/secrets.tf',
    `
resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:acme_ops"
}

output "ci_secret" {
  value     = aws_iam_access_key.ci.encrypted_secret
  sensitive = true
}

data "aws_secretsmanager_secret_version" "stripe" {
  secret_id = "prod/payments/stripe"
}

locals {
  stripe_key = jsondecode(data.aws_secretsmanager_secret_version.stripe.secret_string)["api_key"]
  password_policy = {
    minimum_password_length = 14
    require_symbols         = true
  }
}
`,
  );
  c.add(
    'services/api/src/config.ts',
    `
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().url(),
  JWT_SECRET: z.string().min(32),
  STRIPE_SECRET_KEY: z.string().startsWith('sk_'),
  OPENAI_API_KEY: z.string().optional(),
});

export const config = schema.parse({
  DATABASE_URL: process.env.DATABASE_URL,
  JWT_SECRET: process.env.JWT_SECRET,
  STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY,
  OPENAI_API_KEY: process.env.OPENAI_API_KEY,
});

export const passwordPolicy = { minLength: 12, requireDigit: true };
`,
  );
  c.add(
    'php/shop/config/services.php',
    `
<?php

return [
    'mailgun' => [
        'domain' => env('MAILGUN_DOMAIN'),
        'secret' => env('MAILGUN_SECRET'),
        'endpoint' => env('MAILGUN_ENDPOINT', 'api.mailgun.net'),
    ],
    'stripe' => [
        'key' => env('STRIPE_KEY'),
        'secret' => env('STRIPE_SECRET'),
        'webhook' => ['secret' => env('STRIPE_WEBHOOK_SECRET'), 'tolerance' => 300],
    ],
    'ses' => [
        'key' => env('AWS_ACCESS_KEY_ID'),
        'secret' => env('AWS_SECRET_ACCESS_KEY'),
        'region' => env('AWS_DEFAULT_REGION', 'us-east-1'),
    ],
];
`,
  );
  c.add(
    'java/billing/src/main/java/com/acme/billing/SecretsConfig.java',
    `
package com.acme.billing;

public final class SecretsConfig {
    public static final String DB_PASSWORD_ENV = "BILLING_DB_PASSWORD";
    public static final String PASSWORD_FIELD = "password";

    public static String dbPassword() {
        String value = System.getenv(DB_PASSWORD_ENV);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(DB_PASSWORD_ENV + " is not set");
        }
        return value;
    }
}
`,
  );
  c.add(
    'config/app.example.yml',
    `
# Copy to app.yml and fill in.
database:
  host: localhost
  user: app
  password: changeme
stripe:
  secret_key: <your-stripe-secret-key>
github:
  token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
slack:
  webhook_url: https://hooks.slack.com/services/XXXXXXXXX/XXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX
openai:
  api_key: YOUR_OPENAI_API_KEY
aws:
  access_key_id: \${AWS_ACCESS_KEY_ID}
  secret_access_key: "********"
`,
  );
  c.add(
    'services/api/.env.test',
    `
NODE_ENV=test
DATABASE_URL=postgres://postgres:postgres@localhost:5432/orders_test
JWT_SECRET=test-only-not-a-secret
STRIPE_SECRET_KEY=sk_test_dummy
OPENAI_API_KEY=fake-key-for-tests
`,
  );
  c.add(
    'services/api/test/fixtures/users.json',
    `
[
  { "id": 1, "email": "alice@example.com", "password": "fake-password-1", "role": "admin" },
  { "id": 2, "email": "bob@example.com", "password": "fake-password-2", "role": "member" }
]
`,
  );
  c.add(
    'services/notify/tests/test_slack.py',
    `
from unittest import mock

from notify import slack

FAKE_WEBHOOK = "https://hooks.slack.invalid/services/T000/B000/fake"
FAKE_TOKEN = "not-a-real-token"


def test_post_sends_json():
    with mock.patch("urllib.request.urlopen") as urlopen, mock.patch.object(slack, "SLACK_WEBHOOK", FAKE_WEBHOOK):
        slack.post("hello")
    request = urlopen.call_args.args[0]
    assert request.full_url == FAKE_WEBHOOK
`,
  );
  c.add(
    'services/api/src/auth/password.ts',
    `
import bcrypt from 'bcryptjs';

const BCRYPT_ROUNDS = 12;
export const PASSWORD_MIN_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  if (password.length < PASSWORD_MIN_LENGTH) throw new Error('password too short');
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

export const resetTokenTtlSeconds = 3600;
`,
  );
  c.add(
    'services/api/src/auth/hash.test.ts',
    `
import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// FIPS 180-2 test vectors
test('sha256 of "abc"', () => {
  expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('sha256 of the empty string', () => {
  expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});
`,
  );
  c.add(
    'web/src/components/LoginForm.tsx',
    `
import { useState } from 'react';

export function LoginForm({ onSubmit }: { onSubmit: (email: string, password: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form onSubmit={(e) => { e.preventDefault(); onSubmit(email, password); }}>
      <input type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <a href="/forgot-password">Forgot your password?</a>
      <button type="submit">Sign in</button>
    </form>
  );
}
`,
  );
  c.add(
    'web/src/locales/en.json',
    `
{
  "login.email": "Email",
  "login.password": "Password",
  "login.forgot_password": "Forgot your password?",
  "settings.api_key": "API key",
  "settings.api_key_help": "Create an API key under Settings → Developer. It is shown once.",
  "settings.token_revoked": "The token was revoked.",
  "errors.password_too_short": "The password must have at least 12 characters."
}
`,
  );
  c.add(
    'android/app/src/main/res/values/strings.xml',
    `
<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Acme</string>
    <string name="password_hint">Password</string>
    <string name="secret_question">Your secret question</string>
    <string name="api_key_missing">No API key configured</string>
</resources>
`,
  );
  c.add(
    '.idea/dataSources.xml',
    `
<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="DataSourceManagerImpl" format="xml" multifile-model="true">
    <data-source source="LOCAL" name="orders@localhost" uuid="${r.uuid()}">
      <driver-ref>postgresql</driver-ref>
      <synchronize>true</synchronize>
      <jdbc-driver>org.postgresql.Driver</jdbc-driver>
      <jdbc-url>jdbc:postgresql://localhost:5432/orders</jdbc-url>
      <working-dir>$ProjectFileDir$</working-dir>
    </data-source>
  </component>
</project>
`,
  );
  c.add(
    'config/security.yml',
    `
authentication:
  password_min_length: 12
  password_history: 5
  token_ttl_seconds: 900
  refresh_token_ttl_seconds: 1209600
  secret_name: prod/auth/signing-key
  api_key_header: X-Api-Key
  mfa_required_for: [admin, finance]
`,
  );
}

function docs(c: Corpus, r: Rng): void {
  c.add(
    'README.md',
    `
# Acme storefront

The shop, its API, workers and infrastructure.

## Getting started

1. Copy \`services/api/.env.example\` to \`.env\` and fill in the values. The database password
   and the Stripe secret key are in the team vault; never paste them into an issue.
2. \`docker compose up -d db\` then \`npm run dev\`.

## Secrets

Production secrets live in AWS Secrets Manager. A service reads its password at start-up from
the secret named in \`SESSION_SECRET_NAME\`; rotating the secret restarts the service. If a token
leaks, revoke it first, then rotate: the password of the admin user is reset with
\`npm run admin:reset-password\`, which prints a one-time link, not the password.
`,
  );
  c.add(
    'docs/aws-setup.md',
    `
# Local AWS access

Use SSO (\`aws sso login --profile sso-dev\`). For tools that need static keys, the AWS docs use
these example values; they do not work:

\`\`\`
[default]
aws_access_key_id = ${AWS_EXAMPLE_ID}
aws_secret_access_key = ${AWS_EXAMPLE_SECRET}
\`\`\`

Access key ids start with \`AKIA\` (long-term) or \`ASIA\` (temporary). Never commit a real one.
`,
  );
  c.add(
    'docs/api/authentication.md',
    `
# Authentication

Send a bearer token: \`Authorization: Bearer <your-token>\`.

A token is a JWT; the example from jwt.io decodes to \`{"sub": "1234567890", "name": "John Doe"}\`:

\`\`\`
${JWT_IO}
\`\`\`

API keys are created in the dashboard and look like \`acme_live_...\`. Replace \`YOUR_API_KEY\` below:

\`\`\`bash
curl -H "X-Api-Key: YOUR_API_KEY" https://api.acme-corp.example/v1/orders
curl -u "user:password" https://api.acme-corp.example/v1/legacy
\`\`\`
`,
  );
  c.add(
    'docs/integrations/slack.md',
    `
# Slack alerts

Create an incoming webhook and store its URL as the \`SLACK_WEBHOOK_URL\` secret. It looks like
\`https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\`.
The bot token (\`xoxb-...\`) is only needed for the slash commands.
`,
  );
  c.add(
    'CONTRIBUTING.md',
    `
# Contributing

- Run \`npm test\` before pushing.
- Do not commit \`.env\` files, private keys or credentials; the pre-commit hook runs a secret scan.
- If you committed a secret by mistake, tell #security: rewriting history is not enough, the
  secret must be revoked.
`,
  );
  const shas = Array.from({ length: 6 }, () => r.hex(40));
  c.add(
    'CHANGELOG.md',
    `
# Changelog

## 2.14.1 (2024-01-10)

- Fix double charge on retried webhooks (${shas[0]?.slice(0, 7)})
- Bump stripe to 14.10.0 (${shas[1]})

## 2.14.0 (2023-12-18)

- New checkout (${shas[2]})
- Password reset links expire after one hour (${shas[3]})
- Reverts ${shas[4]}, see ${shas[5]}
`,
  );
  c.add('.git-blame-ignore-revs', `# prettier 3\n${r.hex(40)}\n# biome migration\n${r.hex(40)}\n`);
  c.add(
    'docs/architecture.md',
    `
# Architecture

![overview](data:image/png;base64,${r.base64(600)})

The API (Node) writes orders to Postgres and events to RabbitMQ; the worker (Python) sends mail
and push notifications. Each service has its own database user; passwords are injected by the
External Secrets operator from Secrets Manager.
`,
  );
  c.add(
    'web/src/styles/icons.css',
    `
.icon-cart {
  background-image: url("data:image/png;base64,${r.base64(450)}");
  width: 24px;
  height: 24px;
}
.icon-user {
  background-image: url("data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="8" r="4"/><path d="M4 20c0-4 4-6 8-6s8 2 8 6"/></svg>').toString('base64')}");
}
`,
  );
  c.add(
    'web/public/index.html',
    `
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Acme</title>
    <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css" integrity="sha384-${r.base64(48)}" crossorigin="anonymous" />
    <script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js" integrity="sha384-${r.base64(48)}" crossorigin="anonymous"></script>
    <meta name="google-site-verification" content="${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43)}" />
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`,
  );
  c.add(
    'api/openapi.yaml',
    `
openapi: 3.0.3
info:
  title: Orders API
  version: 2.14.1
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      bearerFormat: JWT
    apiKey:
      type: apiKey
      in: header
      name: X-Api-Key
  schemas:
    Order:
      type: object
      properties:
        id: {type: string, format: uuid, example: ${r.uuid()}}
        status: {type: string, enum: [pending, paid, shipped]}
security:
  - bearerAuth: []
`,
  );
  c.add(
    'releases/2.14.1/SHA256SUMS',
    ['api-linux-amd64.tar.gz', 'api-linux-arm64.tar.gz', 'api-darwin-arm64.tar.gz', 'api-windows-amd64.zip']
      .map((f) => `${r.hex(64)}  ${f}`)
      .join('\n'),
  );
}

function lockfiles(c: Corpus, r: Rng): void {
  const pkg = (name: string, version: string) => `    "node_modules/${name}": {
      "version": "${version}",
      "resolved": "https://registry.npmjs.org/${name}/-/${name.split('/').at(-1)}-${version}.tgz",
      "integrity": "sha512-${r.base64(64)}",
      "license": "MIT"
    }`;
  const deps: [string, string][] = [
    ['express', '4.18.2'],
    ['stripe', '14.10.0'],
    ['zod', '3.22.4'],
    ['bcryptjs', '2.4.3'],
    ['jsonwebtoken', '9.0.2'],
    ['pg', '8.11.3'],
  ];
  c.add(
    'services/api/package-lock.json',
    `
{
  "name": "api",
  "version": "2.14.1",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "api",
      "version": "2.14.1",
      "dependencies": {
${deps.map(([n, ver]) => `        "${n}": "^${ver}"`).join(',\n')}
      }
    },
${deps.map(([n, ver]) => pkg(n, ver)).join(',\n')}
  }
}
`,
  );
  c.add(
    'services/api/package.json',
    `
{
  "name": "api",
  "version": "2.14.1",
  "private": true,
  "scripts": { "dev": "tsx watch src/server.ts", "build": "tsc", "test": "jest" },
  "dependencies": {
${deps.map(([n, ver]) => `    "${n}": "^${ver}"`).join(',\n')},
    "acme-shared": "git+https://github.com/acme/shared.git#${r.hex(40)}"
  }
}
`,
  );
  c.add(
    'web/yarn.lock',
    ['react@^18.2.0', 'react-dom@^18.2.0', 'scheduler@^0.23.0']
      .map(
        (d) => `"${d}":
  version "${d.split('^')[1]}"
  resolved "https://registry.yarnpkg.com/${d.split('@')[0]}/-/${d.split('@')[0]}-${d.split('^')[1]}.tgz#${r.hex(40)}"
  integrity sha512-${r.base64(64)}
`,
      )
      .join('\n'),
  );
  c.add(
    'go/go.sum',
    ['github.com/google/go-github/v56 v56.0.0', 'github.com/lib/pq v1.10.9', 'golang.org/x/crypto v0.17.0']
      .flatMap((m) => [`${m} h1:${r.base64(32)}`, `${m}/go.mod h1:${r.base64(32)}`])
      .join('\n'),
  );
  c.add(
    'rust/Cargo.lock',
    `
# This file is automatically @generated by Cargo.
version = 3

[[package]]
name = "serde"
version = "1.0.193"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "${r.hex(64)}"

[[package]]
name = "tokio"
version = "1.35.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "${r.hex(64)}"
`,
  );
  c.add(
    'ml/requirements.txt',
    ['anthropic==0.8.1', 'openai==1.6.1', 'huggingface-hub==0.20.1']
      .map((d) => `${d} \\\n    --hash=sha256:${r.hex(64)} \\\n    --hash=sha256:${r.hex(64)}`)
      .join('\n'),
  );
  c.add(
    'php/shop/composer.lock',
    `
{
    "content-hash": "${r.hex(32)}",
    "packages": [
        {
            "name": "laravel/framework",
            "version": "v10.38.1",
            "source": {"type": "git", "url": "https://github.com/laravel/framework.git", "reference": "${r.hex(40)}"},
            "dist": {"type": "zip", "url": "https://api.github.com/repos/laravel/framework/zipball/${r.hex(40)}", "reference": "${r.hex(40)}", "shasum": ""}
        }
    ]
}
`,
  );
  c.add(
    '.pre-commit-config.yaml',
    `
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: ${r.hex(40)}  # frozen: v4.5.0
    hooks:
      - id: check-yaml
      - id: detect-private-key
  - repo: https://github.com/gitleaks/gitleaks
    rev: v8.18.1
    hooks:
      - id: gitleaks
`,
  );
  c.add(
    'db/migrations/20231101_seed_roles.sql',
    `
INSERT INTO roles (id, name) VALUES
  ('${r.uuid()}', 'admin'),
  ('${r.uuid()}', 'member'),
  ('${r.uuid()}', 'viewer');

INSERT INTO feature_flags (id, key, enabled) VALUES
  ('${r.uuid()}', 'checkout-v2', true);

-- users are created through the API, never seeded with passwords
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;
`,
  );
}

const ENTITIES = [
  'order',
  'invoice',
  'customer',
  'product',
  'shipment',
  'refund',
  'coupon',
  'review',
  'cart',
  'warehouse',
];
const cap = (s: string) => s[0]?.toUpperCase() + s.slice(1);

/** Ordinary application code, the bulk of a repository: no secrets. */
function appCode(c: Corpus, r: Rng): void {
  for (const e of ENTITIES) {
    const E = cap(e);
    c.add(
      `services/api/src/${e}s/handler.ts`,
      `
import type { Request, Response } from 'express';
import { ${e}Repository } from './repository.js';

export async function get${E}(req: Request, res: Response): Promise<void> {
  const item = await ${e}Repository.find(req.params.id ?? '');
  if (!item) {
    res.status(404).json({ error: '${e} not found' });
    return;
  }
  res.json(item);
}

export async function list${E}s(req: Request, res: Response): Promise<void> {
  const limit = Math.min(Number(req.query.limit ?? 20), 100);
  res.json(await ${e}Repository.list({ limit, cursor: String(req.query.cursor ?? '') }));
}
`,
    );
    c.add(
      `services/api/src/${e}s/repository.ts`,
      `
import { pool } from '../db.js';

export interface ${E} {
  id: string;
  createdAt: Date;
  version: number;
}

export const ${e}Repository = {
  async find(id: string): Promise<${E} | undefined> {
    const { rows } = await pool.query('SELECT * FROM ${e}s WHERE id = $1', [id]);
    return rows[0];
  },
  async list({ limit, cursor }: { limit: number; cursor: string }): Promise<${E}[]> {
    const { rows } = await pool.query('SELECT * FROM ${e}s WHERE id > $1 ORDER BY id LIMIT $2', [cursor, limit]);
    return rows;
  },
};
`,
    );
    c.add(
      `services/api/test/${e}s.test.ts`,
      `
import { get${E} } from '../src/${e}s/handler.js';

const id = '${r.uuid()}';

test('get${E} answers 404 for an unknown id', async () => {
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  await get${E}({ params: { id } } as never, res as never);
  expect(res.status).toHaveBeenCalledWith(404);
});
`,
    );
    c.add(
      `services/worker/worker/${e}_events.py`,
      `
"""Consumers of ${e} events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_${e}_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("${e} created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_${e}_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("${e} deleted", extra={"id": event["id"]})
`,
    );
    c.add(
      `go/${e}/${e}.go`,
      `
package ${e}

import (
	"context"
	"time"
)

type ${E} struct {
	ID        string    \`json:"id"\`
	CreatedAt time.Time \`json:"created_at"\`
}

type Store interface {
	Get(ctx context.Context, id string) (*${E}, error)
	Put(ctx context.Context, item *${E}) error
}

func Touch(ctx context.Context, s Store, id string) error {
	item, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	item.CreatedAt = time.Now().UTC()
	return s.Put(ctx, item)
}
`,
    );
    c.add(
      `java/billing/src/main/java/com/acme/billing/${E}Service.java`,
      `
package com.acme.billing;

import java.util.Optional;
import java.util.UUID;

public class ${E}Service {
    private final ${E}Repository repository;

    public ${E}Service(${E}Repository repository) {
        this.repository = repository;
    }

    public Optional<${E}> find(UUID id) {
        return repository.findById(id);
    }
}
`,
    );
    c.add(
      `web/src/pages/${E}Page.tsx`,
      `
import { useQuery } from '@tanstack/react-query';

export function ${E}Page({ id }: { id: string }) {
  const { data, isLoading } = useQuery({ queryKey: ['${e}', id], queryFn: () => fetch(\`/api/${e}s/\${id}\`).then((r) => r.json()) });
  if (isLoading) return <p>Loading…</p>;
  return <pre>{JSON.stringify(data, null, 2)}</pre>;
}
`,
    );
  }
  for (const e of ENTITIES.slice(0, 6)) {
    c.add(
      `docs/api/${e}s.md`,
      `
# ${cap(e)}s

\`GET /v1/${e}s/{id}\` returns one ${e}; \`GET /v1/${e}s?limit=20&cursor=...\` lists them.
Authenticate with a bearer token (see authentication.md). Ids are UUIDs, e.g. \`${r.uuid()}\`.
`,
    );
    c.add(
      `terraform/modules/${e}-queue/main.tf`,
      `
resource "aws_sqs_queue" "${e}" {
  name                       = "\${var.prefix}-${e}-events"
  kms_master_key_id          = var.kms_key_arn
  visibility_timeout_seconds = 60
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.${e}_dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue" "${e}_dlq" {
  name              = "\${var.prefix}-${e}-events-dlq"
  kms_master_key_id = var.kms_key_arn
}
`,
    );
  }
}
