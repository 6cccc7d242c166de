/**
 * Per-tool credential and settings files from home folders and build setups:
 * shell history, MySQL, s3cmd, rclone, RubyGems, Composer, Terraform Cloud,
 * Cargo, Vault, Maven, NuGet, pip, Kaggle, WinSCP, Gradle, .NET and Java web
 * configs. Each kind also appears done right, with the value read elsewhere.
 */
import { type Corpus, privateKey } from './corpus-kit.js';
import { type Rng, UPPER_ALNUM } from './random.js';
import type { Values } from './values.js';

const j = (...parts: string[]) => parts.join('');

export function toolFiles(c: Corpus, v: Values, r: Rng): void {
  homeFiles(c, v, r);
  buildFiles(c, v, r);
  appConfigs(c, v, r);
}

function homeFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    '.bash_history',
    `
ls -la
cd ~/src/shop
git pull
§mysql -u root -p'${v.password().replaceAll("'", '')}' shop < db/dumps/shop_2023-11-02.sql
docker compose up -d
§export GITHUB_TOKEN=${v.ghp()}
gh pr list
kubectl get pods -n orders
echo $AWS_PROFILE
history | grep ssh
§docker login -u acmebuild -p ${v.dockerPat()}
docker push acme/api:2.14.1
vim ~/.ssh/config
`,
  );
  c.add(
    '.my.cnf',
    `
[client]
user=backup
§password="${v.password().replaceAll('"', '')}"
host=db-prod-1.internal

[mysqldump]
single-transaction
`,
  );
  c.add(
    '.s3cfg',
    `
[default]
§access_key = ${v.awsKeyId()}
bucket_location = EU
host_base = s3.amazonaws.com
host_bucket = %(bucket)s.s3.amazonaws.com
§secret_key = ${v.awsSecret()}
signature_v2 = False
use_https = True
`,
  );
  c.add(
    '.config/rclone/rclone.conf',
    `
[b2-backup]
type = b2
account = ${r.hex(12)}
§key = K00${r.chars(`${UPPER_ALNUM}abcdefghijklmnopqrstuvwxyz`, 28)}
hard_delete = true

[nas]
type = sftp
host = nas.home.arpa
user = rclone
§pass = ${r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', 43)}
shell_type = unix
`,
  );
  c.add('.gem/credentials', `---\n§:rubygems_api_key: ${j('ruby', 'gems_')}${r.hex(48)}\n`);
  c.add(
    '.config/composer/auth.json',
    `
{
    "github-oauth": {
§        "github.com": "${v.gho()}"
    },
    "http-basic": {
        "repo.packagist.com": {
            "username": "token",
§            "password": "${r.hex(40)}"
        }
    }
}
`,
  );
  c.add(
    '.terraform.d/credentials.tfrc.json',
    `
{
  "credentials": {
    "app.terraform.io": {
§      "token": "${r.alnum(14)}.${j('atlas', 'v1')}.${r.alnum(67)}"
    }
  }
}
`,
  );
  c.add(
    '.cargo/credentials.toml',
    `
[registry]
§token = "${j('ci', 'o')}${r.alnum(32)}"
`,
  );
  c.add('.vault-token', `§${v.vault()}`);
  c.add('.kaggle/kaggle.json', `§{"username":"mkowalski","key":"${r.hex(32)}"}\n`);
  c.add(
    'windows-profile/AppData/Roaming/WinSCP.ini',
    `
[Configuration\\Interface]
RandomSeedFile=%APPDATA%\\winscp.rnd

[Sessions\\deploy@web-01]
HostName=web-01.acme-corp.example
UserName=deploy
§Password=${r.hex(80).toUpperCase()}
PortNumber=22
FSProtocol=2

[Sessions\\readonly@logs]
HostName=logs.acme-corp.example
UserName=readonly
PublicKeyFile=C:%5CUsers%5Cmk%5C.ssh%5Clogs.ppk
`,
    '\r\n',
  );
  c.add(
    '.config/pip/pip.conf',
    `
[global]
§index-url = https://ci:${v.password().replaceAll('@', '').replaceAll(':', '').replaceAll('%', '')}@nexus.acme-corp.example/repository/pypi-group/simple
timeout = 60
`,
  );
  c.add(
    'ml/pip.conf',
    `
[global]
index-url = https://\${PIP_USER}:\${PIP_PASSWORD}@nexus.acme-corp.example/repository/pypi-group/simple
extra-index-url = https://pypi.org/simple
`,
  );
}

