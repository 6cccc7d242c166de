/**
 * Issue #16, credential files (shared/analysis/secrets/files.ts and the
 * SEC-FILE-* rules): each detector on a leaky file and on its near miss, one
 * finding per line with the generic rule, masking (no raw value anywhere in
 * the result), linear time, and the CLI reading a home directory's
 * dot-folders while skipping `.git`. Every credential is assembled from parts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import type { SecurityOutput } from '../../../shared/agents/security-scanner/schema.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { findCredentialFiles } from '../../../shared/analysis/secrets/files.js';
import { hashType } from '../../../shared/analysis/secrets/hashes.js';
import { aiops } from '../../helpers/cli.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const b64 = (text: string) => Buffer.from(text).toString('base64');

const PASS = `${'Qm7'}-vK2${'!pZ9'}x`;
const PASS2 = `${'Lr4'}#wQ8${'tY2'}n`;
const NPM_TOKEN = `${'npm_'}${'Kq7Zt2Lm4Nw8Rx1Vc9Kp'}${'3Hs6Jd0Fg5Ya2Ue7'}`;
const SHA512_CRYPT = `${'$6$'}Xy7Lq2Zk$${'fFDfNtOY3ABpB0aGlRJgp1uUCQVNkkZk3SanWXPmkAsyNlr/'}${'ckfQAqpJ670MFd50pPKs0sa8t6v3KLKX6fKx1.'}`;
const SHA256_CRYPT = `${'$5$'}Xy7Lq2Zk$${'XzSBehg9o8X7wmyDCLRHJUc4Ob'}${'t2FGZQPro1HWyTxY.'}`;
const MD5_CRYPT = `${'$1$'}Xy7Lq2Zk$${'bR6GLBRqpdnyfBfq'}t6xvK/`;
const APR1 = `${'$apr1$'}Xy7Lq2Zk$${'umXicAQH1AQ073Ycfo'}OV0.`;
const BCRYPT = `${'$2y$10$'}${'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p'}${'92ldGxad68LJZdL17lhWy'}`;
const YESCRYPT = `${'$y$'}j9T$${'PaMVkHbRX8ZfZkGbSRPWc.'}$${'pjB5gEVT4bN0h9Ab8yZKQn7xWbE4eVmsWn.kKL2F1UA'}`;
const SSHA = `{${'SHA'}}${'W6ph5Mm5Pz8GgiULbPgzG37mj9g='}`;
const MD5_HEX = `${'5f4dcc3b5aa7'}${'65d61d8327deb882cf99'}`;
const SHA1_HEX = `${'5baa61e4c9b93f3f'}${'0682250b6cf8331b7ee68fd8'}`;
const DJANGO = `${'pbkdf2_sha256$'}600000$${'Xk2j9Lq0aZ'}$${'aGVsbG8gd29ybGQgdGhpcyBpcyBhIHRlc3QgaGFzaA0='}`;
const PPK_MATERIAL = `${'AAAAIHq7BFUpkGp3LQmlQYx2'}${'eqzDVxeG8kxsQFV18S5JhzGe'}`;
const FF_BLOB = `${'MDoEEPgAAAAAAAAAAAAAAAAAAAEw'}${'FAYIKoZIhvcNAwcECOb8qIl2bnFtBBBjwUWtsXM'}`;

function ppk(encryption: string): string {
  return [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    `Encryption: ${encryption}`,
    'Comment: deploy',
    'Public-Lines: 2',
    'AAAAC3NzaC1lZDI1NTE5AAAAIH',
    'AAAA',
    'Private-Lines: 1',
    PPK_MATERIAL,
    'Private-MAC: 0a1b2c',
    '',
  ].join('\n');
}

function found(path: string, content: string) {
  return findCredentialFiles({ path, content }).map((m) => [m.id, m.line, m.severity]);
}

describe('credential files, bad and good', () => {
  it.each([
    [
      'git-credentials',
      'home/.git-credentials',
      `https://dev:${PASS}@github.com\nhttps://ci@gitlab.example.org\nhttps://x-token:${PASS2}@git.example.org\n`,
      [
        ['git-credentials', 1, 'critical'],
        ['git-credentials', 3, 'critical'],
      ],
    ],
    [
      'netrc',
      'home/.netrc',
      `machine api.heroku.com\n  login dev@example.org\n  password ${PASS}\nmacdef init\npassword notreal1\n\ndefault login anonymous password ${PASS2}\n`,
      [
        ['netrc', 3, 'critical'],
        ['netrc', 7, 'critical'],
      ],
    ],
    [
      'netrc in a script',
      'ci/setup.sh',
      `echo "machine github.com login bot password ${PASS}" > ~/.netrc`,
      [['netrc', 1, 'critical']],
    ],
    [
      'pgpass',
      'home/.pgpass',
      `# host:port:db:user:password\ndb.prod:5432:orders:app:${PASS}\nlocalhost:*:*:postgres:\nreplica:5432:*:ro:pa\\:${PASS2}\n`,
      [
        ['pgpass', 2, 'high'],
        ['pgpass', 4, 'high'],
      ],
    ],
    [
      'npmrc',
      'web/.npmrc',
      `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n_auth=${b64(`ci:${PASS}`)}\n//npm.pkg.github.com/:_authToken=\${GITHUB_TOKEN}\n`,
      [
        ['npmrc', 2, 'critical'],
        ['npmrc', 3, 'critical'],
      ],
    ],
    ['yarnrc', 'web/.yarnrc.yml', `npmAuthToken: "${NPM_TOKEN}"\n`, [['npmrc', 1, 'critical']]],
    [
      'docker config.json',
      'home/.docker/config.json',
      JSON.stringify(
        {
          auths: {
            'https://index.docker.io/v1/': { auth: b64(`dev:${PASS}`) },
            'ghcr.io': { auth: b64('nopass') },
          },
        },
        null,
        2,
      ),
      [['docker-auth', 4, 'critical']],
    ],
    [
      'dockercfg',
      'home/.dockercfg',
      `{"registry.example.org":{"auth":"${b64(`dev:${PASS}`)}","email":"dev@example.org"}}`,
      [['docker-auth', 1, 'critical']],
    ],
    [
      'dockerconfigjson',
      'k8s/pull-secret.yaml',
      `kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'r.example.org': { auth: b64(`u:${PASS}`) } } }))}\n`,
      [['docker-auth', 4, 'critical']],
    ],
    [
      'filezilla',
      'AppData/FileZilla/sitemanager.xml',
      `<?xml version="1.0"?>\n<FileZilla3>\n<Servers>\n<Server><Host>ftp.example.org</Host><User>web</User>\n<Pass encoding="base64">${b64(PASS)}</Pass>\n</Server>\n<Server><Pass>${PASS2}</Pass></Server>\n</Servers>\n</FileZilla3>\n`,
      [
        ['filezilla', 5, 'high'],
        ['filezilla', 7, 'high'],
      ],
    ],
    ['putty unencrypted', 'ops/deploy.ppk', ppk('none'), [['putty-key', 1, 'critical']]],
    ['putty encrypted', 'ops/deploy.ppk', ppk('aes256-cbc'), [['putty-key', 1, 'high']]],
    [
      'firefox logins',
      'profile/logins.json',
      `{"nextId":3,"logins":[{"id":1,"hostname":"https://a.example.org","encryptedUsername":"${FF_BLOB}","encryptedPassword":"${FF_BLOB}"},\n{"id":2,"hostname":"https://b.example.org","encryptedPassword":"${FF_BLOB}"}]}`,
      [
        ['browser-logins', 1, 'high'],
        ['browser-logins', 2, 'high'],
      ],
    ],
    [
      'shadow',
      'backup/etc/shadow',
      `root:${SHA512_CRYPT}:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\nops:${SHA256_CRYPT}:19700::::::\nold:${MD5_CRYPT}:19700::::::\nnew:${YESCRYPT}:19700::::::\nlocked:!${SHA512_CRYPT}:19700::::::\n`,
      [
        ['password-hash', 1, 'high'],
        ['password-hash', 3, 'high'],
        ['password-hash', 4, 'high'],
        ['password-hash', 5, 'high'],
        ['password-hash', 6, 'high'],
      ],
    ],
    [
      'htpasswd',
      'web/.htpasswd',
      `admin:${APR1}\nops:${SSHA}\napi:${BCRYPT}\n`,
      [
        ['password-hash', 1, 'high'],
        ['password-hash', 2, 'high'],
        ['password-hash', 3, 'high'],
      ],
    ],
    [
      'mysqldump',
      'backup/shop.sql',
      [
        'CREATE TABLE `users` (',
        '  `id` int NOT NULL,',
        '  `email` varchar(255) DEFAULT NULL,',
        '  `password` varchar(255) DEFAULT NULL,',
        '  `password_changed_at` datetime,',
        '  PRIMARY KEY (`id`)',
        ');',
        `INSERT INTO \`users\` VALUES (1,'a@example.org','${MD5_HEX}',NULL),(2,'it''s@example.org','${SHA1_HEX}',NULL);`,
        `INSERT INTO users (id, email, password) VALUES (3, 'c@example.org', '${BCRYPT}');`,
        `INSERT INTO posts (id, checksum) VALUES (1, '${MD5_HEX}');`,
        `INSERT INTO accounts (id, user_pass) VALUES (1, '${PASS}');`,
        "INSERT INTO accounts (id, user_pass) VALUES (2, '');",
      ].join('\n'),
      [
        ['password-hash', 8, 'high'],
        ['password-hash', 9, 'high'],
        ['password-hash', 11, 'critical'],
      ],
    ],
    [
      'pg_dump',
      'backup/app.sql',
      `COPY public.auth_user (id, password, username) FROM stdin;\n1\t${DJANGO}\tadmin\n2\t${MD5_HEX}\tbob\n3\t\\N\tcarol\n\\.\nCOPY public.events (id, hash) FROM stdin;\n1\tnot-a-hash\n\\.\n`,
      [
        ['password-hash', 2, 'high'],
        ['password-hash', 3, 'high'],
      ],
    ],
  ])('%s', (_name, path, content, expected) => {
    expect(found(path, content)).toEqual(expected);
  });

  it.each([
    ['a URL without a password', 'home/.git-credentials', 'https://dev@github.com\n'],
    [
      'a password URL in another file',
      'README.md',
      `Clone https://dev:${PASS}@example.org (not a credential store)`,
    ],
    [
      'a .netrc with a variable',
      'ci/setup.sh',
      'echo "machine github.com login bot password $GH_TOKEN" > ~/.netrc',
    ],
    ['an empty .pgpass password', 'home/.pgpass', 'localhost:5432:*:postgres:\n'],
    ['an .npmrc reading the environment', 'web/.npmrc', `//registry.npmjs.org/:_authToken=\${NPM_TOKEN}\n`],
    ['an .npmrc without auth', 'web/.npmrc', 'registry=https://registry.npmjs.org/\nsave-exact=true\n'],
    [
      'a Docker config with a helper',
      'home/.docker/config.json',
      '{"auths":{"ghcr.io":{}},"credsStore":"desktop"}',
    ],
    [
      'a Docker auth without a password',
      'home/.docker/config.json',
      `{"auths":{"r":{"auth":"${b64('user')}"}}}`,
    ],
    [
      'FileZilla asking for the password',
      'sitemanager.xml',
      '<FileZilla3><Server><Logontype>2</Logontype></Server></FileZilla3>',
    ],
    ['a PuTTY public key', 'ops/deploy.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH deploy'],
    [
      'a PuTTY header without key material',
      'docs/ppk.txt',
      'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nPrivate-Lines: 1\n…\n',
    ],
    ['an empty logins.json', 'profile/logins.json', '{"nextId":1,"logins":[]}'],
    ['locked shadow entries', 'etc/shadow', 'root:*:19700:0:99999:7:::\nsvc:!!:19700::::::\n'],
    ['a passwd file', 'etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n'],
    ['an incomplete bcrypt', 'docs/hashing.md', `Format: ${'$'}2b${'$'}12${'$'}salt-and-hash`],
    [
      'a digest outside a password column',
      'backup/posts.sql',
      `INSERT INTO posts (id, etag) VALUES (1, '${MD5_HEX}');`,
    ],
    ['a hash column with words', 'backup/t.sql', "INSERT INTO t (id, password) VALUES (1, 'disabled');"],
  ])('nothing for %s', (_name, path, content) => {
    expect(found(path, content)).toEqual([]);
  });

  it('names the hash formats', () => {
    expect(
      [SHA512_CRYPT, SHA256_CRYPT, MD5_CRYPT, APR1, BCRYPT, YESCRYPT, SSHA, DJANGO].map((h) => hashType(h)),
    ).toEqual([
      'sha512-crypt',
      'sha256-crypt',
      'md5-crypt',
      'apr1',
      'bcrypt',
      'yescrypt',
      'ldap',
      'django-pbkdf2',
    ]);
    expect([hashType(MD5_HEX), hashType(MD5_HEX, true), hashType(SHA1_HEX, true)]).toEqual([
      undefined,
      'md5',
      'sha1',
    ]);
  });

  it('reports a placeholder at info and test material at low', () => {
    const placeholder = findCredentialFiles({ path: 'home/.pgpass', content: 'db:5432:*:app:changeme\n' });
    const fixture = findCredentialFiles({
      path: 'test/fixtures/.netrc',
      content: `machine h login u password ${PASS}`,
    });
    expect(placeholder.map((m) => [m.severity, m.lowered])).toEqual([['info', 'placeholder']]);
    expect(fixture.map((m) => [m.severity, m.lowered])).toEqual([['low', 'test-fixture']]);
    expect(fixture[0]?.confidence).toBeLessThan(0.6);
  });
});

describe('in the scanner', () => {
  async function scan(files: { path: string; content: string }[]) {
    return analyzeSecurity(securityInputSchema.parse({ files }), { traceId: 'test', now: NOW });
  }

  it('reports one finding per line (the file rule over the generic one) and never a raw value', async () => {
    const files = [
      {
        path: 'web/.npmrc',
        content: `//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n_password=${b64(PASS)}\n`,
      },
      {
        path: 'profile/logins.json',
        content: `{"logins":[{"encryptedUsername":"${FF_BLOB}","encryptedPassword":"${FF_BLOB}"}]}`,
      },
      {
        path: 'AppData/FileZilla/recentservers.xml',
        content: `<FileZilla3><Pass>${PASS2}</Pass></FileZilla3>`,
      },
      { path: 'home/.docker/config.json', content: `{"auths":{"r":{"auth":"${b64(`u:${PASS}`)}"}}}` },
      { path: 'seed/users.sql', content: `INSERT INTO users (id, password) VALUES (1, '${BCRYPT}');` },
      { path: 'ops/deploy.ppk', content: ppk('none') },
    ];
    const result = await scan(files);
    expect(result.findings.map((f) => [f.ruleId, f.resource?.file, f.resource?.line])).toEqual(
      expect.arrayContaining([
        ['SEC-NPM-TOKEN', 'web/.npmrc', 1], // the token's own shape wins over the file's format
        ['SEC-FILE-NPMRC', 'web/.npmrc', 2],
        ['SEC-FILE-BROWSER-LOGINS', 'profile/logins.json', 1],
        ['SEC-FILE-FILEZILLA', 'AppData/FileZilla/recentservers.xml', 1],
        ['SEC-FILE-DOCKER-AUTH', 'home/.docker/config.json', 1],
        ['SEC-FILE-PASSWORD-HASH', 'seed/users.sql', 1],
        ['SEC-FILE-PUTTY-KEY', 'ops/deploy.ppk', 1],
      ]),
    );
    const places = result.findings.map((f) => `${f.resource?.file}:${f.resource?.line}`);
    expect(new Set(places).size).toBe(places.length);
    const text = JSON.stringify(result);
    for (const raw of [NPM_TOKEN, PASS, PASS2, b64(PASS), FF_BLOB, BCRYPT, PPK_MATERIAL]) {
      expect(text).not.toContain(raw);
      expect(text).not.toContain(raw.slice(4));
    }
    for (const finding of result.findings) {
      const confidence = (finding.evidence as { confidence: number }).confidence;
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('time', () => {
  /** Milliseconds for the detectors over `unit` repeated to `bytes` (the better of two runs). */
  function time(path: string, unit: string, bytes: number): number {
    const content = unit.repeat(Math.ceil(bytes / unit.length));
    // The better of two runs: the machine is shared.
    return Math.min(
      ...[0, 1].map(() => {
        const start = performance.now();
        findCredentialFiles({ path, content });
        return performance.now() - start;
      }),
    );
  }

  it.each([
    ['backup/dump.sql', `INSERT INTO users (id, password) VALUES (1, '${MD5_HEX}'), (2, 'it''s \\' x `],
    ['home/.netrc', 'machine h login u password macdef '],
    ['etc/shadow', `root:${'$6$'}abc$${'a'.repeat(80)} `],
    ['home/.pgpass', `a:b:c:d:${'\\'.repeat(40)}:`],
    ['home/.docker/config.json', `"auths" "auth": "${'QUJD'.repeat(30)}`],
    ['sitemanager.xml', '<Pass encoding="base64">QUJD'],
    ['ops/k.ppk', 'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n'],
  ])('%s grows linearly (16× the input in under 128× the time; quadratic is 256×)', (path, unit) => {
    time(path, unit, 64 * 1024); // warm-up
    const small = time(path, unit, 128 * 1024);
    const large = time(path, unit, 2 * 1024 * 1024);
    // Wide both ways: garbage collection weighs more per byte on the large input, and a shared machine
    // slows one side more than the other (8× the input measured up to 27× in a CI run).
    expect(large).toBeLessThan(Math.max(small, 5) * 128);
  });
});

