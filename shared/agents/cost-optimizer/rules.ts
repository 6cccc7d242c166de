/**
 * The cost-optimizer rules as data. Each finding carries the monthly saving
 * of its recommendation (evidence.monthlySavingsUsd); the severity of a rule
 * is also the priority its savings are totalled under.
 */
import { type Rule, type RuleCatalog, ruleCatalog } from '../rules.js';

export type CostRuleId =
  | 'COST000'
  | 'COST001'
  | 'COST002'
  | 'COST003'
  | 'COST004'
  | 'COST005'
  | 'COST006'
  | 'COST007'
  | 'COST008';

export interface CostRule extends Rule {
  id: CostRuleId;
}

export const RULES = {
  COST000: {
    id: 'COST000',
    severity: 'medium',
    category: 'correctness',
    title: 'Inventory file does not parse',
    description:
      'A JSON/YAML inventory or Cost and Usage Report CSV that could not be read (syntax error, no known ' +
      'columns, an invalid resource row); its resources were not analysed.',
    remediation: 'Fix the file at the reported line, or export the inventory again.',
  },
  COST001: {
    id: 'COST001',
    severity: 'high',
    category: 'cost',
    title: 'Idle resource',
    description:
      'A compute resource whose CPU stays under 5 % at p95 (and under 10 % at its peak, when given) with ' +
      'almost no network traffic (p95 under 1) does no useful work: its whole monthly cost is waste. AWS ' +
      'Compute Optimizer calls an instance idle under similar thresholds over 14 days.',
    remediation:
      'Confirm with the owner, snapshot what must be kept, then stop or terminate it (or schedule it off ' +
      'outside working hours).',
  },
  COST002: {
    id: 'COST002',
    severity: 'medium',
    category: 'cost',
    title: 'Under-used resource: a smaller size fits',
    description:
      'The p95 CPU and memory utilisation × headroom (default 1.2) fit a cheaper size of the same family in ' +
      'the built-in catalog (peaks, when given, fit without headroom). Without memory utilisation the memory ' +
      'is kept. The saving is the monthly cost × (1 − new price ÷ current price).',
    remediation:
      'Resize to the recommended type during a maintenance window and watch p95 utilisation after.',
  },
  COST003: {
    id: 'COST003',
    severity: 'medium',
    category: 'cost',
    title: 'Steady on-demand usage: commit with a Savings Plan or reservation',
    description:
      'A compute resource billed on demand that runs ≥ 95 % of the hours and has existed ≥ 30 days (when ' +
      'given) is a commitment candidate. The saving uses typical 1-year no-upfront discounts: EC2 Compute ' +
      'Savings Plan 28 %, Fargate 20 %, Lambda 12 %, RDS reserved instance 31 %, ElastiCache reserved node ' +
      '30 %, applied to the cost left after the other recommendations for the resource.',
    remediation:
      'Buy a Compute Savings Plan (EC2, Fargate, Lambda) or reserved instances / nodes (RDS, ElastiCache) for ' +
      'the steady baseline, after rightsizing.',
  },
  COST004: {
    id: 'COST004',
    severity: 'low',
    category: 'cost',
    title: 'Old snapshot',
    description:
      'An EBS or RDS snapshot older than 90 days (`snapshotMaxAgeDays`) that no retention policy expires keeps ' +
      'costing storage every month; old manual snapshots are rarely restored.',
    remediation:
      'Delete it or move it to EBS Snapshots Archive, and let Data Lifecycle Manager / AWS Backup expire snapshots.',
  },
  COST005: {
    id: 'COST005',
    severity: 'medium',
    category: 'cost',
    title: 'Unattached volume or idle Elastic IP',
    description:
      'An EBS volume attached to no instance, or an Elastic IP associated with nothing, is billed in full ' +
      '(volumes by provisioned GB, an idle address $0.005 per hour).',
    remediation: 'Snapshot the volume if its data matters, then delete it; release the Elastic IP.',
  },
  COST006: {
    id: 'COST006',
    severity: 'low',
    category: 'cost',
    title: 'Previous-generation type',
    description:
      'A previous-generation instance family (m4, c4, r4, t2, db.m4, cache.r4, …) costs as much or more than ' +
      'the current generation for less performance; gp2 (and magnetic) volumes cost 20 % more than gp3 at ' +
      'the same size with a lower baseline. The recommendation is the cheapest current-generation x86 type ' +
      'of the same class and size (m7i for the newest Intel, m7g on Graviton: COST007).',
    remediation: 'Move to the recommended type (a stop / start for EC2); modify gp2 volumes to gp3 in place.',
  },
  COST007: {
    id: 'COST007',
    severity: 'low',
    category: 'cost',
    title: 'Graviton candidate',
    description:
      'An x86 EC2, RDS (MySQL, PostgreSQL, MariaDB, Aurora) or ElastiCache type with an arm64 Graviton ' +
      'equivalent of the same size in the catalog that costs less. Windows instances and RDS for SQL Server ' +
      'or Oracle are not candidates.',
    remediation:
      'Build the workload for arm64 (most runtimes and managed engines need no change) and move to the ' +
      'recommended type.',
  },
  COST008: {
    id: 'COST008',
    severity: 'low',
    category: 'cost',
    title: 'Bucket without lifecycle rules',
    description:
      'An S3 bucket with no lifecycle configuration keeps every object (and noncurrent version, and ' +
      'incomplete multipart upload) in its first storage class forever. The saving is estimated at 20 % of ' +
      'its monthly cost (tiering and expiry of old data).',
    remediation:
      'Add lifecycle rules: Intelligent-Tiering or Standard-IA after 30 days, expiry of noncurrent versions, ' +
      'AbortIncompleteMultipartUpload after 7 days.',
  },
} as const satisfies Record<CostRuleId, CostRule>;

export const COST_RULES: RuleCatalog = ruleCatalog(Object.values(RULES));

export const DEFAULTS = {
  headroom: 1.2,
  snapshotMaxAgeDays: 90,
  idleCpuP95Percent: 5,
  idleCpuMaxPercent: 10,
  idleNetworkP95: 1,
  steadyUptimePercent: 95,
  steadyMinAgeDays: 30,
  forecastDays: 30,
} as const;
