/**
 * The network, compute, cluster and container rules of the IaC scan as one
 * catalog (../../scan/catalog.ts), implemented once against the cloud
 * resource model (shared/analysis/iac/checks-network.ts) for every provider.
 * Rules about AWS resources have CloudFormation and Terraform samples;
 * Azure, GCP and Alicloud ones Terraform samples. `references` names
 * checkov's check for the same idea.
 */
import { defineRules, type RuleSample } from '../../scan/catalog.js';

function cfn(resources: string, line?: number): RuleSample {
  return {
    path: 'template.yaml',
    content: `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n${resources}\n`,
    ...(line === undefined ? {} : { line }),
  };
}

function tf(content: string, line?: number): RuleSample {
  return { path: 'main.tf', content: `${content.trim()}\n`, ...(line === undefined ? {} : { line }) };
}

const HTTPS_LISTENER_CFN =
  '  Secure:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1\n      Port: 443\n      Protocol: HTTPS\n      Certificates: [{ CertificateArn: arn:aws:acm:eu-west-1:111122223333:certificate/1 }]\n      DefaultActions: [{ Type: forward, TargetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1 }]';
const HTTPS_LISTENER_TF = (policy: string) =>
  `resource "aws_lb_listener" "https" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 443\n  protocol          = "HTTPS"\n  ssl_policy        = "${policy}"\n  certificate_arn   = aws_acm_certificate.web.arn\n\n  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}`;

const EKS_CFN =
  '  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: arn:aws:iam::111122223333:role/eks';
const EKS_VPC = '      ResourcesVpcConfig:\n        SubnetIds: [subnet-1, subnet-2]';
const EKS_PRIVATE =
  '      ResourcesVpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        EndpointPublicAccess: false\n        EndpointPrivateAccess: true';
const EKS_TF = (inside: string, vpc = '  vpc_config {\n    subnet_ids = ["subnet-1", "subnet-2"]\n  }') =>
  tf(
    `resource "aws_eks_cluster" "main" {\n  name     = "main"\n  role_arn = aws_iam_role.cluster.arn\n${inside}\n${vpc}\n}`,
  );

const AKS = (inside: string) =>
  `resource "azurerm_kubernetes_cluster" "main" {\n  name                = "main"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  dns_prefix          = "main"\n${inside}\n  default_node_pool {\n    name       = "default"\n    node_count = 2\n    vm_size    = "Standard_D2_v2"\n  }\n}`;
const GKE = (inside: string) =>
  `resource "google_container_cluster" "main" {\n  name               = "main"\n  location           = "europe-west1"\n  initial_node_count = 1\n${inside}\n}`;

const ECR_CFN = '  Images:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: shop';
const ECR_TF = (inside: string) =>
  tf(`resource "aws_ecr_repository" "shop" {\n  name = "shop"\n${inside}\n}`);

const SEARCH_CFN = (options: string) =>
  `  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      EngineVersion: OpenSearch_2.11\n${options}`;
const SEARCH_OK_CFN =
  '      EncryptionAtRestOptions: { Enabled: true }\n      NodeToNodeEncryptionOptions: { Enabled: true }\n      DomainEndpointOptions:\n        EnforceHTTPS: true\n        TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07';
const SEARCH_TF = (inside: string) =>
  tf(
    `resource "aws_opensearch_domain" "search" {\n  domain_name    = "search"\n  engine_version = "OpenSearch_2.11"\n${inside}\n}`,
  );
const SEARCH_OK_TF =
  '  encrypt_at_rest {\n    enabled = true\n  }\n  node_to_node_encryption {\n    enabled = true\n  }\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n  }';

const WEB_APP = (inside: string, site = '') =>
  tf(
    `resource "azurerm_linux_web_app" "shop" {\n  name                = "shop"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  service_plan_id     = azurerm_service_plan.shop.id\n${inside}\n  site_config {\n${site}\n  }\n}`,
  );

