/**
 * Where a completion callback may go (SSRF rules). A callback URL is the
 * client's choice and the server makes the request, so it must never reach
 * what only the server can: loopback, private and link-local networks, cloud
 * metadata (169.254.169.254, fd00:ec2::254), multicast, unspecified and
 * reserved addresses. Only https to a public address is allowed, except for
 * the hosts and networks listed in AIOPS_CALLBACK_ALLOW (local testing), which
 * may also use http.
 *
 * Checked twice: when an execution is created (obvious cases, 400 with a field
 * error; URL parsing normalises 2852039166, 0x7f000001 and [::ffff:a9fe:a9fe]),
 * and when the callback is sent, on every address the name resolves to, in the
 * DNS lookup of the very connection that is made: a name that resolved to a
 * public address at creation and to 169.254.169.254 later is refused then.
 */
import { BlockList, isIP } from 'node:net';
import { getConfig } from '../core/config.js';

/** Networks no callback may reach unless allowed: IANA special-purpose ranges that are not the public internet. */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT; Alibaba's metadata at 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local; AWS, GCP and Azure metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible addresses
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4: also an IPv4 address in disguise
  ['fc00::', 7], // unique-local; AWS's IPv6 metadata at fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10],
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Names of metadata services and of this machine, refused whatever they resolve to. */
const BLOCKED_NAMES =
  /^(?:localhost|.+\.localhost|metadata|metadata\.google\.internal|metadata\.goog|instance-data(?:\.ec2\.internal)?)\.?$/i;

export interface CallbackPolicy {
  /** Host names allowed even though they resolve to private addresses (lower case). */
  readonly hosts: ReadonlySet<string>;
  /** Addresses and networks allowed even though private. */
  readonly networks: BlockList;
}

/** The allow-list of AIOPS_CALLBACK_ALLOW: entries with a `/` or that are addresses are networks, others host names. */
export function callbackPolicy(
  allow: string | undefined = getConfig().env.AIOPS_CALLBACK_ALLOW,
): CallbackPolicy {
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const entry of (allow ?? '').split(',').map((e) => e.trim().toLowerCase())) {
    if (entry === '') continue;
    const [address = '', bits] = entry.replace(/^\[|\]$/g, '').split('/');
    const family = isIP(address);
    if (family === 0) {
      hosts.add(entry);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) networks.addAddress(address, type);
    else networks.addSubnet(address, Number(bits), type);
  }
  return { hosts, networks };
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Why a resolved (or literal) address may not be called back, or undefined when it may. */
export function addressProblem(address: string, policy: CallbackPolicy): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0) return `${address} is not an IP address`;
  if (policy.networks.check(bare, familyOf(bare))) return undefined;
  // BlockList matches IPv4-mapped IPv6 (::ffff:a9fe:a9fe) against the IPv4 ranges too.
  if (BLOCKED.check(bare, familyOf(bare))) {
    return `${address} is a loopback, private, link-local, metadata or otherwise internal address`;
  }
  return undefined;
}

function hostAllowed(hostname: string, policy: CallbackPolicy): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.hosts.has(bare)) return true;
  return isIP(bare) !== 0 && policy.networks.check(bare, familyOf(bare));
}

/**
 * Why a callback URL is refused before any name is resolved, or undefined:
 * the scheme, a literal internal address, a metadata or localhost name. What
 * a name resolves to is checked when the callback is sent.
 */
export function callbackUrlProblem(
  raw: string,
  policy: CallbackPolicy = callbackPolicy(),
): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const allowed = hostAllowed(url.hostname, policy);
  if (url.protocol === 'http:' && !allowed)
    return 'must be https (http only for hosts in AIOPS_CALLBACK_ALLOW)';
  if (allowed) return undefined;
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) {
    const problem = addressProblem(bare, policy);
    return problem === undefined ? undefined : `must not point at an internal address (${problem})`;
  }
  if (BLOCKED_NAMES.test(bare))
    return `must not point at ${bare}, which is this machine or a metadata service`;
  return undefined;
}
