/**
 * A seeded generator of credential-shaped values for the secrets corpus: the
 * same seed writes the same bytes, so the committed corpus can be rebuilt and
 * compared. Nothing here is a real credential; vendor prefixes are assembled
 * from pieces so this source does not itself look like a leak.
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const B64 = `${ALNUM}+/`;
export const B64URL = `${ALNUM}-_`;
export const HEX = '0123456789abcdef';
export const BASE32 = `${UPPER}234567`;
export const UPPER_ALNUM = UPPER + DIGITS;
export const LOWER_ALNUM = LOWER + DIGITS;
export const PRINTABLE = `${ALNUM}!#$%&()*+,-./:;<=>?@[]^_{|}~`;

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: a uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  hex(length: number): string {
    return this.chars(HEX, length);
  }

  alnum(length: number): string {
    return this.chars(ALNUM, length);
  }

  bytes(length: number): Buffer {
    return Buffer.from(Array.from({ length }, () => this.int(0, 255)));
  }

  /** Standard base64 of `length` random bytes. */
  base64(length: number): string {
    return this.bytes(length).toString('base64');
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${this.pick(['8', '9', 'a', 'b'])}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  /** A password a person picks: words, digits and a symbol, or a manager's random string. */
  password(): string {
    if (this.next() < 0.5) return this.chars(`${ALNUM}!@#%^*_-`, this.int(14, 24));
    const words = [
      'Falcon',
      'river',
      'Granite',
      'maple',
      'Orbit',
      'tundra',
      'Cobalt',
      'willow',
      'Saffron',
      'quartz',
    ];
    return `${this.pick(words)}${this.pick(['-', '_', '.', ''])}${this.pick(words)}${this.int(10, 9999)}${this.pick(['!', '#', '$', '%', '?', '@'])}`;
  }

  /** A PEM body of `bytes` random bytes, 64 characters a line. */
  pemBody(bytes: number): string[] {
    return this.base64(bytes).match(/.{1,64}/g) ?? [];
  }
}

/** base64url without padding, as JWT segments are written. */
export function b64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}
