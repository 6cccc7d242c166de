/**
 * The built-in price catalog of cost-optimizer: editable data. One row per
 * instance type with its vCPUs, memory (GiB), processor architecture,
 * generation and the on-demand price per hour in us-east-1; other regions
 * are priced by the multipliers below.
 *
 * Source: AWS public on-demand price list (EC2 Linux shared tenancy; RDS
 * PostgreSQL / MySQL single-AZ; ElastiCache Redis OSS), us-east-1, as of
 * 2025-01. Regional multipliers are the ratio of m5.large's price in the
 * region to us-east-1's (eu-west-1 $0.107, eu-central-1 $0.115,
 * ap-southeast-1 $0.120, us-west-2 $0.096) and are an approximation for other
 * types. Savings are computed as ratios of catalog prices applied to the
 * resource's own monthly cost, so a region's multiplier cancels out.
 */
export const CATALOG_SOURCE =
  'AWS public on-demand price list, us-east-1 (EC2 Linux; RDS PostgreSQL/MySQL single-AZ; ElastiCache Redis OSS), 2025-01; other regions by m5.large price ratio';

export const REGION_MULTIPLIERS: Readonly<Record<string, number>> = {
  'us-east-1': 1,
  'us-east-2': 1,
  'us-west-2': 1,
  'eu-west-1': 1.1146,
  'eu-central-1': 1.1979,
  'ap-southeast-1': 1.25,
};

export type Service = 'ec2' | 'rds' | 'elasticache';
export type Architecture = 'x86_64' | 'arm64';

export interface CatalogType {
  type: string;
  service: Service;
  vcpu: number;
  memoryGiB: number;
  arch: Architecture;
  generation: 'current' | 'previous';
  /** On-demand USD per hour, us-east-1. */
  hourlyUsd: number;
}

type Row = [type: string, vcpu: number, memoryGiB: number, hourlyUsd: number];

