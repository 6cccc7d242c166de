/**
 * How corpus files are written and marked. A file's text is given with marks
 * at the start of lines, removed when it is written:
 *   `§`  the line holds a secret (a truth line);
 *   `⟦`  the first line of a multi-line secret (a private key's BEGIN line): a truth line, opening a block;
 *   `⟧`  the last line of that block.
 * The truth is the marked lines, 1-based, per file.
 */
import type { Rng } from './random.js';
import type { FileTruth } from './scoring.js';

export interface CorpusFile {
  path: string;
  content: string;
  truth: FileTruth;
}

export class Corpus {
  readonly files: CorpusFile[] = [];

  /** Adds a file; `eol` is '\r\n' for files Windows tools write. */
  add(path: string, marked: string, eol = '\n'): void {
    if (this.files.some((f) => f.path === path)) throw new Error(`${path} written twice`);
    const truth: FileTruth = { lines: [], blocks: [] };
    let open: number | undefined;
    const lines = marked.replace(/^\n/, '').split('\n');
    const out = lines.map((line, index) => {
      const n = index + 1;
      const mark = line[0];
      if (mark === '§') truth.lines.push(n);
      else if (mark === '⟦') {
        truth.lines.push(n);
        open = n;
      } else if (mark === '⟧') {
        if (open === undefined) throw new Error(`${path}:${n} closes no block`);
        truth.blocks.push([open, n]);
        open = undefined;
      } else return line;
      return line.slice(1);
    });
    if (open !== undefined) throw new Error(`${path}: block at ${open} not closed`);
    this.files.push({ path, content: out.join(eol), truth });
  }
}

const DER_RSA = [0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00, 0x02, 0x82, 0x01, 0x01, 0x00];
const DER_EC = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20];
const DER_PKCS8 = [0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48];

function body(r: Rng, prefix: number[] | Buffer, bytes: number, width: number): string[] {
  const all = Buffer.concat([Buffer.from(prefix), r.bytes(bytes)]).toString('base64');
  return all.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
}

/** A marked private key block of the given kind, its lines joined with `\n`. */
export function privateKey(r: Rng, kind: 'RSA' | 'EC' | 'OPENSSH' | 'PKCS8' | 'ENCRYPTED' | 'PGP'): string {
  const key = (label: string, lines: string[]) =>
    [`⟦-----BEGIN ${label}-----`, ...lines, `⟧-----END ${label}-----`].join('\n');
  switch (kind) {
    case 'RSA':
      return key('RSA PRIVATE KEY', body(r, DER_RSA, 1180, 64));
    case 'EC':
      return key('EC PRIVATE KEY', body(r, DER_EC, 114, 64));
    case 'PKCS8':
      return key('PRIVATE KEY', body(r, DER_PKCS8, 1200, 64));
    case 'ENCRYPTED':
      return key('ENCRYPTED PRIVATE KEY', body(r, [0x30, 0x82, 0x05, 0x2c], 1320, 64));
    case 'OPENSSH':
      return key('OPENSSH PRIVATE KEY', body(r, Buffer.from('openssh-key-v1\0\0\0\0\x04none'), 380, 70));
    case 'PGP':
      return [
        '⟦-----BEGIN PGP PRIVATE KEY BLOCK-----',
        '',
        ...body(r, [0x95, 0x03, 0xc6, 0x04], 1400, 64),
        `=${r.base64(3)}`,
        '⟧-----END PGP PRIVATE KEY BLOCK-----',
      ].join('\n');
  }
}

/** A private key's PEM text without marks (to embed base64-encoded, as kubeconfig does). */
export function unmarked(text: string): string {
  return text.replace(/^[⟦⟧§]/gm, '');
}

/** A public key or certificate: no secret, same shape. */
export function publicPem(r: Rng, label: 'CERTIFICATE' | 'PUBLIC KEY' | 'PGP PUBLIC KEY BLOCK'): string {
  return [
    `-----BEGIN ${label}-----`,
    ...body(r, [0x30, 0x82, 0x03, 0x5e], 840, 64),
    `-----END ${label}-----`,
  ].join('\n');
}
