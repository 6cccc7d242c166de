/**
 * Issue #16, the generic rule: names with "key" that hold a secret (AWS,
 * Rails, Laravel, WordPress, Django, OAuth 1), PHP define() and other forms,
 * passwords of any length; the false positives it must not report
 * (references, settings about a password, Terraform expressions, prose); and
 * the numeric confidence of every match. Values are built from parts.
 */
import { describe, expect, it } from '@jest/globals';
import { classifySecretName, findSecrets, secretConfidence } from '../../../shared/analysis/secrets/index.js';
import { Masker } from '../../../shared/llm/masking.js';

const NOW = new Date('2026-06-01T12:00:00Z');

const RANDOM_27 = 'Zq8Tb2Lm4Nw7' + 'Rx1Vc9Kp3Hs6Jd0';
const RANDOM_24 = 'Hq8Zt2Lm4Nw7' + 'Rx1Vc9Kp3Hs6';
const HEX_128 = '9f3b2c7e1a4d8b6f' + '0c5e2a9d7b3f1e8c' + '4a6d2b9e7f1c3a5d' + '8e0b6f4c2a9d7e1b'; // 64
const SALT = 'k#9@Lm!2zQ' + '^8vR&p4T*w';

function generic(path: string, content: string) {
  return findSecrets({ path, content }, { now: NOW }).map((m) => [m.credential, m.line, m.name]);
}

describe('names with "key" that hold a secret', () => {
  it.each([
    'AWS_SECRET_ACCESS_KEY',
    'secret_key_base',
    'SECRET_KEY',
    'APP_KEY',
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
    'hash_salt',
    'private_key',
    'client_key',
    'encryption_key',
    'signing_key',
    'master_key',
    'consumer_key',
    'consumer_secret',
    'refresh_token',
    'storePassword',
  ])('%s is a secret name', (name) => {
    expect(classifySecretName(name)?.kind).toBe('secret');
  });

  it.each([
    ['save-password', 'about'],
    ['show_password', 'about'],
    ['secret_name_key', 'about'],
    ['password_hash', 'about'],
    ['token_url', 'about'],
    ['salt', undefined],
    ['keyboard', undefined],
  ])('%s is not one (%s)', (name, kind) => {
    expect(classifySecretName(name)?.kind).toBe(kind);
  });

  it('finds an AWS secret key of any length, Rails, Laravel and Django keys by name', () => {
    const content = [
      `AWS_SECRET_ACCESS_KEY=${RANDOM_27}`,
      `secret_key_base: ${HEX_128}${HEX_128}`,
      `APP_KEY=base64:${RANDOM_24}${RANDOM_27}=`,
      `SECRET_KEY = '${'django-insecure-'}x7#k2!p9qz@4w8m'`,
    ].join('\n');
    expect(generic('config/production.yml', content)).toEqual([
      ['generic-secret', 1, 'AWS_SECRET_ACCESS_KEY'],
      ['generic-secret', 2, 'secret_key_base'],
      ['generic-secret', 3, 'APP_KEY'],
      ['generic-secret', 4, 'SECRET_KEY'],
    ]);
  });

  it('reads PHP define(): WordPress keys and salts and the database password', () => {
    const content = [
      '<?php',
      `define('AUTH_KEY',         '${SALT}');`,
      `define( 'SECURE_AUTH_KEY', "${SALT}1" );`,
      `define('LOGGED_IN_SALT',   '${SALT}2');`,
      `define('NONCE_SALT', '${SALT}3');`,
      `define('DB_PASSWORD', '${'hunt3r'}22');`,
      "define('DB_NAME', 'wordpress');",
      "define('WP_DEBUG', false);",
      `$settings['hash_salt'] = '${RANDOM_27}';`,
    ].join('\n');
    expect(generic('wp-config.php', content)).toEqual([
      ['generic-secret', 2, 'AUTH_KEY'],
      ['generic-secret', 3, 'SECURE_AUTH_KEY'],
      ['generic-secret', 4, 'LOGGED_IN_SALT'],
      ['generic-secret', 5, 'NONCE_SALT'],
      ['generic-secret', 6, 'DB_PASSWORD'],
      ['generic-secret', 9, 'hash_salt'],
    ]);
  });

  it('hides define() and XML element values from the LLM as well', () => {
    const text = `define('AUTH_KEY', '${SALT}');\n<password>${'Nx7'}qP2zk9W</password>`;
    const masked = new Masker().mask(text);
    expect(masked).not.toContain(SALT);
    expect(masked).not.toContain(`${'Nx7'}qP2zk9W`);
  });

  it('reads XML elements and appSettings, and keys under any qualifier', () => {
    const content = [
      `<server><id>nexus</id><password>${'Nx7'}qP2zk9W</password></server>`,
      `<add key="StorageAccountKey" value="${RANDOM_24}" />`,
      `private_key: ${RANDOM_24}`,
      `consumer_key: ${RANDOM_27}`,
    ].join('\n');
    expect(generic('conf/settings.xml', content)).toEqual([
      ['generic-secret', 1, 'password'],
      ['generic-secret', 2, 'StorageAccountKey'],
      ['generic-secret', 3, 'private_key'],
      ['generic-secret', 4, 'consumer_key'],
    ]);
  });

  it('finds passwords of any length from 4 characters, with two kinds of characters', () => {
    const content = ['DB_PASS=ab12', `PASSWORD=${'hunt'}er2`, 'PASSWORD=abc', 'PASSWORD=aaaa1111'].join('\n');
    expect(generic('.env', content)).toEqual([
      ['generic-secret', 1, 'DB_PASS'],
      ['generic-secret', 2, 'PASSWORD'],
    ]);
  });
});