export const IAC_NETWORK_RULES = defineRules('security-scanner', [
  {
    id: 'IAC-LB-HTTP-LISTENER',
    severity: 'high',
    category: 'security',
    title: 'Load balancer listener on plain HTTP',
    description:
      'A load balancer listener takes plain HTTP and forwards it instead of redirecting to HTTPS: AWS aws_lb_listener / aws_alb_listener and AWS::ElasticLoadBalancingV2::Listener (protocol HTTP, the Terraform default, with a default action that is not a redirect to HTTPS), classic load balancers (aws_elb `listener` with lb_protocol http, AWS::ElasticLoadBalancing::LoadBalancer Listeners with Protocol HTTP). Credentials and session cookies cross the network in clear.',
    remediation:
      'Serve HTTPS with an ACM certificate, and make the port-80 listener a redirect to HTTPS (default action `redirect` with protocol HTTPS, status HTTP_301).',
    cwe: ['CWE-319'],
    references: ['checkov CKV_AWS_2', 'checkov CKV2_AWS_20'],
    samples: {
      bad: [
        cfn(
          '  Web:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: forward\n          TargetGroupArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1',
          8,
        ),
        tf(
          'resource "aws_lb_listener" "web" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n\n  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.web.arn\n  }\n}',
          4,
        ),
        tf(
          'resource "aws_elb" "legacy" {\n  name               = "legacy"\n  availability_zones = ["eu-west-1a"]\n\n  listener {\n    instance_port     = 8080\n    instance_protocol = "http"\n    lb_port           = 80\n    lb_protocol       = "http"\n  }\n}',
          5,
        ),
      ],
      good: [
        cfn(
          '  Web:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      LoadBalancerArn: arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: redirect\n          RedirectConfig: { Protocol: HTTPS, Port: "443", StatusCode: HTTP_301 }',
        ),
        tf(
          'resource "aws_lb_listener" "web" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n\n  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-LB-TLS-POLICY',
    severity: 'medium',
    category: 'security',
    title: 'Load balancer TLS policy allows TLS 1.0 or 1.1',
    description:
      'An HTTPS/TLS listener (aws_lb_listener / aws_alb_listener `ssl_policy`, AWS::ElasticLoadBalancingV2::Listener `SslPolicy`) names an ELB security policy whose minimum is TLS 1.0 or 1.1 (ELBSecurityPolicy-2016-08, -TLS-1-0-2015-04, -TLS-1-1-2017-01, -FS-2018-06 …): clients can be downgraded to protocols with known weaknesses.',
    remediation:
      'Use a TLS 1.2+ policy: ELBSecurityPolicy-TLS13-1-2-2021-06 (the current default) or ELBSecurityPolicy-TLS13-1-3-2021-06.',
    cwe: ['CWE-326'],
    references: ['checkov CKV_AWS_103'],
    samples: {
      bad: [
        cfn(`${HTTPS_LISTENER_CFN}\n      SslPolicy: ELBSecurityPolicy-2016-08`, 11),
        tf(HTTPS_LISTENER_TF('ELBSecurityPolicy-TLS-1-1-2017-01'), 5),
      ],
      good: [
        cfn(`${HTTPS_LISTENER_CFN}\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06`),
        tf(HTTPS_LISTENER_TF('ELBSecurityPolicy-TLS13-1-2-2021-06')),
      ],
    },
  },
  {
    id: 'IAC-SUBNET-PUBLIC-IP',
    severity: 'medium',
    category: 'security',
    title: 'Subnet gives every instance a public IP',
    description:
      'aws_subnet `map_public_ip_on_launch = true` / AWS::EC2::Subnet `MapPublicIpOnLaunch: true`: every instance launched in the subnet gets a public address, so one open security group rule exposes it to the internet.',
    remediation:
      'Keep instances in private subnets behind a load balancer or NAT gateway; assign public addresses explicitly (an Elastic IP) where one is needed.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AWS_130'],
    samples: {
      bad: [
        cfn(
          '  Public:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: true',
          8,
        ),
        tf(
          'resource "aws_subnet" "public" {\n  vpc_id                  = aws_vpc.main.id\n  cidr_block              = "10.0.1.0/24"\n  map_public_ip_on_launch = true\n}',
          4,
        ),
      ],
      good: [
        cfn(
          '  Private:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-1\n      CidrBlock: 10.0.1.0/24\n      MapPublicIpOnLaunch: false',
        ),
        tf(
          'resource "aws_subnet" "private" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.1.0/24"\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-INSTANCE-PUBLIC-IP',
    severity: 'medium',
    category: 'security',
    title: 'Virtual machine with a public IP address',
    description:
      'A machine reachable from the internet by its own address: AWS aws_instance `associate_public_ip_address = true` (and launch template network interfaces), AWS::EC2::Instance / LaunchTemplate NetworkInterfaces `AssociatePublicIpAddress: true`; GCP google_compute_instance with an `access_config` (external IP) on a network interface; Azure azurerm_network_interface with a `public_ip_address_id`.',
    remediation:
      "Reach machines through a load balancer, a bastion or the provider's session manager (SSM, IAP, Azure Bastion); drop the public address.",
    cwe: ['CWE-284'],
    references: ['checkov CKV_AWS_88', 'checkov CKV_GCP_40', 'checkov CKV_AZURE_119'],
    samples: {
      bad: [
        cfn(
          '  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      NetworkInterfaces:\n        - DeviceIndex: "0"\n          SubnetId: subnet-1\n          AssociatePublicIpAddress: true',
          10,
        ),
        tf(
          'resource "aws_instance" "web" {\n  ami                         = "ami-12345678"\n  instance_type               = "t3.micro"\n  associate_public_ip_address = true\n}',
          4,
        ),
        tf(
          'resource "google_compute_instance" "web" {\n  name         = "web"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n\n  network_interface {\n    network = "default"\n    access_config {}\n  }\n}',
          14,
        ),
        tf(
          'resource "azurerm_network_interface" "web" {\n  name                = "web"\n  location            = "westeurope"\n  resource_group_name = "rg"\n\n  ip_configuration {\n    name                          = "internal"\n    subnet_id                     = azurerm_subnet.web.id\n    private_ip_address_allocation = "Dynamic"\n    public_ip_address_id          = azurerm_public_ip.web.id\n  }\n}',
          10,
        ),
      ],
      good: [
        cfn(
          '  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-12345678\n      NetworkInterfaces:\n        - DeviceIndex: "0"\n          SubnetId: subnet-1\n          AssociatePublicIpAddress: false',
        ),
        tf(
          'resource "aws_instance" "web" {\n  ami                         = "ami-12345678"\n  instance_type               = "t3.micro"\n  associate_public_ip_address = false\n}',
        ),
        tf(
          'resource "google_compute_instance" "web" {\n  name         = "web"\n  machine_type = "e2-small"\n  zone         = "europe-west1-b"\n\n  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n\n  network_interface {\n    network = "default"\n  }\n}',
        ),
      ],
    },
  },
  {
    id: 'IAC-CLUSTER-LOGGING',
    severity: 'medium',
    category: 'logging',
    title: 'Kubernetes control-plane logging off',
    description:
      'The managed cluster keeps no control-plane (API server, audit) logs: EKS aws_eks_cluster without `enabled_cluster_log_types` (or without "audit") / AWS::EKS::Cluster without `Logging.ClusterLogging.EnabledTypes`; GKE google_container_cluster with `logging_service` or `monitoring_service` "none"; AKS azurerm_kubernetes_cluster with the Log Analytics agent disabled (`addon_profile { oms_agent { enabled = false } }`). Who did what to the cluster cannot be reconstructed.',
    remediation:
      'EKS: enable at least the api, audit and authenticator log types. GKE: keep Cloud Logging and Monitoring on (the default services). AKS: enable the monitoring agent and send the kube-audit logs to Log Analytics with a diagnostic setting.',
    cwe: ['CWE-778'],
    references: ['checkov CKV_AWS_37', 'checkov CKV_GCP_1', 'checkov CKV_GCP_8', 'checkov CKV_AZURE_4'],
    samples: {
      bad: [
        cfn(`${EKS_CFN}\n${EKS_VPC}`, 3),
        EKS_TF(''),
        tf(GKE('  logging_service    = "none"'), 5),
        tf(
          'resource "azurerm_kubernetes_cluster" "aks" {\n  name = "aks"\n  addon_profile {\n    oms_agent {\n      enabled = false\n    }\n  }\n}',
          5,
        ),
      ],
      good: [
        cfn(
          `${EKS_CFN}\n${EKS_VPC}\n      Logging:\n        ClusterLogging:\n          EnabledTypes: [{ Type: api }, { Type: audit }]`,
        ),
        EKS_TF('  enabled_cluster_log_types = ["api", "audit", "authenticator"]'),
        tf(GKE('  logging_service    = "logging.googleapis.com/kubernetes"')),
      ],
    },
  },
  {
    id: 'IAC-CLUSTER-SECRETS-ENCRYPTION',
    severity: 'medium',
    category: 'security',
    title: 'Kubernetes secrets not encrypted with a customer key',
    description:
      'Kubernetes secrets are stored in etcd without envelope encryption under a key the account controls: EKS aws_eks_cluster without `encryption_config` / AWS::EKS::Cluster without `EncryptionConfig`; GKE google_container_cluster without `database_encryption` (or with state DECRYPTED).',
    remediation:
      'EKS: add an encryption_config for the "secrets" resource with a KMS key. GKE: set database_encryption { state = "ENCRYPTED", key_name = <Cloud KMS key> }.',
    cwe: ['CWE-311'],
    references: ['checkov CKV_AWS_58'],
    samples: {
      bad: [cfn(`${EKS_CFN}\n${EKS_VPC}`, 3), EKS_TF('', undefined), tf(GKE(''), 1)],
      good: [
        cfn(
          `${EKS_CFN}\n${EKS_VPC}\n      EncryptionConfig:\n        - Resources: [secrets]\n          Provider: { KeyArn: arn:aws:kms:eu-west-1:111122223333:key/1 }`,
        ),
        EKS_TF(
          '  encryption_config {\n    resources = ["secrets"]\n    provider {\n      key_arn = aws_kms_key.eks.arn\n    }\n  }',
        ),
        tf(
          GKE(
            '  database_encryption {\n    state    = "ENCRYPTED"\n    key_name = google_kms_crypto_key.gke.id\n  }',
          ),
        ),
      ],
    },
  },
  {
    id: 'IAC-CLUSTER-PUBLIC-ENDPOINT',
    severity: 'high',
    category: 'security',
    title: 'Kubernetes API server open to the internet',
    description:
      "The cluster's API endpoint answers anyone: EKS aws_eks_cluster / AWS::EKS::Cluster with the public endpoint on (the default) and public access CIDRs absent or 0.0.0.0/0; AKS azurerm_kubernetes_cluster neither private nor limited by API server authorized IP ranges; GKE google_container_cluster without master authorized networks (or with 0.0.0.0/0) and no private endpoint. Stolen credentials or an API server flaw are exploitable from anywhere.",
    remediation:
      'Make the endpoint private, or list the CIDRs allowed to reach it (EKS public_access_cidrs, AKS api_server_access_profile.authorized_ip_ranges, GKE master_authorized_networks_config).',
    cwe: ['CWE-284'],
    references: [
      'checkov CKV_AWS_38',
      'checkov CKV_AWS_39',
      'checkov CKV_AZURE_6',
      'checkov CKV_AZURE_115',
      'checkov CKV_GCP_18',
      'checkov CKV_GCP_20',
    ],
    samples: {
      bad: [cfn(`${EKS_CFN}\n${EKS_VPC}`, 7), EKS_TF(''), tf(AKS(''), 1), tf(GKE(''), 1)],
      good: [
        cfn(`${EKS_CFN}\n${EKS_PRIVATE}`),
        EKS_TF(
          '',
          '  vpc_config {\n    subnet_ids              = ["subnet-1", "subnet-2"]\n    endpoint_public_access  = false\n    endpoint_private_access = true\n  }',
        ),
        tf(AKS('  private_cluster_enabled = true')),
        tf(
          GKE(
            '  master_authorized_networks_config {\n    cidr_blocks {\n      cidr_block   = "10.0.0.0/8"\n      display_name = "office"\n    }\n  }',
          ),
        ),
      ],
    },
  },
  {
    id: 'IAC-CLUSTER-LEGACY-AUTH',
    severity: 'high',
    category: 'security',
    title: 'Kubernetes cluster with legacy authentication',
    description:
      'Authentication or authorisation that bypasses the cluster\'s identity integration: GKE google_container_cluster with `enable_legacy_abac = true`, basic authentication (master_auth password), an issued client certificate, or node metadata `disable-legacy-endpoints = "false"`; AKS azurerm_kubernetes_cluster with local accounts (local_account_disabled not true), whose static credentials are not tied to Entra ID. ABAC and basic auth are reported high, the rest medium.',
    remediation:
      'GKE: turn legacy ABAC off, drop master_auth username/password and client certificates, keep legacy metadata endpoints disabled. AKS: set local_account_disabled = true with Entra ID (Azure AD) integration.',
    cwe: ['CWE-287'],
    references: ['checkov CKV_GCP_7', 'checkov CKV_GCP_13', 'checkov CKV_GCP_19', 'checkov CKV_AZURE_141'],
    samples: {
      bad: [tf(GKE('  enable_legacy_abac = true'), 5), tf(AKS(''), 1)],
      good: [
        tf(GKE('  enable_legacy_abac = false')),
        tf(
          AKS(
            '  local_account_disabled = true\n  azure_active_directory_role_based_access_control {\n    azure_rbac_enabled = true\n  }',
          ),
        ),
      ],
    },
  },
  {
    id: 'IAC-CLUSTER-RBAC',
    severity: 'high',
    category: 'security',
    title: 'Kubernetes RBAC disabled',
    description:
      'AKS azurerm_kubernetes_cluster with `role_based_access_control_enabled = false` (or a role_based_access_control block with enabled = false): every authenticated user and service account is effectively an administrator.',
    remediation: 'Enable Kubernetes RBAC (it is the default) and grant roles per namespace.',
    cwe: ['CWE-285'],
    references: ['checkov CKV_AZURE_5'],
    samples: {
      bad: [tf(AKS('  role_based_access_control_enabled = false'), 6)],
      good: [tf(AKS('  role_based_access_control_enabled = true'))],
    },
  },
  {
    id: 'IAC-CLUSTER-NETWORK-POLICY',
    severity: 'low',
    category: 'security',
    title: 'Kubernetes network policy not enforced',
    description:
      'The cluster enforces no NetworkPolicy, so any pod can reach any other: AKS azurerm_kubernetes_cluster without `network_profile.network_policy`; GKE google_container_cluster with network_policy absent or disabled (Dataplane V2 and Autopilot enforce policies without it).',
    remediation:
      'AKS: set network_profile { network_policy = "azure" | "calico" | "cilium" }. GKE: enable network_policy or use Dataplane V2 (datapath_provider = "ADVANCED_DATAPATH"); then write policies per namespace.',
    cwe: ['CWE-284'],
    references: ['checkov CKV_AZURE_7', 'checkov CKV_GCP_12'],
    samples: {
      bad: [tf(AKS(''), 1), tf(GKE('  network_policy {\n    enabled = false\n  }'), 5)],
      good: [
        tf(AKS('  network_profile {\n    network_plugin = "azure"\n    network_policy = "calico"\n  }')),
        tf(GKE('  network_policy {\n    enabled  = true\n    provider = "CALICO"\n  }')),
      ],
    },
  },
  {
    id: 'IAC-REGISTRY-MUTABLE-TAGS',
    severity: 'medium',
    category: 'security',
    title: 'Container registry tags are mutable',
    description:
      'aws_ecr_repository `image_tag_mutability` / AWS::ECR::Repository `ImageTagMutability` is MUTABLE, the default: whoever can push can replace what `shop:1.4.2` means, and deployments by tag run an image nobody reviewed.',
    remediation: 'Set the mutability to IMMUTABLE and deploy by tag or digest.',
    cwe: ['CWE-494'],
    references: ['checkov CKV_AWS_51'],
    samples: {
      bad: [cfn(ECR_CFN, 3), ECR_TF('  image_tag_mutability = "MUTABLE"')],
      good: [
        cfn(`${ECR_CFN}\n      ImageTagMutability: IMMUTABLE`),
        ECR_TF('  image_tag_mutability = "IMMUTABLE"'),
      ],
    },
  },
  {
    id: 'IAC-REGISTRY-SCAN-ON-PUSH',
    severity: 'medium',
    category: 'security',
    title: 'Container images not scanned on push',
    description:
      'aws_ecr_repository without `image_scanning_configuration { scan_on_push = true }` / AWS::ECR::Repository without `ImageScanningConfiguration.ScanOnPush: true`: known vulnerabilities in pushed images go unreported.',
    remediation:
      'Turn scan on push on (or enhanced scanning for the registry with Amazon Inspector) and act on its findings.',
    cwe: ['CWE-1104'],
    references: ['checkov CKV_AWS_163'],
    samples: {
      bad: [
        cfn(`${ECR_CFN}\n      ImageScanningConfiguration:\n        ScanOnPush: false`, 8),
        ECR_TF('  image_scanning_configuration {\n    scan_on_push = false\n  }'),
      ],
      good: [
        cfn(`${ECR_CFN}\n      ImageScanningConfiguration:\n        ScanOnPush: true`),
        ECR_TF('  image_scanning_configuration {\n    scan_on_push = true\n  }'),
      ],
    },
  },
  {
    id: 'IAC-SEARCH-ENCRYPTION',
    severity: 'high',
    category: 'security',
    title: 'Search domain without encryption',
    description:
      'An Elasticsearch / OpenSearch domain (aws_elasticsearch_domain, aws_opensearch_domain, AWS::Elasticsearch::Domain, AWS::OpenSearchService::Domain) without encryption at rest (high) or node-to-node encryption (medium): indexed documents sit on disk, or travel between nodes, in clear.',
    remediation:
      'Enable encrypt_at_rest (EncryptionAtRestOptions) with a KMS key and node_to_node_encryption (NodeToNodeEncryptionOptions); both need a new domain on old engine versions.',
    cwe: ['CWE-311'],
    references: ['checkov CKV_AWS_5', 'checkov CKV_AWS_6'],
    samples: {
      bad: [
        cfn(SEARCH_CFN('      EncryptionAtRestOptions:\n        Enabled: false'), 8),
        SEARCH_TF('  encrypt_at_rest {\n    enabled = false\n  }'),
      ],
      good: [cfn(SEARCH_CFN(SEARCH_OK_CFN)), SEARCH_TF(SEARCH_OK_TF)],
    },
  },
  {
    id: 'IAC-SEARCH-HTTPS',
    severity: 'high',
    category: 'security',
    title: 'Search domain endpoint without enforced HTTPS',
    description:
      'An Elasticsearch / OpenSearch domain whose endpoint accepts plain HTTP (domain_endpoint_options / DomainEndpointOptions absent, or enforce_https / EnforceHTTPS false), or whose TLS policy still allows TLS 1.0 (Policy-Min-TLS-1-0-2019-07, reported medium).',
    remediation:
      'Set enforce_https = true and tls_security_policy = "Policy-Min-TLS-1-2-2019-07" (or a newer PFS policy).',
    cwe: ['CWE-319'],
    references: ['checkov CKV_AWS_83', 'checkov CKV_AWS_228'],
    samples: {
      bad: [
        cfn(SEARCH_CFN('      DomainEndpointOptions:\n        EnforceHTTPS: false'), 8),
        SEARCH_TF(
          '  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"\n  }',
        ),
      ],
      good: [cfn(SEARCH_CFN(SEARCH_OK_CFN)), SEARCH_TF(SEARCH_OK_TF)],
    },
  },
  {
    id: 'IAC-WEBAPP-HTTPS',
    severity: 'medium',
    category: 'security',
    title: 'App Service site accepts plain HTTP',
    description:
      'An Azure App Service site (azurerm_app_service, azurerm_linux_web_app, azurerm_windows_web_app and the function app types) without `https_only = true` (off by default): the site answers HTTP and sends cookies and tokens in clear.',
    remediation: 'Set https_only = true.',
    cwe: ['CWE-319'],
    references: ['checkov CKV_AZURE_14'],
    samples: {
      bad: [WEB_APP('  https_only          = false')],
      good: [WEB_APP('  https_only          = true')],
    },
  },
  {
    id: 'IAC-WEBAPP-TLS',
    severity: 'medium',
    category: 'security',
    title: 'App Service site allows TLS older than 1.2',
    description:
      'An Azure App Service site whose site_config sets `minimum_tls_version` (azurerm_linux_web_app, azurerm_windows_web_app) or `min_tls_version` (azurerm_app_service) below 1.2: clients may negotiate TLS 1.0 / 1.1 with known weaknesses.',
    remediation: 'Set the minimum TLS version to "1.2" (the provider default) or higher.',
    cwe: ['CWE-326'],
    references: ['checkov CKV_AZURE_15'],
    samples: {
      bad: [{ ...WEB_APP('  https_only          = true', '    minimum_tls_version = "1.0"'), line: 8 }],
      good: [WEB_APP('  https_only          = true', '    minimum_tls_version = "1.2"')],
    },
  },
] as const);
