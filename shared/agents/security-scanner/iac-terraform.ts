/**
 * Terraform (HCL and .tf.json) for AWS, Azure, GCP and Alicloud: read and normalised by
 * shared/analysis/iac as one module across the input's files, checked by its
 * rules.
 */
import { fromTerraform } from '../../analysis/iac/from-terraform.js';
import { readTerraform, type TerraformFile, type TerraformRead } from '../../analysis/iac/terraform.js';
import type { Finding, SourceFile } from '../contract.js';
import { iacFindings, parseErrorFinding } from './iac-findings.js';

/** Parses each file (HashiCorp's HCL parser as WASM, loaded only when Terraform is in the input). */
export function parseTerraform(files: readonly SourceFile[]): Promise<TerraformRead[]> {
  return readTerraform(files);
}

export function scanTerraform(files: readonly TerraformRead[]): Finding[] {
  const errors = files.flatMap((f) =>
    'error' in f ? [parseErrorFinding(f.file, `${f.file} does not parse as Terraform: ${f.error}`)] : [],
  );
  const parsed = files.filter((f): f is TerraformFile => !('error' in f));
  return [...errors, ...iacFindings(fromTerraform(parsed))];
}
