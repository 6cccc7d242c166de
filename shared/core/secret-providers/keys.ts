/**
 * Credential rows that are not one vendor's token: key files beyond PEM
 * blocks (age, PuTTY), connection strings (ADO.NET, ODBC, JDBC) with their
 * password, and credentials in HTTP requests (an Authorization header, curl
 * -u). The header row is a fallback: a vendor token inside it is reported
 * as that vendor's kind.
 */
import { BASE64, type CredentialRow, fake } from '../secret-kind.js';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

export const KEY_CREDENTIALS = [
  {
    id: 'age-secret-key',
    title: 'age secret key',
    severity: 'critical',
    description:
      'An age encryption secret key (AGE-SECRET-KEY-1…): decrypts every file encrypted to its recipient (sops files included).',
    pattern: /(?<![A-Z0-9-])(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Z0-9])/g,
    group: 1,
    keywords: ['age-secret-key-1'],
    reported: true,
    samples: {
      secrets: [`# created: 2026-01-01\n${'AGE-SECRET'}-KEY-1${fake(58, BECH32, 301).toUpperCase()}`],
      notSecrets: [`${'AGE-SECRET'}-KEY-1SHORT`, `# public key: age1${fake(58, BECH32, 301)}`],
    },
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key',
    severity: 'critical',
    description:
      'A PuTTY private key file (PuTTY-User-Key-File-2/3 with its Private-Lines): logs in wherever its public key is authorised.',
    pattern:
      /PuTTY-User-Key-File-[23]:[^\n]{1,100}\n(?:[^\n]{0,300}\n){0,60}?Private-Lines:[ \t]{0,3}\d{1,3}\r?\n((?:[A-Za-z0-9+/=]{1,128}\r?\n){0,99}[A-Za-z0-9+/=]{1,128})/g,
    group: 1,
    keywords: ['putty-user-key-file-'],
    entropy: 3.5,
    // The security scanner reports PuTTY keys by their format (SEC-FILE-PUTTY-KEY, which reads Encryption:);
    // the row stays for the log redaction and the LLM masking.
    reported: false,
    samples: {
      secrets: [
        `${'PuTTY-User-Key'}-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${fake(64, BASE64, 302)}\n${fake(4, BASE64, 302)}\n${'Private'}-Lines: 1\n${fake(64, BASE64, 303)}\nPrivate-MAC: ${fake(64, '0123456789abcdef', 303)}\n`,
      ],
      notSecrets: [`${'PuTTY-User-Key'}-File-3: ssh-ed25519\nPublic-Lines: 2\n${fake(64, BASE64, 302)}\n`],
    },
  },
  {
    id: 'connection-string-password',
    title: 'Password in a connection string',
    severity: 'high',
    description:
      'A password in an ADO.NET, ODBC or JDBC connection string (Server=…;User Id=…;Password=…, jdbc:sqlserver://…;password=…): connects to the database as that user.',
    pattern:
      /(?:(?:server|data source|host|address|addr|uid|user id|userid|user|username|driver|dsn)[ \t]{0,3}=|jdbc:)[^\n]{0,300}?[;?&][ \t]{0,3}(?:password|pwd)[ \t]{0,3}=[ \t]{0,3}([^;&\s'"…]{3,200})/gi,
    group: 1,
    keywords: ['password', 'pwd'],
    reported: true,
    samples: {
      secrets: [
        `"Default": "Server=tcp:sql-prod.database.windows.net,1433;User ID=app;${'Password'}=${'Qx7!'}vR2-mK9p;Encrypt=True"`,
        `Driver={ODBC Driver 18};Server=db01;UID=report;${'PWD'}=${'h4Rd'}-2-gu3ss;`,
        `jdbc:sqlserver://db:1433;user=app;${'password'}=${'Pa55'}w0rd-9`,
      ],
      notSecrets: [
        'Server=db01;Database=orders;Integrated Security=true;',
        'Password=; Server=db01',
        `jdbc:postgresql://db:5432/orders?sslmode=require`,
      ],
    },
  },
  {
    id: 'cli-password',
    title: 'Password on a command line',
    severity: 'high',
    description:
      'A password given to a database or remote-login client on its command line (mysql/mysqldump/mariadb/mongosh -p…, --password=…, sshpass -p), as shell history and scripts keep it: logs in as that user.',
    pattern:
      /(?:\b(?:mysql(?:dump|admin|import|sh)?|mariadb(?:-dump)?|mongo(?:sh|dump|restore)?)\b[^\n]{0,200}?[ \t](?:-p|--password=)|\bsshpass[ \t]+-p[ \t]*)(['"]?)([^\s'"$;|&<>`-][^\s'";|&<>`]{3,127})\1(?![^\s;|&<>])/g,
    group: 2,
    keywords: ['mysql', 'mariadb', 'sshpass', 'mongo'],
    entropy: 2.5,
    reported: true,
    samples: {
      secrets: [
        `mysql -u root -p'${'Orbit'}-Falcon98?' shop < dump.sql`,
        `sshpass -p ${'Zq8Tb2'}Lm4Nw ssh deploy@bastion`,
      ],
      notSecrets: ['mysql -u root -p shop < dump.sql', 'mysqldump -u app -p"$DB_PASSWORD" app > app.sql'],
    },
  },
  {
    id: 'powershell-secure-string',
    title: 'Password in a PowerShell SecureString',
    severity: 'high',
    description:
      'A plain-text password turned into a SecureString in a script (ConvertTo-SecureString "…" -AsPlainText): the script holds the password in clear.',
    pattern:
      /ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?(["'])([^"'\n$`]{4,200})\1[^\n]{0,40}?-AsPlainText/gi,
    group: 2,
    keywords: ['convertto-securestring'],
    entropy: 2.5,
    reported: true,
    samples: {
      secrets: [`$p = ConvertTo-SecureString "${'maple_Orbit'}7694@" -AsPlainText -Force`],
      notSecrets: [
        '$p = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force',
        '$p = Read-Host -AsSecureString',
      ],
    },
  },
  {
    id: 'curl-basic-auth',
    title: 'Password in a curl command',
    severity: 'high',
    description: 'A user:password pair passed to curl (-u / --user): logs in to the service as that user.',
    pattern:
      /\bcurl\b[^\n]{0,300}?[ \t](?:-u|--user)(?:[ \t]{1,3}|=)["']?([^\s:'"$]{1,100}:[^\s'"$]{3,200})/g,
    group: 1,
    keywords: ['curl'],
    entropy: 2.5,
    reported: true,
    samples: {
      secrets: [`curl -sS -u deploy:${'Zq8'}Tb2Lm4Nw https://ci.example.com/api`],
      notSecrets: [
        'curl -u "$CI_USER:$CI_PASSWORD" https://ci.example.com/api',
        'curl -u deploy https://a.example.com',
      ],
    },
  },
  {
    id: 'http-authorization-header',
    title: 'Credential in an Authorization header',
    severity: 'high',
    description:
      'A bearer, basic or token credential written into an Authorization header (code, scripts, HTTP files, logs): the API access of whoever it belongs to.',
    pattern:
      /\bauthorization["']?[ \t]{0,5}(?::|=|,|=>)[ \t]{0,5}["'`]?(?:bearer|basic|token)[ \t]{1,5}([A-Za-z0-9._~+/=-]{16,2000})/gi,
    group: 1,
    keywords: ['authorization'],
    entropy: 3.5,
    reported: true,
    fallback: true,
    samples: {
      secrets: [`curl -H "Authorization: Bearer ${fake(40, BASE64, 304)}" https://api.example.com`],
      notSecrets: ['Authorization: Bearer <token>', 'authorization: Bearer tokentokentokentoken'],
    },
  },
] as const satisfies readonly CredentialRow[];
