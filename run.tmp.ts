import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runAgent, loadAgent } from './shared/agents/registry.js';
const agent = await loadAgent('k8s-optimizer');
function walk(d: string): string[] { return statSync(d).isDirectory() ? readdirSync(d).flatMap((f) => walk(join(d, f))) : [d]; }
const files = process.argv.slice(2).flatMap(walk).map((path) => ({ path, content: readFileSync(path, 'utf8') }));
const r: any = await runAgent('k8s-optimizer', agent.fromFiles!(files, []), { traceId: 't', now: new Date('2026-06-01T12:00:00Z') });
for (const f of r.findings) console.log(f.ruleId, f.severity, f.suppressed ? 'S' : '', `${f.resource?.file}:${f.resource?.line}`, f.resource?.name, '|', f.message);
console.log(r.summary, JSON.stringify(r.skipped));
