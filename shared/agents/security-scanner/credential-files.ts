/**
 * Files that hold credentials by their name (and, when the content is at
 * hand, by what is in them): what a Dockerfile must not bake into a layer.
 * The names follow what credential tools write (ssh-keygen, npm login, twine,
 * git credential-store, docker login, aws configure, gcloud service
 * accounts, kubectl) and what projects keep next to their code (.env).
 */
import { posix } from 'node:path';

/** Folders whose whole content is credentials. */
const SECRET_DIRS = new Set(['.ssh', '.aws', '.docker', '.kube', '.gnupg', '.gcloud', '.azure']);

/** Exact basenames (lower-cased) and what they hold. */
const SECRET_NAMES = new Map<string, string>([
  ['id_rsa', 'an SSH private key'],
  ['id_dsa', 'an SSH private key'],
  ['id_ecdsa', 'an SSH private key'],
  ['id_ed25519', 'an SSH private key'],
  ['.pypirc', 'PyPI credentials'],
  ['.netrc', 'netrc credentials'],
  ['_netrc', 'netrc credentials'],
  ['.git-credentials', 'git credentials'],
  ['.pgpass', 'PostgreSQL passwords'],
  ['.dockercfg', 'Docker registry credentials'],
  ['.htpasswd', 'password hashes'],
  ['kubeconfig', 'a kubeconfig'],
  ['credentials', 'cloud credentials'],
  ['credentials.json', 'cloud credentials'],
]);

/** Basename patterns (lower-cased) and what they hold. */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [
    /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults?$|schema$|tpl$)[\w.-]+)?$/,
    'environment secrets',
  ],
  [/\.(?:p12|pfx|jks|keystore|ppk)$/, 'a key store'],
  [/\.key$/, 'a private key'],
  [
    /^(?:service[-_]?account|client[-_]secret|gcp[-_]key|sa[-_]key)[\w.-]*\.json$/,
    'a cloud service-account key',
  ],
  [/^id_(?:rsa|dsa|ecdsa|ed25519)[\w.-]*$/, 'an SSH private key'],
];

/** .pem files that are usually certificates, not keys. */
const CERTIFICATE_NAME = /(?:cert|chain|ca|bundle|pub|public|root|trust)[\w.-]*\.pem$|\.(?:crt|pub)\.pem$/;

/** Whether the content (when known) confirms the name: an .npmrc with a token, a .pem with a private key. */
function confirmedBy(base: string, content: string | undefined): boolean | undefined {
  if (content === undefined) return undefined;
  if (base === '.npmrc') return /_(?:auth|authToken|password)\s*=\s*(?!\$\{?\w+\}?\s*$)\S/m.test(content);
  if (base.endsWith('.pem') || base.endsWith('.key')) return /-----BEGIN [A-Z ]*PRIVATE KEY/.test(content);
  if (base.endsWith('.json')) return /"(?:auths|private_key|client_secret|refresh_token)"\s*:/.test(content);
  return undefined;
}

/**
 * What a file at `path` holds, when it is a credential file; undefined
 * otherwise. `content`, when given, settles names that are only sometimes
 * secret (.npmrc, *.pem, config.json).
 */
export function credentialFile(path: string, content?: string): string | undefined {
  const normal = path.replaceAll('\\', '/').replace(/\/+$/, '');
  const base = posix.basename(normal).toLowerCase();
  const parts = normal.toLowerCase().split('/');
  const dir = parts.slice(0, -1);
  const confirmed = confirmedBy(base, content);
  if (confirmed === false) return undefined;
  if (SECRET_DIRS.has(base)) return `a ${base} folder`;
  const inDir = dir.find((d) => SECRET_DIRS.has(d));
  if (inDir && !base.endsWith('.pub') && base !== 'known_hosts') return `a file of ${inDir}`;
  const named = SECRET_NAMES.get(base);
  if (named) return named;
  for (const [pattern, what] of SECRET_PATTERNS)
    if (pattern.test(base) && !base.endsWith('.pub')) return what;
  if (base === '.npmrc')
    return confirmed ? 'an npm token' : content === undefined ? 'npm settings, often a token' : undefined;
  if (base.endsWith('.pem')) return confirmed || !CERTIFICATE_NAME.test(base) ? 'a private key' : undefined;
  if (base === 'config.json' && confirmed) return 'Docker registry credentials';
  if (base.endsWith('.json') && confirmed) return 'a credential file';
  return undefined;
}