/** Families: prefix, service, architecture, generation, rows of [size, vCPU, GiB, $/h]. */
const FAMILIES: readonly [string, Service, Architecture, 'current' | 'previous', readonly Row[]][] = [
  [
    'm4',
    'ec2',
    'x86_64',
    'previous',
    [
      ['large', 2, 8, 0.1],
      ['xlarge', 4, 16, 0.2],
      ['2xlarge', 8, 32, 0.4],
      ['4xlarge', 16, 64, 0.8],
    ],
  ],
  [
    'm5',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 8, 0.096],
      ['xlarge', 4, 16, 0.192],
      ['2xlarge', 8, 32, 0.384],
      ['4xlarge', 16, 64, 0.768],
      ['8xlarge', 32, 128, 1.536],
    ],
  ],
  [
    'm6i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 8, 0.096],
      ['xlarge', 4, 16, 0.192],
      ['2xlarge', 8, 32, 0.384],
      ['4xlarge', 16, 64, 0.768],
      ['8xlarge', 32, 128, 1.536],
    ],
  ],
  [
    'm7i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 8, 0.1008],
      ['xlarge', 4, 16, 0.2016],
      ['2xlarge', 8, 32, 0.4032],
      ['4xlarge', 16, 64, 0.8064],
      ['8xlarge', 32, 128, 1.6128],
    ],
  ],
  [
    'm7g',
    'ec2',
    'arm64',
    'current',
    [
      ['medium', 1, 4, 0.0408],
      ['large', 2, 8, 0.0816],
      ['xlarge', 4, 16, 0.1632],
      ['2xlarge', 8, 32, 0.3264],
      ['4xlarge', 16, 64, 0.6528],
      ['8xlarge', 32, 128, 1.3056],
    ],
  ],
  [
    'c4',
    'ec2',
    'x86_64',
    'previous',
    [
      ['large', 2, 3.75, 0.1],
      ['xlarge', 4, 7.5, 0.199],
      ['2xlarge', 8, 15, 0.398],
    ],
  ],
  [
    'c5',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 4, 0.085],
      ['xlarge', 4, 8, 0.17],
      ['2xlarge', 8, 16, 0.34],
      ['4xlarge', 16, 32, 0.68],
    ],
  ],
  [
    'c6i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 4, 0.085],
      ['xlarge', 4, 8, 0.17],
      ['2xlarge', 8, 16, 0.34],
      ['4xlarge', 16, 32, 0.68],
    ],
  ],
  [
    'c7i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 4, 0.08925],
      ['xlarge', 4, 8, 0.1785],
      ['2xlarge', 8, 16, 0.357],
      ['4xlarge', 16, 32, 0.714],
    ],
  ],
  [
    'c7g',
    'ec2',
    'arm64',
    'current',
    [
      ['medium', 1, 2, 0.0363],
      ['large', 2, 4, 0.0725],
      ['xlarge', 4, 8, 0.145],
      ['2xlarge', 8, 16, 0.29],
      ['4xlarge', 16, 32, 0.58],
    ],
  ],
  [
    'r4',
    'ec2',
    'x86_64',
    'previous',
    [
      ['large', 2, 15.25, 0.133],
      ['xlarge', 4, 30.5, 0.266],
      ['2xlarge', 8, 61, 0.532],
    ],
  ],
  [
    'r5',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 16, 0.126],
      ['xlarge', 4, 32, 0.252],
      ['2xlarge', 8, 64, 0.504],
      ['4xlarge', 16, 128, 1.008],
    ],
  ],
  [
    'r6i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 16, 0.126],
      ['xlarge', 4, 32, 0.252],
      ['2xlarge', 8, 64, 0.504],
      ['4xlarge', 16, 128, 1.008],
    ],
  ],
  [
    'r7i',
    'ec2',
    'x86_64',
    'current',
    [
      ['large', 2, 16, 0.1323],
      ['xlarge', 4, 32, 0.2646],
      ['2xlarge', 8, 64, 0.5292],
      ['4xlarge', 16, 128, 1.0584],
    ],
  ],
  [
    'r7g',
    'ec2',
    'arm64',
    'current',
    [
      ['medium', 1, 8, 0.0536],
      ['large', 2, 16, 0.1071],
      ['xlarge', 4, 32, 0.2142],
      ['2xlarge', 8, 64, 0.4284],
      ['4xlarge', 16, 128, 0.8568],
    ],
  ],
  [
    't2',
    'ec2',
    'x86_64',
    'previous',
    [
      ['micro', 1, 1, 0.0116],
      ['small', 1, 2, 0.023],
      ['medium', 2, 4, 0.0464],
      ['large', 2, 8, 0.0928],
    ],
  ],
  [
    't3',
    'ec2',
    'x86_64',
    'current',
    [
      ['nano', 2, 0.5, 0.0052],
      ['micro', 2, 1, 0.0104],
      ['small', 2, 2, 0.0208],
      ['medium', 2, 4, 0.0416],
      ['large', 2, 8, 0.0832],
      ['xlarge', 4, 16, 0.1664],
      ['2xlarge', 8, 32, 0.3328],
    ],
  ],
  [
    't4g',
    'ec2',
    'arm64',
    'current',
    [
      ['nano', 2, 0.5, 0.0042],
      ['micro', 2, 1, 0.0084],
      ['small', 2, 2, 0.0168],
      ['medium', 2, 4, 0.0336],
      ['large', 2, 8, 0.0672],
      ['xlarge', 4, 16, 0.1344],
      ['2xlarge', 8, 32, 0.2688],
    ],
  ],
  [
    'db.m4',
    'rds',
    'x86_64',
    'previous',
    [
      ['large', 2, 8, 0.182],
      ['xlarge', 4, 16, 0.365],
      ['2xlarge', 8, 32, 0.73],
    ],
  ],
  [
    'db.m5',
    'rds',
    'x86_64',
    'current',
    [
      ['large', 2, 8, 0.178],
      ['xlarge', 4, 16, 0.356],
      ['2xlarge', 8, 32, 0.712],
      ['4xlarge', 16, 64, 1.424],
    ],
  ],
  [
    'db.m6i',
    'rds',
    'x86_64',
    'current',
    [
      ['large', 2, 8, 0.178],
      ['xlarge', 4, 16, 0.356],
      ['2xlarge', 8, 32, 0.712],
      ['4xlarge', 16, 64, 1.424],
    ],
  ],
  [
    'db.m7g',
    'rds',
    'arm64',
    'current',
    [
      ['large', 2, 8, 0.168],
      ['xlarge', 4, 16, 0.337],
      ['2xlarge', 8, 32, 0.674],
      ['4xlarge', 16, 64, 1.348],
    ],
  ],
  [
    'db.r4',
    'rds',
    'x86_64',
    'previous',
    [
      ['large', 2, 15.25, 0.26],
      ['xlarge', 4, 30.5, 0.52],
      ['2xlarge', 8, 61, 1.04],
    ],
  ],
  [
    'db.r5',
    'rds',
    'x86_64',
    'current',
    [
      ['large', 2, 16, 0.25],
      ['xlarge', 4, 32, 0.5],
      ['2xlarge', 8, 64, 1],
      ['4xlarge', 16, 128, 2],
    ],
  ],
  [
    'db.r6i',
    'rds',
    'x86_64',
    'current',
    [
      ['large', 2, 16, 0.25],
      ['xlarge', 4, 32, 0.5],
      ['2xlarge', 8, 64, 1],
      ['4xlarge', 16, 128, 2],
    ],
  ],
  [
    'db.r7g',
    'rds',
    'arm64',
    'current',
    [
      ['large', 2, 16, 0.239],
      ['xlarge', 4, 32, 0.478],
      ['2xlarge', 8, 64, 0.956],
      ['4xlarge', 16, 128, 1.912],
    ],
  ],
  [
    'db.t2',
    'rds',
    'x86_64',
    'previous',
    [
      ['micro', 1, 1, 0.018],
      ['small', 1, 2, 0.036],
      ['medium', 2, 4, 0.073],
      ['large', 2, 8, 0.146],
    ],
  ],
  [
    'db.t3',
    'rds',
    'x86_64',
    'current',
    [
      ['micro', 2, 1, 0.018],
      ['small', 2, 2, 0.036],
      ['medium', 2, 4, 0.072],
      ['large', 2, 8, 0.145],
      ['xlarge', 4, 16, 0.29],
      ['2xlarge', 8, 32, 0.579],
    ],
  ],
  [
    'db.t4g',
    'rds',
    'arm64',
    'current',
    [
      ['micro', 2, 1, 0.016],
      ['small', 2, 2, 0.032],
      ['medium', 2, 4, 0.065],
      ['large', 2, 8, 0.129],
      ['xlarge', 4, 16, 0.258],
      ['2xlarge', 8, 32, 0.517],
    ],
  ],
  [
    'cache.m4',
    'elasticache',
    'x86_64',
    'previous',
    [
      ['large', 2, 6.42, 0.156],
      ['xlarge', 4, 14.28, 0.311],
      ['2xlarge', 8, 29.7, 0.623],
    ],
  ],
  [
    'cache.m5',
    'elasticache',
    'x86_64',
    'current',
    [
      ['large', 2, 6.38, 0.156],
      ['xlarge', 4, 12.93, 0.311],
      ['2xlarge', 8, 26.04, 0.623],
      ['4xlarge', 16, 52.26, 1.245],
    ],
  ],
  [
    'cache.m6g',
    'elasticache',
    'arm64',
    'current',
    [
      ['large', 2, 6.38, 0.149],
      ['xlarge', 4, 12.93, 0.297],
      ['2xlarge', 8, 26.04, 0.593],
      ['4xlarge', 16, 52.26, 1.186],
    ],
  ],
  [
    'cache.r4',
    'elasticache',
    'x86_64',
    'previous',
    [
      ['large', 2, 12.3, 0.228],
      ['xlarge', 4, 25.05, 0.455],
      ['2xlarge', 8, 50.47, 0.91],
    ],
  ],
  [
    'cache.r5',
    'elasticache',
    'x86_64',
    'current',
    [
      ['large', 2, 13.07, 0.216],
      ['xlarge', 4, 26.32, 0.431],
      ['2xlarge', 8, 52.82, 0.862],
      ['4xlarge', 16, 105.81, 1.724],
    ],
  ],
  [
    'cache.r6g',
    'elasticache',
    'arm64',
    'current',
    [
      ['large', 2, 13.07, 0.206],
      ['xlarge', 4, 26.32, 0.411],
      ['2xlarge', 8, 52.82, 0.822],
      ['4xlarge', 16, 105.81, 1.645],
    ],
  ],
  [
    'cache.t2',
    'elasticache',
    'x86_64',
    'previous',
    [
      ['micro', 1, 0.555, 0.017],
      ['small', 1, 1.55, 0.034],
      ['medium', 2, 3.22, 0.068],
    ],
  ],
  [
    'cache.t3',
    'elasticache',
    'x86_64',
    'current',
    [
      ['micro', 2, 0.5, 0.017],
      ['small', 2, 1.37, 0.034],
      ['medium', 2, 3.09, 0.068],
    ],
  ],
  [
    'cache.t4g',
    'elasticache',
    'arm64',
    'current',
    [
      ['micro', 2, 0.5, 0.016],
      ['small', 2, 1.37, 0.032],
      ['medium', 2, 3.09, 0.065],
    ],
  ],
];

