/**
 * The data normalisers of every Terraform provider, by resource type, and
 * the provider a type belongs to. ./from-terraform.ts adds these aspects to
 * whatever its own builders give (an `aws_kms_key` keeps its key policy and
 * gains its rotation).
 */
import { ALICLOUD_DATA } from './from-terraform-alicloud.js';
import { AWS_DATA } from './from-terraform-aws-data.js';
import { AZURE_DATA } from './from-terraform-azure.js';
import { GOOGLE_DATA } from './from-terraform-google.js';
import type { CloudProvider } from './model.js';
import type { DataBuild } from './terraform-located.js';

export const DATA_BUILDERS: Readonly<Record<string, DataBuild>> = {
  ...AWS_DATA,
  ...AZURE_DATA,
  ...GOOGLE_DATA,
  ...ALICLOUD_DATA,
};

const PREFIXES: readonly [string, CloudProvider][] = [
  ['aws_', 'aws'],
  ['azurerm_', 'azure'],
  ['google_', 'gcp'],
  ['alicloud_', 'alicloud'],
];

/** The provider of a resource type ('azurerm_storage_account' → 'azure'), if known. */
export function providerOf(type: string): CloudProvider | undefined {
  return PREFIXES.find(([prefix]) => type.startsWith(prefix))?.[1];
}
