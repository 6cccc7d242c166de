/**
 * What kustomization files in the input change about the manifests next to
 * them, as `kustomize build` would: files listed as patches
 * (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`) hold
 * partial objects, not resources, so they are not checked as workloads; and an
 * `images:` entry that sets `newTag` or `digest` retags every image of that
 * name (K8S006). Analysing the rendered output (`kustomize build`) is still
 * the most precise; this keeps a raw base + overlays tree from reporting
 * what the build fixes.
 */
import { basename, posix } from 'node:path';
import { isJson, text } from './manifests.js';

export interface KustomizeImage {
  newTag?: string;
  digest?: string;
}

export interface KustomizeInfo {
  /** Normalised paths of files used as patches. */
  patchFiles: ReadonlySet<string>;
  /** `images:` entries by the image name they match. */
  images: ReadonlyMap<string, KustomizeImage>;
}

const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

export function normalisePath(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/')).replace(/^\.\//, '');
}

export function isKustomization(path: string): boolean {
  return KUSTOMIZATION.has(basename(path.replaceAll('\\', '/')));
}

function patchPaths(kustomization: Record<string, unknown>): string[] {
  const paths: string[] = [];
  const strategic = kustomization.patchesStrategicMerge;
  // An entry with a newline is an inline patch, not a path.
  if (Array.isArray(strategic))
    paths.push(...strategic.filter((p): p is string => typeof p === 'string' && !p.includes('\n')));
  for (const field of ['patches', 'patchesJson6902'] as const) {
    const list = kustomization[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const path = isJson(entry) ? text(entry.path) : undefined;
      if (path !== undefined) paths.push(path);
    }
  }
  return paths;
}

/** What the kustomization files among the read files say (their documents, read once with the manifests). */
export function kustomizeInfo(
  files: readonly { path: string; documents: readonly unknown[] }[],
): KustomizeInfo {
  const patchFiles = new Set<string>();
  const images = new Map<string, KustomizeImage>();
  for (const file of files) {
    if (!isKustomization(file.path)) continue;
    const dir = posix.dirname(normalisePath(file.path));
    for (const value of file.documents) {
      if (!isJson(value)) continue;
      for (const path of patchPaths(value)) patchFiles.add(normalisePath(posix.join(dir, path)));
      addImages(value, images);
    }
  }
  return { patchFiles, images };
}

/** `images:` entries that set newTag or digest. */
function addImages(kustomization: Record<string, unknown>, images: Map<string, KustomizeImage>): void {
  const list = Array.isArray(kustomization.images) ? kustomization.images : [];
  for (const entry of list) {
    if (!isJson(entry)) continue;
    const name = text(entry.name);
    const newTag =
      text(entry.newTag) ?? (typeof entry.newTag === 'number' ? String(entry.newTag) : undefined);
    const digest = text(entry.digest);
    if (name === undefined || (newTag === undefined && digest === undefined)) continue;
    images.set(name, {
      ...(newTag === undefined ? {} : { newTag }),
      ...(digest === undefined ? {} : { digest }),
    });
  }
}

/** The repository part of an image reference: `ghcr.io/acme/api:1.2@sha256:…` → `ghcr.io/acme/api`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}
