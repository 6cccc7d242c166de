/**
 * The security scanner's credential-file rules (SEC-FILE-*), one per
 * detector of shared/analysis/secrets/files.ts: files that hold credentials
 * by their format (Git credential store, .netrc, .pgpass, .npmrc, Docker
 * config, FileZilla, PuTTY keys, Firefox logins, password hashes). Samples
 * are assembled from parts so that this file does not read as leaky.
 */
import {
  CREDENTIAL_FILES,
  type CredentialFileId,
  credentialFileRuleId,
} from '../../../analysis/secrets/files.js';
import { defineRules, type RuleSample, type RuleSpec } from '../../scan/catalog.js';

export type SecretFileRule = ReturnType<typeof credentialFileRuleId>;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const PASS = `${'Vq8'}-tR4${'!mZ2'}`;
/** A private registry's token (an npm_ token is its own shape's finding, SEC-NPM-TOKEN). */
const REGISTRY_TOKEN = `${'Kq7Zt2Lm4Nw8Rx1Vc9Kp'}${'3Hs6Jd0Fg5Ya2Ue7'}`;
const B64C = './0-9A-Za-z';
const SHA512_CRYPT = `${'$6$'}Xy7Lq2Zk$${'fFDfNtOY3ABpB0aGlRJgp1uUCQVNkkZk3SanWXPmkAsyNlr/'}${'ckfQAqpJ670MFd50pPKs0sa8t6v3KLKX6fKx1.'}`;
const APR1 = `${'$apr1$'}Xy7Lq2Zk$${'umXicAQH1AQ073Ycfo'}OV0.`;
const BCRYPT = `${'$2y$10$'}${'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p'}${'92ldGxad68LJZdL17lhWy'}`;
const MD5_HEX = `${'5f4dcc3b5aa7'}${'65d61d8327deb882cf99'}`;
const PPK_MATERIAL = `${'AAAAIHq7BFUpkGp3LQmlQYx2'}${'eqzDVxeG8kxsQFV18S5JhzGe'}`;
const FF_BLOB = `${'MDoEEPgAAAAAAAAAAAAAAAAAAAEw'}${'FAYIKoZIhvcNAwcECOb8qIl2bnFtBBBjwUWtsXM'}`;

interface FileRuleText {
  description: string;
  remediation: string;
  bad: RuleSample[];
  good: RuleSample[];
  docs?: string;
}

const ROTATE =
  'Revoke or change the credential (it is in the history of every clone) and remove the file from the repository; ';

