/**
 * What every lockfile reader returns (./lockfiles.ts): the packages a
 * lockfile pins, with what the lockfile says about each — the line, where it
 * is installed, its declared licence, integrity hash, deprecation, whether
 * only development tools need it — and the edges between them. Readers fill
 * what their format holds and leave the rest out: security-scanner matches
 * advisories on name and version alone; dependency-analyzer builds the tree,
 * the licence table and the SBOM from the rest.
 */
import type { Ecosystem } from './versions.js';

export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  file: string;
  line?: number;
  /** Where it is installed (package-lock paths), when more than one place. */
  paths?: string[];
  /** The licence as the lockfile declares it (an SPDX expression, usually). */
  license?: string;
  /** A Subresource Integrity string (`sha512-…`) or `alg:hex` checksum of the artifact. */
  integrity?: string;
  /** The registry's deprecation message, when the lockfile records it (npm). */
  deprecated?: string;
  /** Only development or test tooling needs it (npm `dev`, poetry `dev` group, Maven `test` scope). */
  dev?: boolean;
  /** Keys (`packageKey`) of the packages it depends on, in this lockfile. */
  dependsOn?: string[];
}

/** One lockfile read: its packages, the project's direct dependencies, what could not be read. */
export interface Lockfile {
  file: string;
  /** The format, as `lockfileKind` names it. */
  kind: string;
  ecosystem: Ecosystem;
  packages: LockedPackage[];
  /** Keys of the packages the project itself declares, when the lockfile records them. */
  direct?: string[];
  /** The project the lockfile belongs to, when it names it. */
  project?: { name: string; version?: string; license?: string };
  /** The file records each package's licence (npm lockfileVersion 2 and 3, composer.lock): a missing one means none. */
  recordsLicenses?: boolean;
  /** Why the file could not be read (invalid JSON, TOML or YAML); its packages are then empty. */
  problem?: { message: string; line?: number };
}

/** The identity of a package within one lockfile. */
export const packageKey = (name: string, version: string): string => `${name}@${version}`;

export const keyOf = (pkg: Pick<LockedPackage, 'name' | 'version'>): string =>
  packageKey(pkg.name, pkg.version);

/** A file as the readers take it: the path decides the format. */
export interface SourceFile {
  path: string;
  content: string;
}
