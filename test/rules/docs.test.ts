/**
 * The rules reference in docs/rules is generated from the catalogs
 * (`aiops rules docs`): a page that differs from its catalog fails here, so
 * the docs never describe rules the code does not have.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RULES_DOCS_DIR, rulesPages } from '../../bin/commands/rules.js';
import { defineRules } from '../../shared/agents/scan/catalog.js';
import { rulesMarkdown } from '../../shared/agents/scan/docs.js';

const root = new URL('../..', import.meta.url).pathname;

describe('docs/rules', () => {
  it('holds the page each catalog generates', async () => {
    const pages = await rulesPages();
    for (const [file, content] of pages) {
      const current = (() => {
        try {
          return readFileSync(`${root}${RULES_DOCS_DIR}/${file}`, 'utf8');
        } catch {
          return `(missing ${file}: run npx tsx bin/aiops.ts rules docs)`;
        }
      })();
      expect([file, current]).toEqual([file, content]);
    }
  });

  it('shows each rule with why, how to fix and its samples, fenced safely', () => {
    const catalog = defineRules('demo', [
      {
        id: 'DEMO001',
        severity: 'high',
        category: 'security',
        title: 'Pipe | in a title',
        description: 'Why it matters.',
        remediation: 'What to do.',
        cwe: ['CWE-798'],
        samples: {
          bad: [{ path: 'Dockerfile', content: 'RUN echo ```\n', line: 1 }],
          good: [{ input: { files: [] }, why: 'nothing to read' }],
        },
      },
    ]);
    const page = rulesMarkdown({ name: 'demo', description: 'A demo agent.', catalog });
    expect(page).toContain('| [DEMO001](#demo001) | high | security | Pipe \\| in a title |');
    expect(page).toContain('**Why.** Why it matters.');
    expect(page).toContain('**How to fix.** What to do.');
    expect(page).toContain('CWE-798');
    expect(page).toContain('**Reported** (line 1)');
    expect(page).toContain('````dockerfile\nRUN echo ```\n````');
    expect(page).toContain('_nothing to read_');
  });
});

describe('secret samples in the docs', () => {
  it('shows every credential of the secret rules masked, while the rules are tested on the real samples', async () => {
    // Arrange
    const { findSecrets } = await import('../../shared/analysis/secrets/index.js');
    const { maskCredentials } = await import('../../shared/agents/scan/docs.js');
    const token = `${'gh'}p_${'a1B2c3D4e5F6g7H8i9J0'}${'k1L2m3N4o5P6q7R8'}`;

    // Act
    const page = readFileSync(`${root}${RULES_DOCS_DIR}/security-scanner.md`, 'utf8');
    const shown = maskCredentials(`token = ${token}\nregion = eu-west-1\n`);

    // Assess
    expect(shown).toBe('token = ghp_…(40 chars)\nregion = eu-west-1\n');
    // What the scanner would report on the page (the generic name = value rule aside: its samples are made up).
    const leaks = findSecrets({ path: 'docs/rules/security-scanner.md', content: page }, { now: new Date() })
      .filter((m) => m.credential !== 'generic-secret' && m.lowered === undefined)
      .map((m) => `${m.credential}:${m.line}`);
    expect(leaks).toEqual([]);
  });
});