const TEXT: Record<CredentialFileId, FileRuleText> = {
  'git-credentials': {
    description:
      "Git's credential store (`git config credential.helper store`) keeps every password or token in plain text, one `https://user:password@host` per line.",
    remediation: `${ROTATE}use a credential helper backed by the OS keychain (osxkeychain, libsecret, manager) and add .git-credentials to .gitignore.`,
    bad: [{ path: 'home/dev/.git-credentials', content: `https://dev:${PASS}@github.com\n`, line: 1 }],
    good: [
      {
        path: 'home/dev/.git-credentials',
        content: 'https://dev@github.com\n',
        why: 'no password in the URL',
      },
    ],
  },
  netrc: {
    description:
      'A .netrc / _netrc file (curl, ftp, git over HTTPS, pip, Heroku) holds `machine … login … password …` in plain text.',
    remediation: `${ROTATE}pass the credential from the CI secret store at run time (e.g. write .netrc in the job from a secret variable).`,
    bad: [
      {
        path: 'home/dev/.netrc',
        content: `machine api.heroku.com\n  login dev@example.org\n  password ${PASS}\n`,
        line: 3,
      },
      {
        path: 'ci/setup.sh',
        content: `echo "machine github.com login bot password ${PASS}" > ~/.netrc\n`,
        line: 1,
      },
    ],
    good: [
      {
        path: 'ci/setup.sh',
        content: 'echo "machine github.com login bot password $GH_TOKEN" > ~/.netrc\n',
        why: 'the password is a variable',
      },
    ],
  },
  pgpass: {
    description:
      'A PostgreSQL password file (.pgpass, pgpass.conf): `host:port:database:user:password` per line, in plain text.',
    remediation: `${ROTATE}use PGPASSWORD from a secret store at run time, IAM/Kerberos/certificate authentication, or a .pgpass created outside the repository.`,
    bad: [
      { path: 'home/dev/.pgpass', content: `db.prod.internal:5432:orders:orders_app:${PASS}\n`, line: 1 },
    ],
    good: [
      {
        path: 'home/dev/.pgpass',
        content: '# host:port:database:user:password\nlocalhost:5432:*:postgres:\n',
        why: 'no password',
      },
    ],
  },
  npmrc: {
    description:
      'An .npmrc with `_authToken`, `_auth` (base64 of user:password) or `_password` for a registry (or .yarnrc.yml `npmAuthToken`): publish and read rights on the packages.',
    remediation: `${ROTATE}reference an environment variable instead (\`//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\`).`,
    bad: [
      {
        path: 'web/.npmrc',
        content: `registry=https://npm.internal.example/\n//npm.internal.example/:_authToken=${REGISTRY_TOKEN}\n`,
        line: 2,
      },
      { path: 'web/.npmrc', content: `_auth=${b64(`ci:${PASS}`)}\nalways-auth=true\n`, line: 1 },
    ],
    good: [
      {
        path: 'web/.npmrc',
        content: `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`,
        why: 'the token is read from the environment',
      },
    ],
  },
  'docker-auth': {
    description:
      'Docker\'s config.json / .dockercfg (or a Kubernetes .dockerconfigjson) with `"auth"`: base64 of `user:password`, decoded and checked; or an `identitytoken`.',
    remediation: `${ROTATE}use a credential helper (credsStore / credHelpers: ecr-login, gcloud, desktop) and keep registry secrets out of the repository.`,
    bad: [
      {
        path: 'home/dev/.docker/config.json',
        content: `{\n  "auths": {\n    "https://index.docker.io/v1/": {\n      "auth": "${b64(`dev:${PASS}`)}"\n    }\n  }\n}\n`,
        line: 4,
      },
    ],
    good: [
      {
        path: 'home/dev/.docker/config.json',
        content:
          '{\n  "auths": { "123456789012.dkr.ecr.eu-west-1.amazonaws.com": {} },\n  "credsStore": "ecr-login"\n}\n',
        why: 'a credential helper holds the credential',
      },
    ],
  },
  filezilla: {
    description:
      "FileZilla's sitemanager.xml / recentservers.xml keep saved server passwords as `<Pass>`, often only base64-encoded.",
    remediation: `${ROTATE}set a FileZilla master password (or do not save passwords) and keep the profile folder out of repositories and backups you share.`,
    bad: [
      {
        path: 'AppData/Roaming/FileZilla/sitemanager.xml',
        content: `<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3>\n  <Servers>\n    <Server>\n      <Host>ftp.example.org</Host>\n      <User>web</User>\n      <Pass encoding="base64">${b64(PASS)}</Pass>\n    </Server>\n  </Servers>\n</FileZilla3>\n`,
        line: 7,
      },
    ],
    good: [
      {
        path: 'AppData/Roaming/FileZilla/sitemanager.xml',
        content:
          '<?xml version="1.0"?>\n<FileZilla3>\n  <Servers>\n    <Server>\n      <Host>ftp.example.org</Host>\n      <Logontype>2</Logontype>\n    </Server>\n  </Servers>\n</FileZilla3>\n',
        why: 'logon type "ask for password": nothing saved',
      },
    ],
  },
  'putty-key': {
    description:
      'A PuTTY private key (.ppk, PuTTY-User-Key-File-2/3) with its Private-Lines; critical when `Encryption: none`, high when passphrase-protected (the passphrase can be brute-forced offline).',
    remediation: `${ROTATE}remove the public key from every authorized_keys it is in, generate a new key pair and keep private keys in an agent (Pageant) or a secret store.`,
    bad: [
      {
        path: 'ops/keys/deploy.ppk',
        content: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIH\nAAAA\nPrivate-Lines: 1\n${PPK_MATERIAL}\nPrivate-MAC: 0a1b2c\n`,
        line: 1,
      },
    ],
    good: [
      {
        path: 'ops/keys/deploy.pub',
        content: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH deploy\n',
        why: 'a public key',
      },
    ],
  },
  'browser-logins': {
    description:
      "Firefox's logins.json: saved sites with encryptedUsername / encryptedPassword; with key4.db from the same profile (no primary password by default) they decrypt.",
    remediation: `${ROTATE}change every password saved in the profile and keep browser profiles out of repositories and shared backups.`,
    bad: [
      {
        path: 'profile/logins.json',
        content: `{"nextId":2,"logins":[{"id":1,"hostname":"https://intranet.example.org","encryptedUsername":"${FF_BLOB}","encryptedPassword":"${FF_BLOB}","timesUsed":3}]}\n`,
        line: 1,
      },
    ],
    good: [
      {
        path: 'profile/logins.json',
        content: '{"nextId":1,"logins":[],"version":3}\n',
        why: 'no saved login',
      },
    ],
  },
  'password-hash': {
    description:
      'Password hashes: /etc/shadow and htpasswd lines, crypt / bcrypt / Argon2 / phpass / Django / LDAP {SSHA} strings anywhere, and MD5/SHA hex digests or plain-text passwords in the password column of an SQL dump (INSERT or COPY). Hashes are cracked offline; unsalted digests in seconds.',
    remediation: `${ROTATE}force a password reset for the accounts, and keep dumps out of the repository (anonymise seed data: fixed test hashes of known test passwords, generated at seed time).`,
    bad: [
      {
        path: 'backup/etc/shadow',
        content: `root:${SHA512_CRYPT}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n`,
        line: 1,
      },
      { path: 'web/.htpasswd', content: `admin:${APR1}\n`, line: 1 },
      {
        path: 'backup/users.sql',
        content: `INSERT INTO \`users\` (\`id\`, \`email\`, \`password\`) VALUES (1, 'a@example.org', '${MD5_HEX}'), (2, 'b@example.org', '${BCRYPT}');\n`,
        line: 1,
      },
    ],
    good: [
      {
        path: 'backup/etc/shadow',
        content: 'root:*:19700:0:99999:7:::\nsvc:!:19700::::::\n',
        why: 'locked accounts, no hash',
      },
      {
        path: 'backup/posts.sql',
        content: `INSERT INTO posts (id, title, checksum) VALUES (1, 'Hello', '${MD5_HEX}');\n`,
        why: 'a digest in a column that is not a password',
      },
      {
        path: 'docs/hashing.md',
        content: `Hashes look like ${'$'}2b${'$'}12${'$'}<salt><hash> (${B64C}).\n`,
        why: 'an incomplete format',
      },
    ],
  },
  'key-file': {
    description:
      'A file whose whole content is one key, known by its name: Rails `config/master.key` and `config/credentials/<env>.key` (they decrypt the encrypted credentials), an Ansible vault password file (`.vault_pass`), a Vault token file (`.vault-token`).',
    remediation: `${ROTATE}keep the key out of the repository (Rails adds master.key to .gitignore; pass it as RAILS_MASTER_KEY from the deployment's secret store).`,
    bad: [
      { path: 'app/config/master.key', content: `${'b952337b2926ca64'}${'e68730d4f1ab4dbd'}\n`, line: 1 },
    ],
    good: [
      {
        path: 'app/config/credentials.yml.enc',
        content: `${'dGhpcyBpcyBlbmNyeXB0ZWQ'}--${'Zm9vYmFy'}--${'YmF6cXV4'}==\n`,
        why: 'the encrypted credentials are meant to be committed; only the key is secret',
      },
      { path: 'app/config/master.key', content: 'changeme\n', why: 'a placeholder, not a key' },
    ],
  },
};

function fileRule(id: CredentialFileId): RuleSpec<SecretFileRule> {
  const kind = CREDENTIAL_FILES.find((k) => k.id === id);
  if (kind === undefined) throw new Error(`no credential file ${id}`);
  const text = TEXT[id];
  return {
    id: credentialFileRuleId(id),
    severity: kind.severity,
    category: 'secrets',
    title: kind.title,
    description: `${text.description} Placeholders and files under test fixtures are reported at a lower severity; the value is always masked.`,
    remediation: text.remediation,
    cwe: [kind.cwe],
    samples: { bad: text.bad, good: text.good },
  };
}

export const SECRET_FILE_RULES = defineRules<SecretFileRule>(
  'security-scanner',
  CREDENTIAL_FILES.map((kind) => fileRule(kind.id)),
);
