import { runAgent, loadAgent } from './shared/agents/registry.js';
const agent = await loadAgent('anomaly-detector');
for (const [n, at] of [[200, 190], [240, 230], [260,250]]) {
const rows = ['timestamp,value'];
for (let i = 0; i < n; i++) {
  const t = new Date(Date.UTC(2026, 4, 30, 8, 0) + i * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  const v = i === at ? 97.5 : 20 + ((i * 7) % 5) * 0.8;
  rows.push(`${t},${v}`);
}
const csv = rows.join('\n');
const r = await runAgent('anomaly-detector', agent.fromFiles!([{ path: 'cpu.csv', content: csv }]), { traceId: 't', now: new Date() });
console.log(n, at, JSON.stringify(r.findings.map(f => [f.ruleId, f.severity, f.message])), r.score);
}