function buildFiles(c: Corpus, v: Values, r: Rng): void {
  c.add(
    '.m2/settings.xml',
    `
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <servers>
    <server>
      <id>acme-releases</id>
      <username>deployment</username>
§      <password>${v.password().replaceAll('<', '').replaceAll('&', '')}</password>
    </server>
    <server>
      <id>github</id>
      <username>mkowalski</username>
§      <password>${v.ghp()}</password>
    </server>
  </servers>
</settings>
`,
  );
  c.add(
    'java/billing/.mvn/settings.xml',
    `
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <servers>
    <server>
      <id>acme-releases</id>
      <username>\${env.NEXUS_USER}</username>
      <password>\${env.NEXUS_PASSWORD}</password>
    </server>
  </servers>
</settings>
`,
  );
  c.add(
    'dotnet/NuGet.Config',
    `
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
    <add key="acme" value="https://pkgs.dev.azure.com/acme/_packaging/acme/nuget/v3/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <acme>
      <add key="Username" value="acme" />
§      <add key="ClearTextPassword" value="${r.chars('abcdefghijklmnopqrstuvwxyz234567', 52)}" />
    </acme>
  </packageSourceCredentials>
</configuration>
`,
  );
  c.add(
    'dotnet/tools/NuGet.Config',
    `
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSourceCredentials>
    <acme>
      <add key="Username" value="az" />
      <add key="ClearTextPassword" value="%NUGET_PAT%" />
    </acme>
  </packageSourceCredentials>
</configuration>
`,
  );
  c.add(
    'android/gradle.properties',
    `
org.gradle.jvmargs=-Xmx2048m -Dfile.encoding=UTF-8
android.useAndroidX=true
RELEASE_STORE_FILE=release.keystore
§RELEASE_STORE_PASSWORD=${v.password()}
RELEASE_KEY_ALIAS=acme
§RELEASE_KEY_PASSWORD=${v.password()}
§ossrhPassword=${v.password()}
ossrhUsername=acme-release
`,
  );
  c.add(
    'android/app/build.gradle',
    `
android {
    namespace 'com.acme.shop'
    compileSdk 34
    signingConfigs {
        release {
            storeFile file(RELEASE_STORE_FILE)
            storePassword RELEASE_STORE_PASSWORD
            keyAlias RELEASE_KEY_ALIAS
            keyPassword System.getenv("RELEASE_KEY_PASSWORD") ?: RELEASE_KEY_PASSWORD
        }
    }
}
`,
  );
  c.add(
    '.travis.yml',
    `
language: node_js
node_js: [20]
env:
  global:
    - secure: "${r.base64(256)}"
deploy:
  provider: npm
  email: builds@acme-corp.example
  api_key:
    secure: "${r.base64(256)}"
`,
  );
  c.add(
    'web/sentry.properties',
    `
defaults.url=https://sentry.io/
defaults.org=acme
defaults.project=web
§auth.token=${r.hex(64)}
`,
  );
}

function appConfigs(c: Corpus, v: Values, r: Rng): void {
  c.add(
    'dotnet/Acme.Api/appsettings.json',
    `
{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "ConnectionStrings": {
§    "Orders": "Server=tcp:acme-sql-main.database.windows.net,1433;Initial Catalog=orders;User ID=sqladmin;Password=${v.password().replaceAll(';', '').replaceAll('"', '')};Encrypt=True;",
    "Cache": "acme-cache.redis.cache.windows.net:6380,ssl=True,abortConnect=False"
  },
  "Jwt": {
    "Issuer": "https://api.acme-corp.example",
§    "SigningKey": "${r.base64(48)}"
  },
  "AllowedHosts": "*"
}
`,
  );
  c.add(
    'dotnet/Acme.Api/appsettings.Development.json',
    `
{
  "ConnectionStrings": {
    "Orders": "Server=(localdb)\\\\MSSQLLocalDB;Database=orders;Trusted_Connection=True;MultipleActiveResultSets=true"
  },
  "Jwt": { "SigningKey": "" }
}
`,
  );
  c.add(
    'dotnet/LegacyPortal/Web.config',
    `
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
§    <add name="Portal" connectionString="Data Source=sql01;Initial Catalog=Portal;User Id=portal;Password=${v.password().replaceAll('"', '').replaceAll('&', '').replaceAll('<', '')};" providerName="System.Data.SqlClient" />
    <add name="Reports" connectionString="Data Source=sql01;Initial Catalog=Reports;Integrated Security=True" providerName="System.Data.SqlClient" />
  </connectionStrings>
  <appSettings>
    <add key="SmtpHost" value="smtp.office365.com" />
    <add key="PasswordResetUrl" value="https://portal.acme-corp.example/reset" />
  </appSettings>
</configuration>
`,
  );
  c.add(
    'java/legacy/conf/tomcat-users.xml',
    `
<?xml version="1.0" encoding="UTF-8"?>
<tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
  <role rolename="manager-gui"/>
§  <user username="admin" password="${v.password().replaceAll('"', '').replaceAll('&', '').replaceAll('<', '')}" roles="manager-gui"/>
  <!-- <user username="role1" password="<must-be-changed>" roles="role1"/> -->
</tomcat-users>
`,
  );
  c.add(
    'php/phpmyadmin/config.inc.php',
    `
<?php
§$cfg['blowfish_secret'] = '${r.alnum(32)}';
$i = 0;
$i++;
$cfg['Servers'][$i]['auth_type'] = 'cookie';
$cfg['Servers'][$i]['host'] = 'localhost';
$cfg['Servers'][$i]['AllowNoPassword'] = false;
$cfg['UploadDir'] = '';
`,
  );
  c.add(
    'web/.env.local',
    `
NEXT_PUBLIC_API_URL=https://api.acme-corp.example
NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=${v.stripePublishable()}
§NEXTAUTH_SECRET=${r.base64(32)}
§GITHUB_CLIENT_SECRET=${r.hex(40)}
GITHUB_CLIENT_ID=Iv1.${r.hex(16)}
`,
  );
  c.add(
    'services/api/src/auth/signing.ts',
    `
import { createSign } from 'node:crypto';

// Signing key for partner callbacks (kept here until the KMS migration, see OPS-412).
⟦const PRIVATE_KEY = \`${privateKey(r, 'RSA').slice(1)}\`;

export function sign(payload: string): string {
  return createSign('RSA-SHA256').update(payload).sign(PRIVATE_KEY, 'base64');
}
`,
  );
}