export const INSTANCE_TYPES: readonly CatalogType[] = FAMILIES.flatMap(
  ([family, service, arch, generation, rows]) =>
    rows.map(([size, vcpu, memoryGiB, hourlyUsd]) => ({
      type: `${family}.${size}`,
      service,
      vcpu,
      memoryGiB,
      arch,
      generation,
      hourlyUsd,
    })),
);

const BY_TYPE = new Map(INSTANCE_TYPES.map((t) => [t.type, t]));

export function catalogType(type: string | undefined): CatalogType | undefined {
  return type === undefined ? undefined : BY_TYPE.get(type.trim().toLowerCase());
}

/** 'db.m5.large' → { family: 'db.m5', size: 'large' }. */
export function splitType(type: string): { family: string; size: string } {
  const at = type.lastIndexOf('.');
  return { family: type.slice(0, at), size: type.slice(at + 1) };
}

/** Class letters of a family: 'db.m5' → 'db.m', 'c7g' → 'c', 'cache.t4g' → 'cache.t'. */
export function familyClass(family: string): string {
  const dot = family.lastIndexOf('.');
  const prefix = family.slice(0, dot + 1);
  const letters = /^[a-z]+/.exec(family.slice(dot + 1))?.[0] ?? '';
  return `${prefix}${letters}`;
}