describe('false positives of the generic rule', () => {
  it.each([
    ['.github/workflows/ci.yml', 'env:\n  AWS_SECRET_ACCESS_KEY: $AWS_ACCESS_KEY_ID'],
    ['.github/workflows/ci.yml', `env:\n  GH_TOKEN: \${{ secrets.GH_TOKEN }}`],
    ['deploy.bat', 'set PASSWORD=%env:DB_PASSWORD%'],
    ['deploy.ps1', 'password = "$env:DB_PASSWORD"'],
    ['settings.cfg', 'password = os.getenv("DB_PASSWORD")'],
    ['app.py', 'password = os.getenv("DB_PASSWORD")'],
    ['docker-compose.yml', `password: \${DB_PASSWORD}`],
    ['config.yml', `password: \${DB_PASSWORD:-fallback}`],
    ['sitemanager.xml', '<Setting save-password="true" remember-password="1"/>'],
    ['settings.ini', 'save_password = "false"'],
    ['main.tf', 'administrator_login_password = azurerm_sql_server.main.administrator_login_password'],
    ['main.tf', 'password = var.db_password'],
    ['main.tf', 'password = random_password.db1.result'],
    ['main.tf', 'password = data.aws_ssm_parameter.db.value'],
    ['main.tf', 'password = module.db.master_password'],
    ['main.tf', 'password = local.db_password'],
    ['main.tf', `password = "\${random_password.db.result}"`],
    ['values.yaml', 'administrator_login_password: azurerm_mssql_server.db1.administrator_login_password'],
    ['app.config.yml', 'password: config.database.password'],
    ['README.md', 'password: the password of the admin user'],
    ['README.md', 'The password: Admin123 of the admin user is printed on first start.'],
    ['docs/setup.txt', 'token: Bearer7Kx9 and then the id'],
    ['settings.ini', 'password = ""'],
    ['config.yml', "password: ''"],
    ['config.yml', 'password_hash: x8Kq2Lm9Pw4Rt7Vb3Nc'],
    ['config.yml', 'token_url: https://auth.example.com/oauth/token'],
  ])('%s: %s', (path, content) => {
    expect(findSecrets({ path, content }, { now: NOW }).map((m) => m.message)).toEqual([]);
  });

  it('still finds an environment prefix of a command', () => {
    expect(generic('scripts/run.sh', `DB_PASSWORD=${'Xy7kq'}2Pz9 npm start`)).toEqual([
      ['generic-secret', 1, 'DB_PASSWORD'],
    ]);
  });

  it('still finds a value followed by another setting on its line (a libpq string)', () => {
    expect(generic('app.conf', `dsn = host=db password=${'Xy7kq'}2Pz9 dbname=app`)).toEqual([
      ['generic-secret', 1, 'password'],
    ]);
  });
});

