/**
 * Source files in several languages with a token pasted in, as they turn up in
 * repositories: a client built with a literal key, a script with an export, a
 * runbook with a curl line, a notebook cell. Each has its harmless neighbours.
 */
import type { Corpus } from './corpus-kit.js';
import type { Rng } from './random.js';
import type { Values } from './values.js';

export function codeFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'services/api/src/payments/stripe.ts',
    `
import Stripe from 'stripe';

// TODO(billing): move to Secrets Manager before launch
§const stripe = new Stripe('${v.stripeSecret()}', { apiVersion: '2023-10-16' });

/** Publishable key, sent to the browser. */
export const STRIPE_PUBLISHABLE_KEY = '${v.stripePublishable()}';

export async function createIntent(amountCents: number, currency = 'eur') {
  return stripe.paymentIntents.create({ amount: amountCents, currency, automatic_payment_methods: { enabled: true } });
}
`,
  );
  c.add(
    'services/notify/notify/slack.py',
    `
import json
import urllib.request

from twilio.rest import Client

§SLACK_WEBHOOK = "${v.slackWebhook()}"
TWILIO_ACCOUNT_SID = "${v.twilioSid()}"
§TWILIO_AUTH_TOKEN = "${v.twilioToken()}"


def post(text: str) -> None:
    body = json.dumps({"text": text}).encode()
    req = urllib.request.Request(SLACK_WEBHOOK, data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5)


def sms(to: str, text: str) -> None:
    Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).messages.create(to=to, from_="+15005550006", body=text)
`,
  );
  c.add(
    'web/lib/mailer.js',
    `
'use strict';
const sgMail = require('@sendgrid/mail');

§sgMail.setApiKey('${v.sendgrid()}');

module.exports.sendReceipt = async function sendReceipt(to, order) {
  await sgMail.send({
    to,
    from: 'receipts@acme-corp.example',
    templateId: 'd-${r.hex(32)}',
    dynamicTemplateData: { order },
  });
};
`,
  );
  c.add(
    'ml/assistant/client.py',
    `
from anthropic import Anthropic
from openai import OpenAI

§openai_client = OpenAI(api_key="${v.openaiLegacy()}")
§claude = Anthropic(api_key="${v.anthropic()}")

MODEL = "gpt-4o-mini"


def summarize(text: str) -> str:
    out = openai_client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])
    return out.choices[0].message.content or ""
`,
  );
  c.add(
    'ml/notebooks/explore-embeddings.ipynb',
    `
{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
    "import os\\n",
    "from huggingface_hub import login\\n",
§    "login(token=\\"${v.huggingface()}\\")\\n",
    "os.environ[\\"TOKENIZERS_PARALLELISM\\"] = \\"false\\""
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "metadata": {},
   "outputs": [],
   "source": [
    "from sentence_transformers import SentenceTransformer\\n",
    "model = SentenceTransformer(\\"all-MiniLM-L6-v2\\")"
   ]
  }
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
`,
  );
  c.add(
    'scripts/deploy.sh',
    `
#!/usr/bin/env bash
set -euo pipefail

§export AWS_ACCESS_KEY_ID=${v.awsKeyId()}
§export AWS_SECRET_ACCESS_KEY=${v.awsSecret()}
export AWS_DEFAULT_REGION=eu-west-1

aws s3 sync ./dist "s3://acme-web-prod/" --delete
aws cloudfront create-invalidation --distribution-id E2ABCDEF123456 --paths '/*'
`,
  );
  c.add(
    'scripts/release.sh',
    `
#!/usr/bin/env bash
set -euo pipefail
python -m build
§twine upload -u __token__ -p ${v.pypi()} dist/*
§export PULUMI_ACCESS_TOKEN=${v.pulumi()}
pulumi up --yes --stack prod
`,
  );
  c.add(
    'scripts/smoke-test.sh',
    `
#!/bin/sh
BASE=\${BASE:-https://api.acme-corp.example}
§TOKEN="${v.jwt({ sub: 'svc-smoke', scope: 'orders:read', iat: 1700000000, exp: 1900000000 })}"
curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/v1/orders?limit=1" > /dev/null
curl -sf "$BASE/healthz"
`,
  );
  c.add(
    'scripts/backup.ps1',
    `
$ErrorActionPreference = "Stop"
$server = "sql-backup.acme-corp.example"
$user = "backup_svc"
§$password = ConvertTo-SecureString "${v.password().replaceAll('"', '')}" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential ($user, $password)
Invoke-Sqlcmd -ServerInstance $server -Credential $cred -Query "BACKUP DATABASE [Sales] TO DISK = N'D:\\Backup\\Sales.bak'"
`,
  );
  c.add(
    'go/integrations/github.go',
    `
package integrations

import (
	"context"

	"github.com/google/go-github/v56/github"
)

§const botToken = "${v.ghFine()}"

// NewClient returns a client acting as the release bot.
func NewClient() *github.Client {
	return github.NewClient(nil).WithAuthToken(botToken)
}

func LatestRelease(ctx context.Context, owner, repo string) (string, error) {
	rel, _, err := NewClient().Repositories.GetLatestRelease(ctx, owner, repo)
	if err != nil {
		return "", err
	}
	return rel.GetTagName(), nil
}
`,
  );
  c.add(
    'go/db/connect.go',
    `
package db

import (
	"database/sql"

	_ "github.com/lib/pq"
)

§const dsn = "postgres://reporting:${encodeURIComponent(v.password())}@reporting-db.internal:5432/reporting?sslmode=require"

func Open() (*sql.DB, error) {
	return sql.Open("postgres", dsn)
}
`,
  );
  c.add(
    'tools/gitlab/mirror.py',
    `
import gitlab

§gl = gitlab.Gitlab("https://gitlab.com", private_token="${v.glpat()}")
§RUNNER_TOKEN = "${v.glRunner()}"


def mirror(project_id: int) -> None:
    project = gl.projects.get(project_id)
    project.mirror_pull()
`,
  );
  c.add(
    'ruby/app/services/shopify_sync.rb',
    `
require "shopify_api"

class ShopifySync
  SHOP = "acme-merch.myshopify.com"
§  ACCESS_TOKEN = "${v.shopify()}"

  def initialize
    @session = ShopifyAPI::Auth::Session.new(shop: SHOP, access_token: ACCESS_TOKEN)
  end

  def products
    ShopifyAPI::Product.all(session: @session)
  end
end
`,
  );
  c.add(
    'dotnet/Acme.Storage/BlobStore.cs',
    `
using Azure.Storage.Blobs;

namespace Acme.Storage;

public sealed class BlobStore
{
§    private const string ConnectionString = "${v.azureConnection('acmeinvoices')}";

    private readonly BlobContainerClient _container = new(ConnectionString, "invoices");

    public async Task UploadAsync(string name, Stream data) =>
        await _container.UploadBlobAsync(name, data);
}
`,
  );
  c.add(
    'services/api/src/config/azure.ts',
    `
import { ClientSecretCredential } from '@azure/identity';

export const credential = new ClientSecretCredential(
  '${r.uuid()}',
  '${r.uuid()}',
§  '${v.azureClientSecret()}',
);
`,
  );
  c.add(
    'services/api/src/storage/upload.py',
    `
import boto3
import requests

§SAS_URL = "https://acmeexports.blob.core.windows.net/exports?${v.azureSas()}"

session = boto3.Session(
§    aws_access_key_id="${v.awsTempKeyId()}",
§    aws_secret_access_key="${v.awsSecret()}",
§    aws_session_token="${v.awsSessionToken()}",
)


def upload(name: str, data: bytes) -> None:
    requests.put(SAS_URL.replace("/exports?", f"/exports/{name}?"), data=data, headers={"x-ms-blob-type": "BlockBlob"}, timeout=30)
`,
  );
  c.add(
    'services/geo/maps.js',
    `
const { Client } = require('@googlemaps/google-maps-services-js');

const client = new Client({});
§const key = '${v.gcpApiKey()}';

exports.geocode = async (address) => {
  const res = await client.geocode({ params: { address, key } });
  return res.data.results[0]?.geometry.location;
};
`,
  );
  c.add(
    'web/src/monitoring/setup.js',
    `
import newrelic from 'newrelic';

export const config = {
§  newRelicUserKey: '${v.newRelic()}',
§  grafanaToken: '${v.grafana()}',
  grafanaUrl: 'https://acme.grafana.net',
  sampleRate: 0.1,
};

export function record(name, value) {
  newrelic.recordMetric(name, value);
}
`,
  );
  c.add(
    'php/shop/app/Payments/SquareGateway.php',
    `
<?php

namespace App\\Payments;

use Square\\SquareClient;

class SquareGateway
{
    public function client(): SquareClient
    {
        return new SquareClient([
§            'accessToken' => '${v.squareToken()}',
            'environment' => 'production',
        ]);
    }
}
`,
  );
  c.add(
    'java/billing/src/main/java/com/acme/billing/MailConfig.java',
    `
package com.acme.billing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class MailConfig {
    static final String DOMAIN = "mg.acme-corp.example";
§    static final String MAILGUN_API_KEY = "${v.mailgun()}";

    @Bean
    MailgunClient mailgun() {
        return new MailgunClient(DOMAIN, MAILGUN_API_KEY);
    }
}
`,
  );
  c.add(
    'tools/integrations/config.json',
    `
{
  "jira": {
    "baseUrl": "https://acme.atlassian.net",
    "user": "automation@acme-corp.example",
§    "apiToken": "${v.atlassian()}"
  },
  "linear": {
§    "apiKey": "${v.linear()}",
    "teamId": "${r.uuid()}"
  },
  "postman": {
§    "apiKey": "${v.postman()}"
  },
  "discord": {
§    "alertsWebhook": "${v.discordWebhook()}"
  },
  "pollIntervalSeconds": 60
}
`,
  );
  c.add(
    'tools/cloud/bootstrap.py',
    `
import os

import digitalocean
from databricks.sdk import WorkspaceClient

§DO_TOKEN = "${v.digitalocean()}"
§DATABRICKS_TOKEN = "${v.databricks()}"
§os.environ["DOPPLER_TOKEN"] = "${v.doppler()}"
§VAULT_TOKEN = "${v.vault()}"
§NETLIFY_AUTH_TOKEN = "${v.netlify()}"
OKTA_ORG_URL = "https://acme.okta.com"
§OKTA_API_TOKEN = "${v.okta()}"


def droplets():
    return digitalocean.Manager(token=DO_TOKEN).get_all_droplets()


def workspace():
    return WorkspaceClient(host="https://adb-1234567890123456.7.azuredatabricks.net", token=DATABRICKS_TOKEN)
`,
  );
  c.add(
    'tools/cloud/aliyun_oss.py',
    `
import oss2

§auth = oss2.Auth("${v.alibabaId()}", "${v.alibabaSecret()}")
bucket = oss2.Bucket(auth, "https://oss-cn-hangzhou.aliyuncs.com", "acme-cn-assets")
`,
  );
  c.add(
    'web/src/push/fcm.ts',
    `
const FCM_ENDPOINT = 'https://fcm.googleapis.com/fcm/send';
§const SERVER_KEY = '${v.firebase()}';

export async function push(token: string, title: string): Promise<void> {
  await fetch(FCM_ENDPOINT, {
    method: 'POST',
    headers: { Authorization: \`key=\${SERVER_KEY}\`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to: token, notification: { title } }),
  });
}
`,
  );
  c.add(
    'services/worker/queue.py',
    `
import os

import pika
import redis

§BROKER_URL = "amqp://worker:${encodeURIComponent(v.password())}@rabbitmq.internal:5672/orders"
CACHE = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))


def channel():
    return pika.BlockingConnection(pika.URLParameters(BROKER_URL)).channel()
`,
  );
  c.add(
    'services/catalog/db.js',
    `
const { MongoClient } = require('mongodb');

§const uri = 'mongodb+srv://catalog:${encodeURIComponent(v.password())}@cluster0.x8k2p.mongodb.net/catalog?retryWrites=true&w=majority';
const localUri = process.env.MONGO_URL || 'mongodb://localhost:27017/catalog';

module.exports = new MongoClient(process.env.NODE_ENV === 'production' ? uri : localUri);
`,
  );
  c.add(
    'services/catalog/search/indexer.js',
    `
const algoliasearch = require('algoliasearch');

const APP_ID = 'K3X9Q2ABCD';
§const ALGOLIA_ADMIN_KEY = '${v.algolia()}';

module.exports = algoliasearch(APP_ID, ALGOLIA_ADMIN_KEY).initIndex('products');
`,
  );
  c.add(
    'docs/runbooks/2023-04-payment-outage.md',
    `
# Payment outage, 14 April 2023

## Timeline

- 09:12 alerts on payment error rate
- 09:20 on-call confirms the provider status page is green
- 09:41 root cause: the webhook secret was rotated on one side only

## Commands used

Listing the failed deliveries:

\`\`\`
§curl -H "Authorization: token ${v.ghp()}" https://api.github.com/repos/acme/payments/hooks/81234/deliveries
\`\`\`

Replaying one (the token is read from the vault, see below):

\`\`\`
curl -X POST -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/repos/acme/payments/hooks/81234/deliveries/123/attempts
\`\`\`

## Follow-ups

- rotate the webhook secret through the pipeline, never by hand
`,
  );
  c.add(
    'logs/api-2024-01-12.log',
    `
2024-01-12T08:00:01.120Z INFO  server listening on :8080
2024-01-12T08:00:01.340Z INFO  connected to redis at redis://redis.internal:6379/0
§2024-01-12T08:00:02.015Z DEBUG db pool: connecting to postgres://api:${encodeURIComponent(v.password())}@orders-db.internal:5432/orders
2024-01-12T08:00:02.220Z INFO  db pool ready (size=10)
2024-01-12T08:01:15.871Z WARN  request_id=${r.uuid()} slow query 812ms
2024-01-12T08:02:40.003Z INFO  request_id=${r.uuid()} POST /v1/orders 201 45ms
2024-01-12T08:03:12.554Z ERROR request_id=${r.uuid()} payment declined: card_declined
`,
  );
}