/** On-demand USD per hour in a region (catalog price × the region's multiplier; unknown regions as us-east-1). */
export function hourlyPrice(type: CatalogType, region: string | undefined): number {
  return type.hourlyUsd * (REGION_MULTIPLIERS[region ?? 'us-east-1'] ?? 1);
}

/** Storage prices per GB-month, us-east-1 (2025-01). */
export const EBS_GB_MONTH_USD: Readonly<Record<string, number>> = {
  gp2: 0.1,
  gp3: 0.08,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};
export const SNAPSHOT_GB_MONTH_USD = 0.05;
/** An Elastic IP not attached to a running instance (and, since 2024-02, every public IPv4): $0.005 per hour. */
export const IDLE_EIP_HOUR_USD = 0.005;
/** AWS bills a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

/**
 * Typical discounts of commitments over on-demand, 1-year term, no upfront
 * (AWS pricing pages, 2025-01): Compute Savings Plans for EC2 and Fargate,
 * reserved nodes / instances for RDS and ElastiCache, Compute Savings Plans
 * for Lambda (up to 17 %).
 */
export const COMMITMENT_DISCOUNTS: Readonly<Record<string, { rate: number; offer: string }>> = {
  ec2: { rate: 0.28, offer: 'Compute Savings Plan, 1 year, no upfront' },
  fargate: { rate: 0.2, offer: 'Compute Savings Plan, 1 year, no upfront' },
  lambda: { rate: 0.12, offer: 'Compute Savings Plan, 1 year, no upfront' },
  rds: { rate: 0.31, offer: 'RDS reserved instance, 1 year, no upfront' },
  elasticache: { rate: 0.3, offer: 'ElastiCache reserved node, 1 year, no upfront' },
};

/** Share of an S3 bucket's monthly cost a lifecycle policy (Intelligent-Tiering / IA / expiry of old versions) typically saves. */
export const LIFECYCLE_SAVINGS_RATE = 0.2;
/** gp2 → gp3 at the same size: $0.10 → $0.08 per GB-month. */
export const GP3_SAVINGS_RATE = 0.2;
