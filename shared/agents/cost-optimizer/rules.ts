/**
 * The cost-optimizer rules as one catalog (shared/agents/scan/catalog.ts),
 * each with inventory samples it must and must not report. Each finding
 * carries the monthly saving of its recommendation
 * (evidence.monthlySavingsUsd); the severity of a rule is also the priority
 * its savings are totalled under.
 *
 * Score policy `savings-share` (shared/agents/scan/score.ts): 100 minus the
 * percentage of the monthly cost the open findings could save.
 */
import { defineRules, type RuleSample } from '../scan/catalog.js';

/** An inventory file of one resource, as `aiops analyze cost-optimizer inventory.yaml` reads it. */
function inventory(resource: string, line?: number): RuleSample {
  return {
    path: 'inventory.yaml',
    content: `resources:\n${resource}`,
    ...(line === undefined ? {} : { line }),
  };
}

export const COST_RULES = defineRules('cost-optimizer', [
  {
    id: 'COST000',
    severity: 'medium',
    category: 'correctness',
    title: 'Inventory file does not parse',
    description:
      'A JSON/YAML inventory, CloudFormation template or Cost and Usage Report CSV that could not be read ' +
      '(syntax error, no known columns, an invalid resource row); its resources were not analysed. When ' +
      'nothing at all was read, each file not understood is reported too, and the run has no score.',
    remediation: 'Fix the file at the reported line, or export the inventory again.',
    samples: {
      bad: [
        {
          path: 'inventory.json',
          content: '{\n  "resources": [\n    { "type": "ec2", "id": "i-1" }\n    { "type": "ebs" }\n  ]\n}\n',
          why: 'A comma is missing between the resources.',
          line: 4,
        },
        inventory('  - type: ec2\n    id: i-0abc\n    monthlyCost: -5\n', 2),
      ],
      good: [inventory('  - type: ec2\n    id: i-0abc\n    monthlyCost: 70\n')],
    },
  },
  {
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
    samples: {
      bad: [
        inventory(
          '  - type: ec2\n    id: i-idle\n    instanceType: m5.large\n    monthlyCost: 70.08\n' +
            '    utilisation:\n      cpu: { p95: 1.2, max: 3 }\n      network: { p95: 0.01 }\n',
          7,
        ),
      ],
      good: [
        inventory(
          '  - type: ec2\n    id: i-busy\n    instanceType: m5.large\n    monthlyCost: 70.08\n' +
            '    utilisation:\n      cpu: { p95: 45, max: 80 }\n      network: { p95: 12 }\n',
        ),
      ],
    },
  },
  {
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
    samples: {
      bad: [
        inventory(
          '  - type: ec2\n    id: i-web\n    instanceType: m5.2xlarge\n    monthlyCost: 280.32\n' +
            '    utilisation:\n      cpu: { p95: 20, max: 35 }\n      memory: { p95: 25, max: 30 }\n' +
            '      network: { p95: 4 }\n',
          4,
        ),
      ],
      good: [
        inventory(
          '  - type: ec2\n    id: i-web\n    instanceType: m5.large\n    monthlyCost: 70.08\n' +
            '    utilisation:\n      cpu: { p95: 70, max: 90 }\n      memory: { p95: 75, max: 85 }\n' +
            '      network: { p95: 4 }\n',
        ),
      ],
    },
  },
  {
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
    samples: {
      bad: [
        inventory(
          '  - type: ec2\n    id: i-api\n    instanceType: m7g.large\n    pricingModel: on-demand\n' +
            '    monthlyCost: 59.57\n    uptime: 100\n    age: 200\n',
          5,
        ),
      ],
      good: [
        inventory(
          '  - type: ec2\n    id: i-api\n    instanceType: m7g.large\n    pricingModel: reserved\n' +
            '    monthlyCost: 59.57\n    uptime: 100\n    age: 200\n',
        ),
      ],
    },
  },
  {
    id: 'COST004',
    severity: 'low',
    category: 'cost',
    title: 'Old snapshot',
    description:
      'An EBS or RDS snapshot older than 90 days (`snapshotMaxAgeDays`) that no retention policy expires keeps ' +
      'costing storage every month; old manual snapshots are rarely restored.',
    remediation:
      'Delete it or move it to EBS Snapshots Archive, and let Data Lifecycle Manager / AWS Backup expire snapshots.',
    samples: {
      bad: [inventory('  - type: snapshot\n    id: snap-old\n    monthlyCost: 25\n    age: 400\n', 5)],
      good: [inventory('  - type: snapshot\n    id: snap-new\n    monthlyCost: 25\n    age: 20\n')],
    },
  },
  {
    id: 'COST005',
    severity: 'medium',
    category: 'cost',
    title: 'Unattached volume or idle Elastic IP',
    description:
      'An EBS volume attached to no instance, or an Elastic IP associated with nothing, is billed in full ' +
      '(volumes by provisioned GB, an idle address $0.005 per hour).',
    remediation: 'Snapshot the volume if its data matters, then delete it; release the Elastic IP.',
    samples: {
      bad: [inventory('  - type: eip\n    id: eipalloc-1\n    monthlyCost: 3.65\n    attached: false\n', 5)],
      good: [inventory('  - type: eip\n    id: eipalloc-2\n    monthlyCost: 0\n    attached: true\n')],
    },
  },
  {
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
    samples: {
      bad: [
        inventory(
          '  - type: ebs\n    id: vol-data\n    volumeType: gp2\n    sizeGiB: 1000\n    monthlyCost: 100\n' +
            '    attached: true\n',
          4,
        ),
      ],
      good: [
        inventory(
          '  - type: ebs\n    id: vol-data\n    volumeType: gp3\n    sizeGiB: 1000\n    monthlyCost: 80\n' +
            '    attached: true\n',
        ),
      ],
    },
  },
  {
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
    samples: {
      bad: [
        inventory(
          '  - type: ec2\n    id: i-x86\n    instanceType: m6i.large\n    pricingModel: reserved\n' +
            '    monthlyCost: 70.08\n',
          4,
        ),
      ],
      good: [
        inventory(
          '  - type: ec2\n    id: i-win\n    instanceType: m6i.large\n    platform: windows\n' +
            '    pricingModel: reserved\n    monthlyCost: 70.08\n',
        ),
      ],
    },
  },
  {
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
    samples: {
      bad: [
        inventory('  - type: s3\n    id: logs-bucket\n    monthlyCost: 230\n    lifecycleRules: false\n', 5),
      ],
      good: [inventory('  - type: s3\n    id: logs-bucket\n    monthlyCost: 230\n    lifecycleRules: 2\n')],
    },
  },
]);

export type CostRuleId = (typeof COST_RULES.rules)[number]['id'];

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
