/**
 * CloudFormation templates as cost-optimizer input, read through the shared
 * resource model (shared/analysis/iac): every resource that will cost money,
 * priced from the catalog where its size is written (instance classes, node
 * types, volume sizes; us-east-1 on demand, running all month) and otherwise
 * listed as priced by usage, with no price invented. Free plumbing (IAM,
 * networking glue, parameter groups, permissions) is left out.
 */
import { fromCloudFormation } from '../../analysis/iac/from-cloudformation.js';
import type { CloudResource } from '../../analysis/iac/model.js';
import { readTemplate } from '../../analysis/iac/template.js';
import { isObject } from '../../analysis/iac/values.js';
import { catalogType, EBS_GB_MONTH_USD, HOURS_PER_MONTH, hourlyPrice, IDLE_EIP_HOUR_USD } from './catalog.js';
import type { CostResource } from './schema.js';
import type { Sources, TemplateCost } from './sources-model.js';

/** Types that cost nothing by themselves (their cost shows on the resources they configure). */
const FREE =
  /^(?:Custom::|AWS::(?:CDK::|CloudFormation::|IAM::|SSM::Parameter$|KMS::Alias$|Events::Rule$|Backup::Backup(?:Plan|Selection)$|ApplicationAutoScaling::|CertificateManager::Certificate$|CodeDeploy::|Logs::(?:SubscriptionFilter|MetricFilter|ResourcePolicy)$|EC2::(?:SecurityGroup\w*|VPC|VPCGatewayAttachment|Subnet\w*|RouteTable|Route|InternetGateway|EgressOnlyInternetGateway|NetworkAcl\w*|LaunchTemplate|KeyPair|PlacementGroup|DHCPOptions|VPCDHCPOptionsAssociation|NetworkInterface|PrefixList|EIPAssociation|VolumeAttachment)$|Lambda::(?:Permission|EventSourceMapping|Alias|Version|LayerVersion\w*|EventInvokeConfig|Url)$|SNS::(?:Subscription|TopicPolicy)$|SQS::QueuePolicy$|S3::BucketPolicy$|RDS::(?:DBSubnetGroup|DBParameterGroup|DBClusterParameterGroup|OptionGroup|EventSubscription)$|ElastiCache::(?:SubnetGroup|ParameterGroup|SecurityGroup\w*|User|UserGroup)$|Neptune::DB(?:SubnetGroup|ParameterGroup|ClusterParameterGroup)$|DocDB::DB(?:SubnetGroup|ClusterParameterGroup)$|ElasticLoadBalancingV2::(?:Listener\w*|TargetGroup)$|AutoScaling::(?:LaunchConfiguration|ScalingPolicy|ScheduledAction|LifecycleHook)$|ECS::(?:Cluster|TaskDefinition|ClusterCapacityProviderAssociations|CapacityProvider)$|ApiGateway::(?:Resource|Method|Deployment|Model|RequestValidator|Authorizer|GatewayResponse|Account|BasePathMapping)$|ApiGatewayV2::(?:Route|Integration|Stage|Deployment|Authorizer)$|Route53::RecordSet\w*$))/;

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const count = (value: unknown, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** An instance-sized resource priced from the catalog: nodes × hourly × 730, us-east-1. */
function sized(
  r: CloudResource,
  type: string,
  instanceType: string | undefined,
  nodes: number,
  extra: Partial<CostResource> = {},
): CostResource | undefined {
  const known = catalogType(instanceType);
  if (known === undefined || instanceType === undefined) return undefined;
  return {
    type,
    id: r.id,
    instanceType,
    monthlyCost: Math.round(hourlyPrice(known, undefined) * HOURS_PER_MONTH * nodes * 100) / 100,
    ...extra,
  };
}

/** A catalog price for the resource, or undefined (priced by usage, or a type the catalog lacks). */
function priced(
  r: CloudResource,
  p: Record<string, unknown>,
): { resource: CostResource; field: string; basis?: string } | undefined {
  switch (r.type) {
    case 'AWS::EC2::Instance': {
      const resource = sized(r, 'ec2', text(p.InstanceType) ?? 'm1.small', 1);
      return resource && { resource, field: 'InstanceType' };
    }
    case 'AWS::RDS::DBInstance': {
      // The catalog prices single-AZ RDS for PostgreSQL / MySQL; Aurora and licensed engines differ.
      const engine = text(p.Engine) ?? '';
      if (p.DBClusterIdentifier !== undefined || /aurora|oracle|sqlserver/i.test(engine)) return undefined;
      const multiAz = p.MultiAZ === true || p.MultiAZ === 'true';
      const resource = sized(r, 'rds', text(p.DBInstanceClass), multiAz ? 2 : 1, { engine });
      return (
        resource && {
          resource,
          field: 'DBInstanceClass',
          basis: `catalog on-demand price of ${resource.instanceType}${multiAz ? ' × 2 (Multi-AZ standby)' : ''}, us-east-1, all month; storage, I/O and backups by usage`,
        }
      );
    }
    case 'AWS::ElastiCache::CacheCluster': {
      const resource = sized(r, 'elasticache', text(p.CacheNodeType), count(p.NumCacheNodes, 1));
      return resource && { resource, field: 'CacheNodeType' };
    }
    case 'AWS::ElastiCache::ReplicationGroup': {
      const shards = count(p.NumNodeGroups, 1);
      const nodes =
        p.NumCacheClusters !== undefined
          ? count(p.NumCacheClusters, 1)
          : shards * (1 + count(p.ReplicasPerNodeGroup, 0));
      const resource = sized(r, 'elasticache', text(p.CacheNodeType), nodes);
      return (
        resource && {
          resource,
          field: 'CacheNodeType',
          basis: `catalog on-demand price of ${resource.instanceType} × ${nodes} node${nodes === 1 ? '' : 's'}, us-east-1, all month`,
        }
      );
    }
    case 'AWS::EC2::Volume': {
      const size = Number(p.Size);
      const volumeType = text(p.VolumeType) ?? 'gp2';
      const rate = EBS_GB_MONTH_USD[volumeType];
      if (!Number.isFinite(size) || size <= 0 || rate === undefined) return undefined;
      return {
        resource: {
          type: 'ebs',
          id: r.id,
          volumeType,
          sizeGiB: size,
          monthlyCost: Math.round(size * rate * 100) / 100,
        },
        field: 'Size',
        basis: `${size} GiB ${volumeType} at the catalog price per GB-month (us-east-1); snapshots by usage`,
      };
    }
    case 'AWS::EC2::EIP':
      // Every public IPv4 address is billed by the hour, associated or not.
      return {
        resource: {
          type: 'eip',
          id: r.id,
          monthlyCost: Math.round(IDLE_EIP_HOUR_USD * HOURS_PER_MONTH * 100) / 100,
        },
        field: '',
        basis: 'public IPv4 address at the hourly catalog price, all month',
      };
    default:
      return undefined;
  }
}

/** The instance class or node type a resource is billed by the hour for, when written. */
function sizeOf(p: Record<string, unknown>): string | undefined {
  return text(p.InstanceType) ?? text(p.DBInstanceClass) ?? text(p.CacheNodeType) ?? text(p.NodeType);
}

/** A template's resources that cost money into `into`; false when the file is no template. */
export function readCostTemplate(path: string, content: string, into: Sources): boolean {
  const read = readTemplate({ path, content });
  if (read === undefined) return false;
  if ('error' in read) {
    into.problems.push({
      file: path,
      ...(read.line === undefined ? {} : { line: read.line }),
      message: read.error,
    });
    return true;
  }
  const { parameters } = read.template;
  // A size behind a parameter is priced at the parameter's default.
  const literal = (value: unknown) => {
    const name = isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
    const parameter = name === undefined ? undefined : parameters[name];
    return isObject(parameter) && parameter.Default !== undefined ? parameter.Default : value;
  };
  for (const r of fromCloudFormation(read.template)) {
    if (r.kind === 'parameter' || FREE.test(r.type)) continue;
    const props = Object.fromEntries(Object.entries(r.properties).map(([k, v]) => [k, literal(v)]));
    const price = priced(r, props);
    const entry: TemplateCost = {
      file: path,
      id: r.id,
      type: r.type,
      ...(r.line === undefined ? {} : { line: r.line }),
      ...(price?.resource.monthlyCost === undefined
        ? {
            basis:
              sizeOf(props) === undefined
                ? 'priced by usage'
                : `priced per hour of ${sizeOf(props)} (not in the catalog)`,
          }
        : {
            monthlyUsd: price.resource.monthlyCost,
            basis:
              price.basis ??
              `catalog on-demand price of ${price.resource.instanceType ?? r.type}, us-east-1, all month; storage and transfer by usage`,
          }),
    };
    into.templateCosts.push(entry);
    if (price === undefined) continue;
    into.resources.push({
      resource: price.resource,
      file: path,
      lineOf: (sub) =>
        r.lineOf(sub[0] === 'instanceType' || sub[0] === 'volumeType' ? [price.field] : []) ?? r.line,
      fromCur: false,
    });
  }
  return true;
}
