/**
 * Credential files as they sit in home folders, servers and repositories that
 * committed them: dot-folders, netrc/pgpass/npmrc, Docker and FTP clients,
 * PuTTY and Firefox stores, password databases and dumps.
 */
import { type Corpus, privateKey } from './corpus-kit.js';
import { ALNUM, type Rng } from './random.js';
import type { Values } from './values.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function credentialFiles(c: Corpus, v: Values, r: Rng): void {
  c.add('.ssh/id_rsa', `${privateKey(r, 'RSA')}\n`);
  c.add('.ssh/id_ed25519', `${privateKey(r, 'OPENSSH')}\n`);
  c.add('deploy/ansible/files/deploy_key', `${privateKey(r, 'OPENSSH')}\n`);
  c.add(
    '.aws/credentials',
    `
[default]
§aws_access_key_id = ${v.awsKeyId()}
§aws_secret_access_key = ${v.awsSecret()}

[ci-deployer]
§aws_access_key_id = ${v.awsTempKeyId()}
§aws_secret_access_key = ${v.awsSecret()}
§aws_session_token = ${v.awsSessionToken()}
region = eu-west-1
`,
  );
  c.add(
    '.docker/config.json',
    `
{
	"auths": {
		"https://index.docker.io/v1/": {
§			"auth": "${b64(`mkowalski:${v.dockerPat()}`)}"
		},
		"registry.gitlab.com": {
§			"auth": "${b64(`deploy-bot:${v.glpat()}`)}"
		},
		"123456789012.dkr.ecr.eu-west-1.amazonaws.com": {}
	},
	"credsStore": "desktop",
	"currentContext": "default"
}
`,
  );
  c.add(
    'legacy/.dockercfg',
    `§{"quay.io":{"auth":"${b64(`acme+builder:${r.chars(ALNUM, 64).toUpperCase()}`)}","email":"builds@acme-corp.example"}}\n`,
  );
  c.add(
    '.git-credentials',
    `
§https://mkowalski:${v.ghp()}@github.com
§https://oauth2:${v.glpat()}@gitlab.acme-corp.example
`,
  );
  c.add(
    '.netrc',
    `
§machine api.github.com login mkowalski password ${v.gho()}
machine uploads.acme-corp.example
  login ci-uploader
§  password ${v.password()}
machine localhost login test password
`,
  );
  c.add(
    'windows-profile/_netrc',
    `
machine ftp.partner-logistics.example
login acme_edi
§password ${v.password()}

§machine git.acme-corp.example login jenkins password ${v.password()}
`,
    '\r\n',
  );
  c.add(
    '.pgpass',
    `
# hostname:port:database:username:password
§db-prod-1.internal:5432:orders:orders_app:${v.password().replaceAll(':', '')}
§db-prod-1.internal:5432:*:postgres:${v.password().replaceAll(':', '')}
§*:*:reporting:readonly:${v.password().replaceAll(':', '')}
`,
  );
  c.add(
    '.npmrc',
    `
registry=https://registry.npmjs.org/
§//registry.npmjs.org/:_authToken=${v.npm()}
@acme:registry=https://npm.pkg.github.com
§//npm.pkg.github.com/:_authToken=${v.ghp()}
save-exact=true
`,
  );
  c.add(
    'tools/legacy-build/.npmrc',
    `
registry=https://nexus.acme-corp.example/repository/npm-group/
§_auth=${b64(`builder:${v.password()}`)}
email=builder@acme-corp.example
always-auth=true
`,
  );
  const fz = (host: string, user: string, pass: string) => `
		<Server>
			<Host>${host}</Host>
			<Port>21</Port>
			<Protocol>0</Protocol>
			<Type>0</Type>
			<User>${user}</User>
§			<Pass encoding="base64">${b64(pass)}</Pass>
			<Logontype>1</Logontype>
			<PasvMode>MODE_DEFAULT</PasvMode>
			<EncodingType>Auto</EncodingType>
			<BypassProxy>0</BypassProxy>
			<Name>${host.split('.')[0]}</Name>
			<SyncBrowsing>0</SyncBrowsing>
		</Server>`;
  c.add(
    'windows-profile/AppData/Roaming/FileZilla/sitemanager.xml',
    `
<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.66.4" platform="windows">
	<Servers>${fz('ftp.shop-assets.example', 'assets', v.password())}${fz('files.printshop.example', 'acme', v.password())}
		<Server>
			<Host>sftp.archive.example</Host>
			<Port>22</Port>
			<Protocol>1</Protocol>
			<Type>0</Type>
			<User>archiver</User>
			<Logontype>5</Logontype>
			<Keyfile>C:\\Users\\mk\\.ssh\\archive.ppk</Keyfile>
			<Name>archive</Name>
		</Server>
	</Servers>
</FileZilla3>
`,
    '\r\n',
  );
  c.add(
    'windows-profile/AppData/Roaming/FileZilla/recentservers.xml',
    `
<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<FileZilla3 version="3.66.4" platform="windows">
	<RecentServers>
		<Server>
			<Host>203.0.113.40</Host>
			<Port>21</Port>
			<Protocol>0</Protocol>
			<Type>0</Type>
			<User>webmaster</User>
§			<Pass encoding="base64">${b64(v.password())}</Pass>
			<Logontype>1</Logontype>
		</Server>
	</RecentServers>
</FileZilla3>
`,
    '\r\n',
  );
  const ppkPublic = r.base64(51).match(/.{1,64}/g) ?? [];
  c.add(
    'windows-profile/.ssh/archive.ppk',
    `
⟦PuTTY-User-Key-File-3: ssh-ed25519
Encryption: none
Comment: eddsa-key-20230914
Public-Lines: ${ppkPublic.length}
${ppkPublic.join('\n')}
Private-Lines: 1
${r.base64(36)}
⟧Private-MAC: ${r.hex(64)}
`,
    '\r\n',
  );
  const login = (id: number, host: string) => ({
    id,
    hostname: host,
    httpRealm: null,
    formSubmitURL: host,
    usernameField: 'username',
    passwordField: 'password',
    encryptedUsername: `MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECA${r.base64(24)}`,
    encryptedPassword: `MEIEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECH${r.base64(42)}`,
    guid: `{${r.uuid()}}`,
    encType: 1,
    timeCreated: 1694000000000 + id,
    timeLastUsed: 1699000000000 + id,
    timePasswordChanged: 1694000000000 + id,
    timesUsed: id + 3,
  });
  c.add(
    'windows-profile/AppData/Roaming/Mozilla/Firefox/Profiles/k3x9q2ab.default-release/logins.json',
    `§${JSON.stringify({ nextId: 3, logins: [login(1, 'https://admin.acme-corp.example'), login(2, 'https://mail.example')], potentiallyVulnerablePasswords: [], dismissedBreachAlertsByLoginGUID: {}, version: 3 })}`,
  );
  c.add(
    'etc/shadow',
    `
§root:${v.sha512crypt()}:19612:0:99999:7:::
daemon:*:19597:0:99999:7:::
bin:*:19597:0:99999:7:::
sys:*:19597:0:99999:7:::
www-data:*:19597:0:99999:7:::
sshd:*:19597:0:99999:7:::
§deploy:${v.yescrypt()}:19640:0:99999:7:::
nobody:!:19597:0:99999:7:::
postgres:!*:19600::::::
§backup:${v.md5crypt()}:18200:0:99999:7:::
`,
  );
  c.add(
    'etc/passwd',
    `
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
sshd:x:110:65534::/run/sshd:/usr/sbin/nologin
deploy:x:1000:1000:Deploy,,,:/home/deploy:/bin/bash
postgres:x:114:120:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
`,
  );
  c.add(
    'etc/nginx/.htpasswd',
    `
§admin:${v.apr1()}
§grafana:${v.bcrypt()}
§legacy:${v.sha1b64()}
`,
  );
  credentialDumps(c, v, r);
}