describe('aiops analyze security-scanner on a home directory', () => {
  let home: string;

  async function put(path: string, content: string): Promise<void> {
    await mkdir(dirname(join(home, path)), { recursive: true });
    await writeFile(join(home, path), content);
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'aiops-home-'));
    const keyBody = Array.from({ length: 4 }, (_, i) => `${'b3BlbnNzaC1rZXktdjEAAAAA'}${PPK_MATERIAL}${i}`);
    await put(
      '.ssh/id_rsa',
      ['-----BEGIN OPENSSH PRIVATE KEY-----', ...keyBody, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n'),
    );
    await put('.docker/config.json', `{"auths":{"r.example.org":{"auth":"${b64(`u:${PASS}`)}"}}}`);
    await put('.git-credentials', `https://dev:${PASS}@github.com\n`);
    await put('.netrc', `machine example.org login dev password ${PASS2}\n`);
    await put(
      '.config/filezilla/sitemanager.xml',
      `<FileZilla3><Pass encoding="base64">${b64(PASS2)}</Pass></FileZilla3>\n`,
    );
    await put('.git/config', `[remote "origin"]\n\turl = https://dev:${PASS}@github.com/org/repo\n`);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('reads the dot-folders, finds each credential file, and lists .git as skipped', async () => {
    const { code, stdout, stderr } = await aiops(
      ['analyze', 'security-scanner', '.', '--format', 'json'],
      {},
      { cwd: home },
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as SecurityOutput;
    expect(new Set(result.findings.map((f) => `${f.ruleId} ${f.resource?.file}`))).toEqual(
      new Set([
        'SEC-PRIVATE-KEY .ssh/id_rsa',
        'SEC-FILE-DOCKER-AUTH .docker/config.json',
        'SEC-FILE-GIT-CREDENTIALS .git-credentials',
        'SEC-FILE-NETRC .netrc',
        'SEC-FILE-FILEZILLA .config/filezilla/sitemanager.xml',
      ]),
    );
    expect(result.skipped).toEqual([{ path: '.git/', reason: expect.stringMatching(/version control/) }]);
    expect(stderr).toContain('skipped .git/: ');
    expect(stdout).not.toContain(PASS);
    expect(stdout).not.toContain(PASS2);
  }, 60_000);
});