describe('confidence', () => {
  const confidenceOf = (path: string, content: string) =>
    findSecrets({ path, content }, { now: NOW }).map((m) => [
      m.credential,
      m.confidence,
      m.evidence.confidence,
    ]);

  it('is in [0, 1], in the match and its evidence, highest for a prefixed token', () => {
    const token = `${'gh'}p_${RANDOM_24}${'Ab3dE5fG7hJ9'}`;
    const [github] = confidenceOf('deploy/.env', `GITHUB_TOKEN=${token}`);
    const [named] = confidenceOf('deploy/.env', `API_SECRET=${RANDOM_24}`);
    const [short] = confidenceOf('deploy/.env', `DB_PASSWORD=${'hunt'}er2`);
    expect(github?.[0]).toBe('github-token');
    expect(github?.[1]).toBeGreaterThanOrEqual(0.95);
    expect(github?.[1]).toBe(github?.[2]);
    expect(named?.[1]).toBeGreaterThan(0.6);
    expect(named?.[1]).toBeLessThan(github?.[1] as number);
    expect(short?.[1]).toBeLessThan(named?.[1] as number);
    for (const value of [github, named, short]) {
      expect(value?.[1]).toBeGreaterThanOrEqual(0);
      expect(value?.[1]).toBeLessThanOrEqual(1);
    }
  });

  it('halves for test fixtures, documentation, example files and lowered matches', () => {
    const content = `API_SECRET=${RANDOM_24}`;
    const [live] = confidenceOf('deploy/.env', content);
    const [fixture] = confidenceOf('test/fixtures/.env', content);
    const [docs] = confidenceOf('docs/setup.md', content);
    const [example] = confidenceOf('deploy/.env.example', content);
    const [placeholder] = confidenceOf('deploy/.env', 'API_SECRET=your-api-secret-here');
    const base = live?.[1] as number;
    for (const lower of [fixture, docs, example]) expect(lower?.[1]).toBeCloseTo(base / 2, 1);
    expect(placeholder?.[1]).toBeLessThan(base / 2);
  });

  it('follows the formula: fixed characters, a secret name, randomness above the floor', () => {
    const input = { name: 0, value: 'aaaa', floor: 0, path: 'a.env', lowered: false };
    expect(secretConfidence({ ...input, fixed: 0 })).toBe(0);
    expect(secretConfidence({ ...input, fixed: 4 })).toBe(0.94);
    expect(secretConfidence({ ...input, fixed: 0, name: 1 })).toBe(0.5);
    expect(secretConfidence({ ...input, fixed: 0, name: 1, value: RANDOM_24 })).toBeGreaterThan(0.7);
  });
});

