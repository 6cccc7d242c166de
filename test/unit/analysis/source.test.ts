/**
 * The shared source front-ends (shared/analysis/source): the tree-sitter
 * loader parses each grammar, gives up within its budget and reports syntax
 * errors; the TypeScript front-end parses a file on its own or in a
 * type-checked program of several, and answers the questions the reviewer
 * and the test generator both ask (function names, callees, branches,
 * imports).
 */
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import {
  namedChildren,
  nodeLine,
  syntaxErrorsOf,
  withSyntaxTree,
} from '../../../shared/analysis/source/treesitter.js';
import {
  calleeName,
  calleeText,
  decisionPoints,
  functionNameOf,
  isFunctionLike,
  namedImports,
  openScriptProgram,
  opensNesting,
  parseScript,
  scriptLanguageOf,
} from '../../../shared/analysis/source/typescript.js';

describe('tree-sitter loader', () => {
  it('parses Python, Go and Java with their grammars', async () => {
    // Prepare: one function per language, on line 2.
    const sources = {
      python: '# tax\ndef total(items):\n    return sum(items)\n',
      go: 'package tax\nfunc Total(items []int) int { return 0 }\n',
      java: 'class Tax {\n  int total() { return 0; }\n}\n',
    } as const;

    // Act
    const kinds = await Promise.all(
      (Object.keys(sources) as (keyof typeof sources)[]).map((language) =>
        withSyntaxTree(language, sources[language], (root) =>
          root
            .descendantsOfType(['function_definition', 'function_declaration', 'method_declaration'])
            .map((node) => (node === null ? '' : `${node.type}@${nodeLine(node)}`)),
        ),
      ),
    );

    // Assess
    expect(kinds).toEqual([['function_definition@2'], ['function_declaration@2'], ['method_declaration@2']]);
  });

  it('lists the syntax errors it recovered from, with their lines', async () => {
    const errors = await withSyntaxTree('python', 'def ok():\n    return 1\n\nx = )\n', syntaxErrorsOf);
    expect(errors?.map((e) => e.line)).toEqual([4]);
    expect(errors?.[0]?.message).toMatch(/^syntax error near/);
  });

  it('gives up on a file it cannot finish within the budget instead of freezing', async () => {
    const garbage = '.'.repeat(200_000);
    const started = performance.now();
    const result = await withSyntaxTree('python', garbage, (root) => namedChildren(root).length, {
      budgetMs: 50,
    });
    expect(result).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('TypeScript front-end', () => {
  it('names functions by their variable, property, class or callback', () => {
    const script = parseScript(
      'src/cart.ts',
      [
        'export const total = (items: number[]) => items.reduce((a, b) => a + b, 0);',
        'class Cart {',
        '  add(item: number) {',
        '    if (item > 0 && item < 10) return item;',
        '    for (const x of [item]) { if (x) { return x; } else if (!x) { return 0; } }',
        '    return 0;',
        '  }',
        '}',
      ].join('\n'),
    );
    const functions: string[] = [];
    const visit = (node: ts.Node): void => {
      if (isFunctionLike(node)) functions.push(`${functionNameOf(node)}@${script.lineOf(node)}`);
      ts.forEachChild(node, visit);
    };
    visit(script.file);

    expect(script.language).toBe('typescript');
    expect(script.syntaxErrors).toEqual([]);
    expect(functions).toEqual(['total@1', '<callback of reduce>@1', 'Cart.add@3']);
  });

  it('counts decision points and nesting as McCabe and ESLint max-depth do', () => {
    const script = parseScript('a.js', 'if (a && b) x(); else if (c ?? d) y(); for (;;) {}');
    let decisions = 0;
    let nests = 0;
    const visit = (node: ts.Node): void => {
      decisions += decisionPoints(node);
      if (opensNesting(node)) nests += 1;
      ts.forEachChild(node, visit);
    };
    visit(script.file);
    // if, &&, else-if, ??, for: five decisions; the else-if does not open a level of its own.
    expect([decisions, nests]).toEqual([5, 2]);
    expect(script.language).toBe('javascript');
  });

  it('reads callees and value imports', () => {
    const script = parseScript(
      'src/repo.ts',
      "import { Pool, type Config } from 'pg';\nimport type { Row } from './row.js';\nthis.db!.pool.query(sql);\n",
    );
    const call = script.file.statements[2] as ts.ExpressionStatement;
    const callee = (call.expression as ts.CallExpression).expression;
    expect([calleeText(callee), calleeName(callee)]).toEqual(['this.db.pool.query', 'query']);
    expect([...namedImports(script.file)]).toEqual([['Pool', 'pg']]);
  });

  it('reports syntax errors with their lines', () => {
    const script = parseScript('src/broken.ts', 'const a = 1;\nconst = 2;\n');
    expect(script.syntaxErrors[0]).toEqual({ line: 2, message: 'Variable declaration expected.' });
  });

  it('resolves a type imported from another file in a program of the given files', () => {
    const files = [
      { path: 'src/money.ts', content: 'export interface Money { cents: number; currency: string }\n' },
      {
        path: 'src/pay.ts',
        content: "import type { Money } from './money.js';\nexport function pay(amount: Money): void {}\n",
      },
    ];
    const program = openScriptProgram(files, files[1] as (typeof files)[number]);
    const pay = program.file.statements[1] as ts.FunctionDeclaration;
    const param = pay.parameters[0] as ts.ParameterDeclaration;
    const type = program.checker.getTypeAtLocation(param);
    expect(program.checker.getPropertiesOfType(type).map((p) => p.name)).toEqual(['cents', 'currency']);
    expect(program.syntaxErrors).toEqual([]);
    expect(scriptLanguageOf('lib/x.mjs')).toBe('javascript');
  });
});
