/**
 * K8S040: secrets in ConfigMaps. A ConfigMap is readable by anyone with
 * `get configmaps` and is not encrypted at rest like Secrets can be. Each key
 * is judged by the same classifier as environment variables (./secrets.ts):
 * a one-line value by its key's name, a file (`.env`, properties, YAML) line
 * by line. Placeholders are low; values are never echoed.
 */
import type { CheckContext } from './check-context.js';
import { at, isJson, type ManifestObject } from './manifests.js';
import { classifyEnvValue, type SecretVerdict } from './secrets.js';

/** `KEY=value`, `key: value`, `key = "value"` lines of a config file. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[=:]\s*(.*?)\s*$/;

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

type Hit = { name: string; verdict: Extract<SecretVerdict, { secret: true }> };

function secretIn(key: string, value: string): Hit | undefined {
  if (!value.includes('\n')) {
    const verdict = classifyEnvValue(key, unquote(value.trim()));
    return verdict.secret ? { name: key, verdict } : undefined;
  }
  let placeholderHit: Hit | undefined;
  for (const line of value.split('\n')) {
    const match = ASSIGNMENT.exec(line);
    if (match === null) continue;
    const name = match[1] ?? '';
    const verdict = classifyEnvValue(name.split('.').pop() ?? name, unquote(match[2] ?? ''));
    if (!verdict.secret) continue;
    if (!verdict.placeholder) return { name, verdict };
    placeholderHit ??= { name, verdict };
  }
  return placeholderHit;
}

function checkConfigMap(configMap: ManifestObject, ctx: CheckContext): void {
  const data = at(configMap.value, ['data']);
  if (!isJson(data)) return;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') continue;
    const hit = secretIn(key, value);
    if (hit === undefined) continue;
    const { verdict } = hit;
    ctx.report.add(
      'K8S040',
      configMap,
      ['data', key],
      `ConfigMap ${configMap.name} holds ${hit.name === key ? key : `${hit.name} in ${key}`} (masked)${verdict.placeholder ? ', which looks like a placeholder' : ''}: ConfigMaps are readable by anyone who can list them; use a Secret.`,
      {
        key: [key],
        ...(verdict.placeholder ? { severity: 'low' as const } : {}),
        evidence: { key, name: hit.name, value: '[masked]', reason: verdict.reason },
      },
    );
  }
}

export function checkConfigData(ctx: CheckContext): void {
  for (const object of ctx.inventory.objects) if (object.kind === 'ConfigMap') checkConfigMap(object, ctx);
}
