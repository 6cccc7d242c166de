/** Code patterns per language: the dangerous lines are found, their safe neighbours are not. */
import { describe, expect, it } from '@jest/globals';
import { analyzeSecurity } from '../../../shared/agents/security-scanner/analyze.js';
import { scanCode } from '../../../shared/agents/security-scanner/code.js';
import { securityInputSchema } from '../../../shared/agents/security-scanner/schema.js';
import { fixture } from '../../helpers/fixtures.js';

const NOW = new Date('2025-06-01T12:00:00Z');

async function scan(name: string) {
  const files = [{ path: `src/${name}`, content: fixture(`security/code/${name}`) }];
  const { findings } = await analyzeSecurity(securityInputSchema.parse({ files }), {
    traceId: 'test',
    now: NOW,
  });
  return findings
    .map((f) => [f.resource?.line, f.ruleId, f.severity])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe('code patterns', () => {
  it('JavaScript: SQL by concatenation and template, shell command, eval, MD5 password, TLS off', async () => {
    expect(await scan('reports-controller.js')).toEqual([
      [11, 'CODE-SQL-INJECTION', 'high'],
      [16, 'CODE-SQL-INJECTION', 'high'],
      [23, 'CODE-COMMAND-INJECTION', 'critical'],
      [30, 'CODE-EVAL', 'high'],
      [35, 'CODE-WEAK-HASH', 'high'],
      [38, 'CODE-TLS-DISABLED', 'high'],
    ]);
  });

  it('TypeScript: tagged sql templates, query builders, placeholders, ETags and RegExp.exec pass', async () => {
    expect(await scan('safe-repository.ts')).toEqual([]);
  });

  it('Python: f-string and % SQL, os.system, verify=False, yaml.load, pickle of input, SHA-1 password, eval', async () => {
    expect(await scan('billing.py')).toEqual([
      [11, 'CODE-SQL-INJECTION', 'high'],
      [16, 'CODE-SQL-INJECTION', 'high'],
      [26, 'CODE-COMMAND-INJECTION', 'high'],
      [31, 'CODE-TLS-DISABLED', 'high'],
      [36, 'CODE-UNSAFE-DESERIALIZATION', 'high'],
      [45, 'CODE-UNSAFE-DESERIALIZATION', 'high'],
      [49, 'CODE-WEAK-HASH', 'high'],
      [59, 'CODE-EVAL', 'medium'],
    ]);
  });

  it('Go: InsecureSkipVerify, fmt.Sprintf SQL, sh -c with concatenation, md5 of a password', async () => {
    expect(await scan('client.go')).toEqual([
      [14, 'CODE-TLS-DISABLED', 'high'],
      [19, 'CODE-SQL-INJECTION', 'high'],
      [28, 'CODE-COMMAND-INJECTION', 'high'],
      [32, 'CODE-WEAK-HASH', 'high'],
    ]);
  });

  it('Java: concatenated query, SHA-1 password, a verifier that accepts any host (not its import)', async () => {
    expect(await scan('UserRepository.java')).toEqual([
      [18, 'CODE-SQL-INJECTION', 'high'],
      [22, 'CODE-WEAK-HASH', 'high'],
      [27, 'CODE-TLS-DISABLED', 'high'],
    ]);
  });

  it('skips comments, block comments and literal arguments', () => {
    // Arrange
    const content = [
      '// eval(req.body.code) would be a disaster',
      '/* const q = "SELECT * FROM t WHERE id = " + id;',
      '   rejectUnauthorized: false */',
      'const one = eval("1 + 1");',
      'const q = "SELECT * FROM t WHERE id = $1"; // + id',
    ].join('\n');

    // Act
    const findings = scanCode({ path: 'lib/x.js', content });

    // Assess
    expect(findings).toEqual([]);
  });

  it('finds NODE_TLS_REJECT_UNAUTHORIZED=0 and PYTHONHTTPSVERIFY=0 in any text file, not in comments', () => {
    // Act
    const env = scanCode({
      path: '.env',
      content: '# NODE_TLS_REJECT_UNAUTHORIZED=0 is never acceptable\nNODE_TLS_REJECT_UNAUTHORIZED=0\n',
    });
    const yaml = scanCode({
      path: 'k8s/deployment.yaml',
      content:
        'env:\n  - name: NODE_TLS_REJECT_UNAUTHORIZED\n    value: "1"\n  - name: PYTHONHTTPSVERIFY\n    value: "0"\n',
    });
    const docs = scanCode({
      path: 'docs/proxy.md',
      content: 'Never set `NODE_TLS_REJECT_UNAUTHORIZED=0`.\n',
    });
    const docker = scanCode({
      path: 'Dockerfile',
      content: 'FROM node:24\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n',
    });

    // Assess
    expect(env.map((f) => [f.ruleId, f.resource?.line])).toEqual([['CODE-TLS-DISABLED', 2]]);
    expect(yaml.map((f) => [f.ruleId, f.resource?.line])).toEqual([['CODE-TLS-DISABLED', 4]]);
    expect(docker.map((f) => f.resource?.line)).toEqual([2]);
    expect(docs).toEqual([]);
  });

  it('judges every argument of new Function', () => {
    // Act
    const literal = scanCode({
      path: 'a.js',
      content: "const add = new Function('a', 'b', 'return a + b');\n",
    });
    const built = scanCode({ path: 'a.js', content: "const run = new Function('ctx', compiled.text);\n" });

    // Assess
    expect(literal).toEqual([]);
    expect(built.map((f) => [f.ruleId, f.severity])).toEqual([['CODE-EVAL', 'medium']]);
  });

  it('lowers SQL built from constants or placeholder lists to medium', () => {
    // Act
    const findings = scanCode({
      path: 'db.ts',
      content: `const q = db.query(\`SELECT \${COLUMNS} FROM \${TABLE} WHERE id = $1\`, [id]);\n`,
    });

    // Assess
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['CODE-SQL-INJECTION', 'medium']]);
  });
});