function credentialDumps(c: Corpus, v: Values, r: Rng): void {
  const users = Array.from(
    { length: 4 },
    (_, i) =>
      `(${i + 1},'${['admin', 'jsmith', 'mlopez', 'support'][i]}','${['admin', 'jsmith', 'mlopez', 'support'][i]}@acme-corp.example','${v.bcrypt()}',${i === 0 ? 1 : 0},'2023-0${i + 2}-1${i} 09:2${i}:00')`,
  );
  c.add(
    'db/dumps/shop_2023-11-02.sql',
    `
-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.35-0ubuntu0.22.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table \`products\`
--

DROP TABLE IF EXISTS \`products\`;
CREATE TABLE \`products\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`sku\` varchar(32) NOT NULL,
  \`name\` varchar(255) NOT NULL,
  \`image_sha256\` char(64) NOT NULL,
  \`price_cents\` int NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES \`products\` WRITE;
INSERT INTO \`products\` VALUES (1,'MUG-001','Enamel mug','${r.hex(64)}',1450),(2,'TEE-014','Logo tee','${r.hex(64)}',2200),(3,'CAP-002','Cap','${r.hex(64)}',1800);
UNLOCK TABLES;

--
-- Table structure for table \`users\`
--

DROP TABLE IF EXISTS \`users\`;
CREATE TABLE \`users\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`username\` varchar(64) NOT NULL,
  \`email\` varchar(255) NOT NULL,
  \`password\` varchar(255) NOT NULL,
  \`is_admin\` tinyint(1) NOT NULL DEFAULT '0',
  \`created_at\` datetime NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

LOCK TABLES \`users\` WRITE;
§INSERT INTO \`users\` VALUES ${users.join(',')};
UNLOCK TABLES;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2023-11-02  3:15:01
`,
  );
  const names = ['admin', 'editor', 'guest', 'webmaster', 'kchen'];
  c.add(
    'db/dumps/legacy_cms.sql',
    `
-- phpMyAdmin SQL Dump
-- version 4.9.5
-- Generation Time: Mar 14, 2019 at 10:02 AM

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";

CREATE TABLE \`cms_users\` (
  \`uid\` int(11) NOT NULL,
  \`login\` varchar(50) NOT NULL,
  \`pass_md5\` varchar(32) NOT NULL,
  \`last_login\` datetime DEFAULT NULL
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

INSERT INTO \`cms_users\` (\`uid\`, \`login\`, \`pass_md5\`, \`last_login\`) VALUES
${names.map((n, i) => `§(${i + 1}, '${n}', '${v.md5hex()}', '2019-03-0${i + 1} 1${i}:00:00')${i === names.length - 1 ? ';' : ','}`).join('\n')}

CREATE TABLE \`cms_api_clients\` (
  \`id\` int(11) NOT NULL,
  \`name\` varchar(50) NOT NULL,
  \`secret_sha1\` char(40) NOT NULL
) ENGINE=MyISAM DEFAULT CHARSET=latin1;

INSERT INTO \`cms_api_clients\` (\`id\`, \`name\`, \`secret_sha1\`) VALUES
§(1, 'mobile-app', '${v.sha1hex()}'),
§(2, 'newsletter', '${v.sha1hex()}');
`,
  );
  c.add(
    'db/dumps/accounts_pg.sql',
    `
--
-- PostgreSQL database dump
--

-- Dumped from database version 15.4
-- Dumped by pg_dump version 15.4

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    email text NOT NULL,
    password_digest character varying NOT NULL,
    created_at timestamp(6) without time zone NOT NULL
);

CREATE TABLE public.attachments (
    id bigint NOT NULL,
    filename text NOT NULL,
    checksum character varying NOT NULL
);

COPY public.accounts (id, email, password_digest, created_at) FROM stdin;
§1	ops@acme-corp.example	${v.bcryptB()}	2022-05-01 08:00:00
§2	lena.berg@acme-corp.example	${v.bcryptB()}	2022-06-12 14:31:09
§3	t.okafor@acme-corp.example	${v.bcryptB()}	2023-01-20 11:02:45
\\.

COPY public.attachments (id, filename, checksum) FROM stdin;
1	invoice-2023-001.pdf	${r.base64(16)}
2	contract.pdf	${r.base64(16)}
3	logo.png	${r.base64(16)}
\\.

SELECT pg_catalog.setval('public.accounts_id_seq', 3, true);

--
-- PostgreSQL database dump complete
--
`,
  );
}
