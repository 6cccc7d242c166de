/**
 * Configuration with secrets written into it, beside the same kind of file
 * done right: env files, framework settings, IaC, Kubernetes, CI.
 */
import { type Corpus, privateKey, unmarked } from './corpus-kit.js';
import type { Rng } from './random.js';
import type { Values } from './values.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function configFiles(c: Corpus, v: Values, r: Rng): void {
  envFiles(c, v, r);
  frameworkFiles(c, v, r);
  iacFiles(c, v, r);
  clusterFiles(c, v, r);
}

function envFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'php/shop/.env',
    `
APP_NAME="Acme Shop"
APP_ENV=production
§APP_KEY=${v.laravelKey()}
APP_DEBUG=false
APP_URL=https://shop.acme-corp.example

LOG_CHANNEL=stack

DB_CONNECTION=mysql
DB_HOST=10.0.12.7
DB_PORT=3306
DB_DATABASE=shop
DB_USERNAME=shop
§DB_PASSWORD=${v.password()}

MAIL_MAILER=smtp
MAIL_HOST=smtp.mailgun.org
MAIL_PORT=587
MAIL_USERNAME=postmaster@mg.acme-corp.example
§MAIL_PASSWORD=${v.password()}

§AWS_ACCESS_KEY_ID=${v.awsKeyId()}
§AWS_SECRET_ACCESS_KEY=${v.awsSecret(32)}
AWS_DEFAULT_REGION=eu-central-1
AWS_BUCKET=acme-shop-media

PUSHER_APP_ID=1571234
PUSHER_APP_KEY=${r.hex(20)}
§PUSHER_APP_SECRET=${r.hex(20)}
PUSHER_APP_CLUSTER=eu
`,
  );
  c.add(
    'php/shop/.env.example',
    `
APP_NAME=Laravel
APP_ENV=local
APP_KEY=
APP_DEBUG=true
APP_URL=http://localhost

DB_CONNECTION=mysql
DB_HOST=127.0.0.1
DB_PORT=3306
DB_DATABASE=laravel
DB_USERNAME=root
DB_PASSWORD=

MAIL_PASSWORD=null
AWS_ACCESS_KEY_ID=
AWS_SECRET_ACCESS_KEY=
PUSHER_APP_SECRET=
`,
  );
  c.add(
    'services/api/.env.production',
    `
NODE_ENV=production
PORT=8080
§DATABASE_URL=postgres://api:${encodeURIComponent(v.password())}@orders-db.cluster-c9xk2l.eu-west-1.rds.amazonaws.com:5432/orders
§REDIS_URL=redis://default:${r.alnum(32)}@redis-12345.c1.eu-west-1-2.ec2.cloud.redislabs.com:12345
§JWT_SECRET=${r.alnum(64)}
JWT_EXPIRES_IN=15m
§OPENAI_API_KEY=${v.openai()}
SENTRY_DSN=https://${r.hex(32)}@o450123.ingest.sentry.io/5512345
§SENTRY_AUTH_TOKEN=${v.sentryAuth()}
§STRIPE_WEBHOOK_SECRET=${v.stripeWebhook()}
LOG_LEVEL=info
`,
  );
  c.add(
    'services/api/.env.example',
    `
NODE_ENV=development
PORT=8080
DATABASE_URL=postgres://api:api@localhost:5432/orders
REDIS_URL=redis://localhost:6379
JWT_SECRET=<generate with: openssl rand -hex 32>
OPENAI_API_KEY=sk-...
SENTRY_AUTH_TOKEN=
STRIPE_WEBHOOK_SECRET=whsec_xxxxxxxxxxxxxxxxxxxxxxxx
`,
  );
  c.add(
    'services/worker/.env',
    `
# local overrides, do not commit (committed in 2021, see INC-2291)
§HEROKU_API_KEY=${v.herokuUuid()}
§AWS_SECRET_ACCESS_KEY="${v.awsSecret(41)}"
AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
§MAILCHIMP_API_KEY=${v.mailchimp()}
§TELEGRAM_BOT_TOKEN=${v.telegram()}
REQUEST_ID_HEADER=X-Request-Id
`,
  );
}

function frameworkFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'rails/config/secrets.yml',
    `
# Be sure to restart your server when you modify this file.

development:
§  secret_key_base: ${v.railsSecret()}

test:
§  secret_key_base: ${v.railsSecret()}

# Do not keep production secrets in the repository,
# instead read values from the environment.
production:
  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>
`,
  );
  c.add('rails/config/master.key', `§${r.hex(32)}`);
  c.add('rails/config/credentials.yml.enc', `${r.base64(420)}--${r.base64(12)}--${r.base64(16)}`);
  c.add(
    'rails/config/database.yml',
    `
default: &default
  adapter: postgresql
  encoding: unicode
  pool: <%= ENV.fetch("RAILS_MAX_THREADS") { 5 } %>

development:
  <<: *default
  database: storefront_development

test:
  <<: *default
  database: storefront_test

staging:
  <<: *default
  database: storefront_staging
  username: storefront
§  password: ${v.password()}
  host: staging-db.internal

production:
  <<: *default
  database: storefront_production
  username: storefront
  password: <%= ENV["STOREFRONT_DATABASE_PASSWORD"] %>
`,
  );
  c.add(
    'django/backend/settings.py',
    `
"""Django settings for backend project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
§SECRET_KEY = '${v.djangoKey()}'

DEBUG = False
ALLOWED_HOSTS = ['api.acme-corp.example']

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': 'backend',
        'USER': 'backend',
§        'PASSWORD': '${v.password()}',
        'HOST': 'db.internal',
        'PORT': '5432',
    }
}

EMAIL_HOST = 'smtp.sendgrid.net'
EMAIL_HOST_USER = 'apikey'
EMAIL_HOST_PASSWORD = os.environ.get('SENDGRID_API_KEY', '')
AUTH_PASSWORD_VALIDATORS = [
    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},
    {'NAME': 'django.contrib.auth.password_validation.CommonPasswordValidator'},
]
PASSWORD_RESET_TIMEOUT = 259200
`,
  );
  c.add(
    'django/backend/settings_prod.py',
    `
import os

from .settings import *  # noqa: F401,F403

SECRET_KEY = os.environ['DJANGO_SECRET_KEY']
DATABASES['default']['PASSWORD'] = os.environ['DB_PASSWORD']
AWS_SECRET_ACCESS_KEY = os.getenv('AWS_SECRET_ACCESS_KEY')
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
`,
  );
  const salts = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
  ];
  c.add(
    'wordpress/wp-config.php',
    `
<?php
/**
 * The base configuration for WordPress
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'wp_blog' );
define( 'DB_USER', 'wp_blog' );
§define( 'DB_PASSWORD', '${v.password()}' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 */
${salts.map((s) => `§define( '${s}',${' '.repeat(Math.max(1, 17 - s.length))}'${v.wpSalt()}' );`).join('\n')}
/**#@-*/

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`,
  );
  c.add(
    'wordpress/wp-config-sample.php',
    `
<?php
define( 'DB_NAME', 'database_name_here' );
define( 'DB_USER', 'username_here' );
define( 'DB_PASSWORD', 'password_here' );
define( 'DB_HOST', 'localhost' );

${salts.map((s) => `define( '${s}',${' '.repeat(Math.max(1, 17 - s.length))}'put your unique phrase here' );`).join('\n')}

$table_prefix = 'wp_';
`,
  );
  c.add(
    'java/billing/src/main/resources/application.properties',
    `
spring.application.name=billing
server.port=8081
spring.datasource.url=jdbc:postgresql://billing-db.internal:5432/billing
spring.datasource.username=billing
§spring.datasource.password=${v.password()}
spring.jpa.hibernate.ddl-auto=validate
§app.jwt.secret=${r.base64(48)}
app.jwt.expiration-ms=3600000
management.endpoints.web.exposure.include=health,info
`,
  );
  c.add(
    'java/billing/src/main/resources/application-dev.yml',
    `
spring:
  datasource:
    url: jdbc:postgresql://localhost:5432/billing
    username: \${DB_USER:billing}
    password: \${DB_PASSWORD}
app:
  jwt:
    secret: \${JWT_SECRET}
`,
  );
  c.add(
    'config/datadog/datadog.yaml',
    `
## The Datadog agent configuration, deployed by the base AMI.
§api_key: ${v.datadogApi()}
site: datadoghq.eu
hostname_fqdn: true
logs_enabled: true
apm_config:
  enabled: true
process_config:
  process_collection:
    enabled: false
`,
  );
  c.add(
    'ansible/group_vars/all.yml',
    `
---
ansible_user: deploy
§ansible_become_password: ${v.password()}
app_port: 8080
ntp_servers:
  - 0.pool.ntp.org
  - 1.pool.ntp.org
`,
  );
  const vaultLines = (r.hex(600).match(/.{1,80}/g) ?? []).join('\n');
  c.add('ansible/group_vars/prod/vault.yml', `$ANSIBLE_VAULT;1.1;AES256\n${vaultLines}\n`);
  c.add(
    'tools/ci/.pypirc',
    `
[distutils]
index-servers =
    pypi
    internal

[pypi]
username = __token__
§password = ${v.pypi()}

[internal]
repository = https://nexus.acme-corp.example/repository/pypi-internal/
username = ci
password = \${NEXUS_PASSWORD}
`,
  );
  c.add(
    '.config/gh/hosts.yml',
    `
github.com:
    users:
        mkowalski:
§            oauth_token: ${v.gho()}
    git_protocol: https
§    oauth_token: ${v.gho()}
    user: mkowalski
`,
  );
  c.add(
    '.vscode/settings.json',
    `
{
  "editor.formatOnSave": true,
  "sqltools.connections": [
    {
      "previewLimit": 50,
      "server": "reporting-db.internal",
      "port": 5432,
      "driver": "PostgreSQL",
      "name": "reporting",
      "database": "reporting",
      "username": "analyst",
§      "password": "${v.password()}"
    }
  ]
}
`,
  );
  c.add(
    '.dbeaver/data-sources.json',
    `
{
	"folders": {},
	"connections": {
		"postgres-jdbc-18a3c1f2e7d-5b1e2a7c9d3f4e10": {
			"provider": "postgresql",
			"driver": "postgres-jdbc",
			"name": "orders (prod, read-only)",
			"save-password": true,
			"configuration": {
				"host": "orders-ro.internal",
				"port": "5432",
				"database": "orders",
				"url": "jdbc:postgresql://orders-ro.internal:5432/orders",
				"configurationType": "MANUAL",
				"auth-model": "native"
			}
		}
	}
}
`,
  );
  c.add(
    'tools/sqldeveloper/connections.xml',
    `
<?xml version="1.0" encoding="UTF-8"?>
<References xmlns="http://xmlns.oracle.com/adf/jndi">
  <Reference name="reporting" className="oracle.jdeveloper.db.adapter.DatabaseProvider" xmlns="">
    <RefAddresses>
      <StringRefAddr addrType="user"><Contents>reporting</Contents></StringRefAddr>
      <StringRefAddr addrType="hostname"><Contents>ora-rep.internal</Contents></StringRefAddr>
      <StringRefAddr addrType="port"><Contents>1521</Contents></StringRefAddr>
    </RefAddresses>
  </Reference>
  <profile name="reporting" save-password="true" use-keychain="true" />
</References>
`,
  );
  c.add(
    'keys/release-signing.asc',
    `
# Release signing key (sub key only), restored from the old build server.
${privateKey(r, 'PGP')}
`,
  );
  c.add('certs/server.key', `${privateKey(r, 'PKCS8')}\n`);
  c.add('certs/ec-p256.key', `${privateKey(r, 'EC')}\n`);
  c.add('certs/legacy-partner.key', `${privateKey(r, 'ENCRYPTED')}\n`);
  c.add(
    'secrets/backup.agekey',
    `
# created: 2023-08-14T10:12:40+02:00
# public key: age1${r.chars('qpzry9x8gf2tvdw0s3jn54khce6mua7l', 58)}
§${v.age()}
`,
  );
  void b64;
}

function iacFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'terraform/aws/providers.tf',
    `
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region     = "eu-west-1"
§  access_key = "${v.awsKeyId()}"
§  secret_key = "${v.awsSecret()}"
}
`,
  );
  c.add(
    'terraform/aws/rds.tf',
    `
resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  engine_version          = "15.4"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  username                = "orders"
  password                = random_password.db.result
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = false
}

resource "aws_secretsmanager_secret" "db" {
  name = "orders/db-password"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = random_password.db.result
}

resource "aws_db_instance" "reporting" {
  identifier        = "reporting"
  engine            = "mysql"
  instance_class    = "db.t4g.small"
  allocated_storage = 20
  username          = "admin"
  password          = var.reporting_db_password
}
`,
  );
  c.add(
    'terraform/azure/sql.tf',
    `
resource "azurerm_mssql_server" "main" {
  name                         = "acme-sql-main"
  resource_group_name          = azurerm_resource_group.main.name
  location                     = azurerm_resource_group.main.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
§  administrator_login_password = "${v.password()}"
  minimum_tls_version          = "1.2"
}

resource "azurerm_mssql_server" "replica" {
  name                         = "acme-sql-replica"
  resource_group_name          = azurerm_resource_group.main.name
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = azurerm_mssql_server.main.administrator_login
  administrator_login_password = azurerm_mssql_server.main.administrator_login_password
}

resource "azurerm_linux_virtual_machine" "jump" {
  name                            = "jump-01"
  resource_group_name             = azurerm_resource_group.main.name
  location                        = azurerm_resource_group.main.location
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = azurerm_key_vault_secret.jump_password.value
  disable_password_authentication = false
  network_interface_ids           = [azurerm_network_interface.jump.id]
}
`,
  );
  c.add(
    'terraform/azure/storage.tf',
    `
resource "azurerm_storage_account" "logs" {
  name                     = "acmelogs01"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"
}

resource "azurerm_key_vault_secret" "logs_connection" {
  name         = "logs-connection-string"
  value        = azurerm_storage_account.logs.primary_connection_string
  key_vault_id = azurerm_key_vault.main.id
}

output "logs_access_key" {
  value     = azurerm_storage_account.logs.primary_access_key
  sensitive = true
}
`,
  );
  c.add(
    'terraform/azure/terraform.tfvars',
    `
location            = "westeurope"
environment         = "prod"
§sql_admin_password = "${v.password()}"
§datadog_api_key    = "${v.datadogApi()}"
§client_secret      = "${v.azureClientSecret()}"
tenant_id           = "${r.uuid()}"
subscription_id     = "${r.uuid()}"
client_id           = "${r.uuid()}"
`,
  );
  c.add(
    'terraform/gcp/main.tf',
    `
provider "google" {
  project     = var.project_id
  region      = "europe-west1"
  credentials = file(var.credentials_file)
}

resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
  password = data.google_secret_manager_secret_version.db.secret_data
}

resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

output "ci_key" {
  value     = google_service_account_key.ci.private_key
  sensitive = true
}
`,
  );
  const dbPassword = v.password();
  c.add(
    'terraform/aws/state/terraform.tfstate',
    `
{
  "version": 4,
  "terraform_version": "1.5.7",
  "serial": 41,
  "lineage": "${r.uuid()}",
  "outputs": {},
  "resources": [
    {
      "mode": "managed",
      "type": "aws_db_instance",
      "name": "reporting",
      "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"]",
      "instances": [
        {
          "schema_version": 2,
          "attributes": {
            "address": "reporting.c9xk2l.eu-west-1.rds.amazonaws.com",
            "arn": "arn:aws:rds:eu-west-1:123456789012:db:reporting",
            "engine": "mysql",
            "identifier": "reporting",
§            "password": "${dbPassword}",
            "username": "admin"
          },
          "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]
        }
      ]
    },
    {
      "mode": "managed",
      "type": "aws_iam_access_key",
      "name": "ci",
      "instances": [
        {
          "attributes": {
§            "id": "${v.awsKeyId()}",
§            "secret": "${v.awsSecret()}",
            "status": "Active",
            "user": "ci"
          }
        }
      ]
    }
  ]
}
`,
  );
  c.add(
    'infra/cloudformation/bastion.yaml',
    `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Ref DbPassword
  LegacyDatabase:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "20"
      MasterUsername: admin
§      MasterUserPassword: ${v.password()}
  AppSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString:
        SecretStringTemplate: '{"username": "app"}'
        GenerateStringKey: password
        PasswordLength: 32
`,
  );
  c.add(
    'infra/pulumi/Pulumi.prod.yaml',
    `
config:
  aws:region: eu-west-1
  shop:dbPassword:
    secure: v1:${r.base64(12)}:${r.base64(48)}
  shop:instanceType: t4g.medium
encryptionsalt: v1:${r.base64(8)}:v1:${r.base64(12)}:${r.base64(24)}
`,
  );
}

function clusterFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'k8s/secrets/orders-db.yaml',
    `
apiVersion: v1
kind: Secret
metadata:
  name: orders-db
  namespace: orders
type: Opaque
data:
  username: ${b64('orders')}
§  password: ${b64(v.password())}
stringData:
§  stripe-api-key: ${v.stripeRestricted()}
`,
  );
  const clientKey = Buffer.from(`${unmarked(privateKey(r, 'RSA'))}\n`).toString('base64');
  c.add(
    '.kube/config',
    `
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${r.base64(800)}
    server: https://4A1B2C3D4E5F.gr7.eu-west-1.eks.amazonaws.com
  name: prod
- cluster:
    certificate-authority-data: ${r.base64(800)}
    server: https://10.20.0.10:6443
  name: onprem
contexts:
- context:
    cluster: prod
    user: prod-admin
  name: prod
- context:
    cluster: onprem
    user: ci
  name: onprem
current-context: prod
kind: Config
preferences: {}
users:
- name: prod-admin
  user:
    client-certificate-data: ${r.base64(860)}
§    client-key-data: ${clientKey}
- name: ci
  user:
§    token: ${v.jwt({ iss: 'kubernetes/serviceaccount', 'kubernetes.io/serviceaccount/namespace': 'ci', sub: 'system:serviceaccount:ci:deployer' })}
- name: eks-sso
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: ["eks", "get-token", "--cluster-name", "prod"]
`,
  );
  c.add(
    'helm/orders/values-prod.yaml',
    `
replicaCount: 3
image:
  repository: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders
  tag: "2.14.1"
postgresql:
  auth:
    username: orders
§    password: "${v.password()}"
    database: orders
ingress:
  enabled: true
  hosts:
    - host: orders.acme-corp.example
      paths: ["/"]
`,
  );
  c.add(
    'helm/orders/values.yaml',
    `
replicaCount: 1
image:
  repository: orders
  tag: latest
  pullPolicy: IfNotPresent
postgresql:
  auth:
    username: orders
    password: ""
    existingSecret: orders-db
    secretKeys:
      userPasswordKey: password
resources:
  limits:
    cpu: 500m
    memory: 512Mi
`,
  );
  c.add(
    'docker-compose.yml',
    `
services:
  db:
    image: postgres:15
    environment:
      POSTGRES_USER: app
§      POSTGRES_PASSWORD: ${v.password().replaceAll('$', '$$$$')}
    volumes:
      - dbdata:/var/lib/postgresql/data
  api:
    build: ./services/api
    environment:
      DATABASE_URL: postgres://app@db:5432/app
      NODE_ENV: production
    depends_on: [db]
volumes:
  dbdata:
`,
  );
  c.add(
    '.github/workflows/notify.yml',
    `
name: notify
on:
  workflow_run:
    workflows: [deploy]
    types: [completed]
jobs:
  slack:
    runs-on: ubuntu-latest
    steps:
      - name: Post to #deploys
        env:
§          WEBHOOK: ${v.slackWebhook()}
        run: |
          curl -sf -X POST -H 'Content-type: application/json' \\
            --data "{\\"text\\":\\"\${{ github.event.workflow_run.conclusion }}: \${{ github.event.workflow_run.head_branch }}\\"}" "$WEBHOOK"
`,
  );
  c.add(
    'services/api/Dockerfile',
    `
FROM node:20-alpine AS build
WORKDIR /app
§ENV NPM_TOKEN=${v.npm()}
RUN echo "//registry.npmjs.org/:_authToken=\${NPM_TOKEN}" > .npmrc
COPY package*.json ./
RUN npm ci && rm -f .npmrc
COPY . .
RUN npm run build

FROM node:20-alpine
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
USER node
CMD ["node", "dist/server.js"]
`,
  );
  c.add(
    'config/gcp/ci-deployer.json',
    `
{
  "type": "service_account",
  "project_id": "acme-prod-31337",
  "private_key_id": "${r.hex(40)}",
§  "private_key": "${unmarked(privateKey(r, 'PKCS8')).replaceAll('\n', '\\n')}\\n",
  "client_email": "ci-deployer@acme-prod-31337.iam.gserviceaccount.com",
  "client_id": "${r.int(1e20, 9e20).toString().slice(0, 21)}",
  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
  "token_uri": "https://oauth2.googleapis.com/token",
  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
  "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/ci-deployer%40acme-prod-31337.iam.gserviceaccount.com",
  "universe_domain": "googleapis.com"
}
`,
  );
}
