/**
 * Ingress rules of security groups: which admin ports a world-open rule
 * exposes. Port bounds computed at deploy time make the rule unknown.
 */

/** Ports that must not be reachable from the internet, with what listens there. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  135: 'MS RPC',
  445: 'SMB',
  1433: 'SQL Server',
  1521: 'Oracle',
  2375: 'Docker API',
  2376: 'Docker API (TLS)',
  2379: 'etcd',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5439: 'Redshift',
  5601: 'Kibana',
  5900: 'VNC',
  5984: 'CouchDB',
  5985: 'WinRM',
  5986: 'WinRM (TLS)',
  6379: 'Redis',
  7000: 'Cassandra',
  8086: 'InfluxDB',
  9042: 'Cassandra',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** Azure's words for any source: `*`, the Internet and Any service tags, and the bare 0.0.0.0 address. */
const ANY_SOURCE = new Set(['*', 'internet', 'any', '0.0.0.0']);

/** An IPv4/IPv6 range that is the whole internet (every provider's spelling). */
export function isWorldCidr(value: unknown): boolean {
  if (value === '0.0.0.0/0' || value === '::/0') return true;
  return typeof value === 'string' && ANY_SOURCE.has(value.toLowerCase());
}

/** A rule's port range as numbers; `undefined` bounds (or -1) mean every port. */
export interface PortRange {
  protocol: string;
  from?: number;
  to?: number;
}

function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function portRange(protocol: unknown, from: unknown, to: unknown): PortRange | undefined {
  const p = String(protocol ?? '-1').toLowerCase();
  const lo = portNumber(from);
  const hi = portNumber(to);
  if ((from !== undefined && lo === undefined) || (to !== undefined && hi === undefined)) return undefined; // computed
  return { protocol: p, ...(lo === undefined ? {} : { from: lo }), ...(hi === undefined ? {} : { to: hi }) };
}

/** Which admin ports a rule opens: every protocol counts as TCP; UDP and ICMP open none of these. */
export function exposedAdminPorts(range: PortRange): { all: boolean; ports: number[] } {
  const all = range.protocol === '-1' || range.protocol === 'all';
  if (!all && range.protocol !== 'tcp' && range.protocol !== '6') return { all: false, ports: [] };
  const from = range.from === undefined || range.from < 0 ? 0 : range.from;
  const to = range.to === undefined || range.to < 0 ? 65535 : range.to;
  const everyPort = all || (from <= 0 && to >= 65535);
  const ports = Object.keys(ADMIN_PORTS)
    .map(Number)
    .filter((port) => port >= from && port <= to);
  return { all: everyPort, ports };
}

export function describePorts(ports: readonly number[]): string {
  return ports.map((port) => `${port} (${ADMIN_PORTS[port]})`).join(', ');
}