describe('values the generic rule used to miss or misread', () => {
  const HEX_40 = 'd9e7dd4b57c5e558' + 'b724df99b9cf4505' + 'f7cb4f7d';

  it('takes a 40-digit hex client secret: hex is held to its own alphabet, not to base64 entropy', () => {
    expect(generic('web/.env.local', `GITHUB_CLIENT_SECRET=${HEX_40}\n`)).toEqual([
      ['generic-secret', 1, 'GITHUB_CLIENT_SECRET'],
    ]);
    // A hex value under a name that holds no secret is still nothing.
    expect(generic('web/.env.local', `GIT_COMMIT=${HEX_40}\n`)).toEqual([]);
  });

  it('reads a quoted value that starts with "!" as a value; only an unquoted !Tag is YAML structure', () => {
    const salt = `!dVS})Xc5g=+2x/|%VI[E4{<f~wm${'sI|::~b#vJzq'}`;
    expect(generic('wp-config.php', `define( 'AUTH_SALT', '${salt}' );\n`)).toEqual([
      ['generic-secret', 1, 'AUTH_SALT'],
    ]);
    expect(generic('template.yaml', 'MasterUserPassword: !Ref DbPassword\n')).toEqual([]);
  });

  it('takes a long random value under a bare `key` setting, not under prose or a short label', () => {
    expect(generic('.kaggle/kaggle.json', `{"username":"mk","key":"${HEX_40.slice(0, 32)}"}\n`)).toEqual([
      ['generic-secret', 1, 'key'],
    ]);
    expect(generic('rclone.conf', `[b2]\ntype = b2\nkey = ${RANDOM_27}\n`)).toEqual([
      ['generic-secret', 3, 'key'],
    ]);
    expect(
      generic('backup.agekey', `# public key: age1${RANDOM_27.toLowerCase()}${RANDOM_24.toLowerCase()}\n`),
    ).toEqual([]);
    expect(generic('i18n.json', '{"key": "login.title"}\n')).toEqual([]);
  });

  it("reads make's $$VAR as a reference, and a placeholder password in curl -u as no leak", () => {
    expect(generic('Makefile', '\tPGPASSWORD="$$DB_PASSWORD" psql -h db app\n')).toEqual([]);
    const curl = findSecrets(
      { path: 'docs/api.md', content: 'curl -u "user:password" https://api.example.com\n' },
      { now: NOW },
    );
    expect(curl.map((m) => [m.credential, m.lowered])).toEqual([['curl-basic-auth', 'placeholder']]);
  });

  it('lowers the jwt.io example token to a placeholder', () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${'SflKxwRJSMeKKF2QT4fw'}pMeJf36POk6yJV_adQssw5c`;
    expect(
      findSecrets({ path: 'docs/auth.md', content: `${token}\n` }, { now: NOW }).map((m) => m.lowered),
    ).toEqual(['placeholder']);
  });

  it('finds passwords on command lines and in PowerShell SecureStrings', () => {
    const found = (content: string) =>
      findSecrets({ path: 'ops/run.sh', content }, { now: NOW }).map((m) => m.credential);
    expect(found(`mysql -u root -p'${'Orbit'}-Falcon98?' shop\n`)).toEqual(['cli-password']);
    expect(found('mysql -u root -p shop\n')).toEqual([]);
    expect(found(`$p = ConvertTo-SecureString "${'maple_Orbit'}7694@" -AsPlainText -Force\n`)).toEqual([
      'powershell-secure-string',
    ]);
  });
});

describe('secret columns of SQL dumps', () => {
  it('reports a digest in a column named for a secret or token, not in one named for a checksum', async () => {
    const { findCredentialFiles } = await import('../../../shared/analysis/secrets/files.js');
    const sha1 = '0dc61a8aa99a7678' + '54de5c6ae4acea8c' + 'b573bcb7';
    const dump = (column: string) =>
      `INSERT INTO \`api_clients\` (\`id\`, \`name\`, \`${column}\`) VALUES\n(1, 'mobile-app', '${sha1}');\n`;
    expect(
      findCredentialFiles({ path: 'db/cms.sql', content: dump('secret_sha1') }).map((m) => [m.id, m.line]),
    ).toEqual([['password-hash', 2]]);
    expect(findCredentialFiles({ path: 'db/cms.sql', content: dump('checksum') })).toEqual([]);
  });
});

describe('rc files and password compounds', () => {
  it('reads `password "…"` lines of rc files, and not the user name beside them', () => {
    const rc = `identity "me@example.com"\n  username "me@example.com"\n  password "${'Smtp-Passw0rd'}-7"\n`;
    expect(generic('.esmtprc', rc)).toEqual([['generic-secret', 3, 'password']]);
    expect(generic('.msmtprc', `account default\npassword ${'Xq7-Lm2'}-Zt9\n`)).toEqual([
      ['generic-secret', 2, 'password'],
    ]);
    expect(generic('README.md', 'password required\n')).toEqual([]);
  });

  it('reads $dbpass and userPass as passwords, $bypass and compass as nothing', () => {
    expect(classifySecretName('dbpass')).toEqual({ kind: 'secret', password: true });
    expect(classifySecretName('userPass')).toEqual({ kind: 'secret', password: true });
    expect(classifySecretName('bypass')).toBeUndefined();
    expect(classifySecretName('compass')).toBeUndefined();
    expect(generic('web/config.php', `<?php\n$dbpass = '${'Sh0p-Db'}-P4ss!';\n`)).toEqual([
      ['generic-secret', 2, 'dbpass'],
    ]);
  });
});
