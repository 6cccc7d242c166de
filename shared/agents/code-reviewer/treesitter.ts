/**
 * The code-reviewer's Python, Go and Java front-end: the facts of a file
 * (functions with complexity and nesting, debugging leftovers, swallowed
 * errors, eval, SQL built from strings, comments, tokens) read from the
 * tree-sitter tree the shared loader (analysis/source/treesitter.ts) parses.
 */
import {
  nodeLine as line,
  type SyntaxNode as Node,
  namedChildren as named,
  type TreeSitterLanguage,
  withSyntaxTree,
} from '../../analysis/source/treesitter.js';
import {
  type CommentFact,
  deepen,
  type FileModel,
  type FunctionFact,
  functionFact,
  isScriptPath,
  looksLikeSql,
  MIN_DATA_TABLE_LINES,
  QUERY_CALLS,
  type SiteFact,
  type TokenFact,
} from './model.js';

interface Grammar {
  functions: ReadonlySet<string>;
  classes: ReadonlySet<string>;
  comments: ReadonlySet<string>;
  literals: RegExp;
  /** Decision points a node adds to its function's complexity. */
  decisions(node: Node): number;
  /** Whether a node opens a nesting level (else-if chains excluded). */
  nests(node: Node): boolean;
  /** Literal containers that hold a data table when all they hold is data. */
  tables: ReadonlySet<string>;
}

/** Nodes that make a literal container code rather than data. */
const CODE_IN_TABLE =
  /call|lambda|func_literal|function|comprehension|object_creation|method_invocation|conditional|ternary|await/;

function holdsOnlyData(node: Node): boolean {
  for (const child of node.children) {
    if (child === null) continue;
    if (CODE_IN_TABLE.test(child.type) || !holdsOnlyData(child)) return false;
  }
  return true;
}

/** `a and b and c`, `a && b && c`: the inner operator continues its parent's chain of one operator, counted once. */
function continuesChain(node: Node): boolean {
  let parent = node.parent;
  while (parent !== null && parent.type === 'parenthesized_expression') parent = parent.parent;
  return parent !== null && parent.type === node.type && operatorOf(parent) === operatorOf(node);
}

const operatorOf = (node: Node) => node.childForFieldName('operator')?.type ?? node.child(1)?.type;

/** A C-family `&&` / `||` is a decision point. */
const logicalOperator = (node: Node) => {
  const op = operatorOf(node);
  return op === '&&' || op === '||' ? 1 : 0;
};

const GRAMMARS: Readonly<Record<TreeSitterLanguage, Grammar>> = {
  python: {
    functions: new Set(['function_definition', 'lambda']),
    classes: new Set(['class_definition']),
    comments: new Set(['comment']),
    literals: /^(?:string|concatenated_string|integer|float)$/,
    decisions: (node) => {
      switch (node.type) {
        case 'if_statement':
        case 'elif_clause':
        case 'for_statement':
        case 'while_statement':
        case 'except_clause':
        case 'conditional_expression':
        case 'boolean_operator':
        case 'for_in_clause':
        case 'if_clause':
        case 'case_clause':
          return 1;
        default:
          return 0;
      }
    },
    nests: (node) => /^(?:if|for|while|try|with|match)_statement$/.test(node.type),
    tables: new Set(['list', 'dictionary', 'tuple', 'set']),
  },
  go: {
    functions: new Set(['function_declaration', 'method_declaration', 'func_literal']),
    classes: new Set(),
    comments: new Set(['comment']),
    literals:
      /^(?:interpreted_string_literal|raw_string_literal|int_literal|float_literal|imaginary_literal|rune_literal)$/,
    decisions: (node) => {
      switch (node.type) {
        case 'if_statement':
        case 'for_statement':
        case 'expression_case':
        case 'type_case':
        case 'communication_case':
          return 1;
        case 'binary_expression':
          return logicalOperator(node);
        default:
          return 0;
      }
    },
    nests: (node) =>
      (node.type === 'if_statement' && node.parent?.type !== 'if_statement') ||
      /^(?:for_statement|expression_switch_statement|type_switch_statement|select_statement)$/.test(
        node.type,
      ),
    tables: new Set(['composite_literal']),
  },
  java: {
    functions: new Set([
      'method_declaration',
      'constructor_declaration',
      'lambda_expression',
      'compact_constructor_declaration',
    ]),
    classes: new Set([
      'class_declaration',
      'interface_declaration',
      'enum_declaration',
      'record_declaration',
    ]),
    comments: new Set(['line_comment', 'block_comment']),
    literals:
      /^(?:string_literal|text_block|character_literal|decimal_integer_literal|hex_integer_literal|octal_integer_literal|binary_integer_literal|decimal_floating_point_literal|hex_floating_point_literal)$/,
    decisions: (node) => {
      switch (node.type) {
        case 'if_statement':
        case 'for_statement':
        case 'enhanced_for_statement':
        case 'while_statement':
        case 'do_statement':
        case 'catch_clause':
        case 'ternary_expression':
          return 1;
        case 'switch_label':
          return node.text.startsWith('case') ? 1 : 0;
        case 'binary_expression':
          return logicalOperator(node);
        default:
          return 0;
      }
    },
    nests: (node) =>
      (node.type === 'if_statement' &&
        !(
          node.parent?.type === 'if_statement' && node.parent.childForFieldName('alternative')?.id === node.id
        )) ||
      /^(?:for_statement|enhanced_for_statement|while_statement|do_statement|switch_expression|switch_statement|try_statement|try_with_resources_statement|synchronized_statement)$/.test(
        node.type,
      ),
    tables: new Set(['array_initializer']),
  },
};

/** `a.b.c` of a callee, calls collapsed to `()`. */
function calleeText(node: Node | null): string {
  if (node === null) return '?';
  return node.text.replace(/\s+/g, '').replace(/\((?:[^()]|\([^()]*\))*\)/g, '()');
}

function lastName(callee: string): string {
  return callee.slice(callee.lastIndexOf('.') + 1);
}

/** Literal parts of a built string and whether a non-literal is spliced in. */
function builtString(
  node: Node,
  language: TreeSitterLanguage,
): { literals: string[]; dynamic: boolean } | undefined {
  const grammar = GRAMMARS[language];
  const isString = (n: Node) => /string|text_block/.test(n.type) && grammar.literals.test(n.type);
  if (node.type === 'parenthesized_expression') {
    const inner = named(node)[0];
    return inner === undefined ? undefined : builtString(inner, language);
  }
  // Python f-strings: a string node with interpolation children.
  if (language === 'python' && node.type === 'string') {
    const interpolations = named(node).filter((c) => c.type === 'interpolation');
    if (interpolations.length === 0) return undefined;
    return {
      literals: named(node)
        .filter((c) => c.type === 'string_content')
        .map((c) => c.text),
      dynamic: true,
    };
  }
  if (node.type === 'binary_operator' || node.type === 'binary_expression') {
    const op = operatorOf(node);
    if (op === '%' && language === 'python') {
      const left = node.childForFieldName('left');
      return left !== null && left.type === 'string' ? { literals: [left.text], dynamic: true } : undefined;
    }
    if (op !== '+') return undefined;
    const parts: Node[] = [];
    const flatten = (n: Node) => {
      if ((n.type === 'binary_operator' || n.type === 'binary_expression') && operatorOf(n) === '+') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (left) flatten(left);
        if (right) flatten(right);
      } else parts.push(n);
    };
    flatten(node);
    const literals: string[] = [];
    let dynamic = false;
    let hasString = false;
    for (const part of parts) {
      const inner = builtString(part, language);
      if (inner !== undefined) {
        hasString = true;
        literals.push(...inner.literals);
        dynamic ||= inner.dynamic;
      } else if (isString(part) || part.type === 'string') {
        hasString = true;
        literals.push(part.text);
      } else if (!grammar.literals.test(part.type)) dynamic = true;
    }
    return hasString ? { literals, dynamic } : undefined;
  }
  // "...".format(x) (Python), fmt.Sprintf("...", x) (Go), String.format("...", x) (Java).
  const call = callParts(node, language);
  if (call !== undefined) {
    const text = call.callee;
    const args = call.args;
    if (language === 'python' && lastName(text) === 'format' && call.receiver?.type === 'string')
      return args.length > 0 ? { literals: [call.receiver.text], dynamic: true } : undefined;
    if (
      (text === 'fmt.Sprintf' || text === 'String.format' || text === 'String.formatted') &&
      args.length > 1
    ) {
      const [format] = args;
      return format !== undefined && isString(format)
        ? { literals: [format.text], dynamic: true }
        : undefined;
    }
  }
  return undefined;
}

interface CallParts {
  callee: string;
  receiver?: Node;
  args: Node[];
}

function callParts(node: Node, language: TreeSitterLanguage): CallParts | undefined {
  if (language === 'python' && node.type === 'call') {
    const fn = node.childForFieldName('function');
    const receiver = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    return {
      callee: calleeText(fn),
      ...(receiver ? { receiver } : {}),
      args: named(node.childForFieldName('arguments') ?? node).filter((a) => a.type !== 'comment'),
    };
  }
  if (language === 'go' && node.type === 'call_expression') {
    return {
      callee: calleeText(node.childForFieldName('function')),
      args: named(node.childForFieldName('arguments') ?? node).filter((a) => a.type !== 'comment'),
    };
  }
  if (language === 'java' && node.type === 'method_invocation') {
    const object = node.childForFieldName('object');
    const name = node.childForFieldName('name')?.text ?? '?';
    return {
      callee: object === null ? name : `${calleeText(object)}.${name}`,
      ...(object ? { receiver: object } : {}),
      args: named(node.childForFieldName('arguments') ?? node).filter(
        (a) => !GRAMMARS.java.comments.has(a.type),
      ),
    };
  }
  return undefined;
}

function dynamicSql(node: Node, language: TreeSitterLanguage): boolean {
  const built = builtString(node, language);
  return built?.dynamic === true && looksLikeSql(built.literals);
}

/** A block with no statements and no comment explaining why. */
function emptyBlock(block: Node | null | undefined): boolean {
  if (block === null || block === undefined) return false;
  return named(block).every((c) => c.type === 'statement_list' && named(c).length === 0);
}

function functionName(node: Node, language: TreeSitterLanguage): string {
  let name = node.childForFieldName('name')?.text;
  if (name === undefined) {
    if (node.type === 'lambda' || node.type === 'lambda_expression') name = '<lambda>';
    else if (node.type === 'func_literal') name = '<func literal>';
    else name = '<anonymous>';
  }
  if (language === 'go' && node.type === 'method_declaration') {
    const receiver = node.childForFieldName('receiver');
    const type = receiver?.descendantsOfType(['type_identifier'])[0]?.text;
    return type === undefined ? name : `${type}.${name}`;
  }
  const classes = GRAMMARS[language].classes;
  for (let up = node.parent; up !== null; up = up.parent) {
    if (GRAMMARS[language].functions.has(up.type)) break;
    if (classes.has(up.type)) return `${up.childForFieldName('name')?.text ?? '<class>'}.${name}`;
  }
  return name;
}

export async function parseWithTreeSitter(
  path: string,
  content: string,
  language: TreeSitterLanguage,
): Promise<FileModel> {
  const model = await withSyntaxTree(language, content, (root) => extract(root, path, language));
  return model ?? { language, functions: [], sites: [], comments: [], tokens: [], syntaxErrors: 1 };
}

function extract(root: Node, path: string, language: TreeSitterLanguage): FileModel {
  const facts = new TreeFacts(root, language, isScriptPath(path));
  facts.visit(root, undefined, 0);
  const { functions, sites, comments, tokens, syntaxErrors, dataSpans } = facts;
  return { language, functions, sites, comments, tokens, syntaxErrors, dataSpans };
}

/** Functions, sites, comments and tokens, in one walk of the tree. */
class TreeFacts {
  readonly functions: FunctionFact[] = [];
  readonly sites: SiteFact[] = [];
  readonly comments: CommentFact[] = [];
  readonly tokens: TokenFact[] = [];
  readonly dataSpans: [number, number][] = [];
  syntaxErrors = 0;
  #inTable = false;
  readonly #grammar: Grammar;
  readonly #sqlVariables = new Map<string, number>();
  readonly #goPackage: string | undefined;

  constructor(
    root: Node,
    private readonly language: TreeSitterLanguage,
    private readonly entryPointFile: boolean,
  ) {
    this.#grammar = GRAMMARS[language];
    this.#goPackage = language === 'go' ? root.descendantsOfType('package_identifier')[0]?.text : undefined;
  }

  visit(node: Node, frame: FunctionFact | undefined, depth: number): void {
    if (this.#grammar.comments.has(node.type)) {
      node.text.split('\n').forEach((text, i) => {
        this.comments.push({ line: line(node) + i, text });
      });
      return;
    }
    if (this.#grammar.literals.test(node.type)) {
      this.tokens.push({ line: line(node), text: '$LIT' });
      // Only an f-string's interpolations hold code.
      for (const child of named(node)) if (child.type === 'interpolation') this.visit(child, frame, depth);
      return;
    }
    if (node.childCount === 0) this.tokens.push({ line: line(node), text: node.text });
    if (!this.#inTable && this.#grammar.tables.has(node.type) && holdsOnlyData(node)) {
      const span: [number, number] = [line(node), node.endPosition.row + 1];
      if (span[1] - span[0] + 1 >= MIN_DATA_TABLE_LINES) {
        this.dataSpans.push(span);
        this.#inTable = true;
        for (const child of node.children) if (child !== null) this.visit(child, frame, depth);
        this.#inTable = false;
        return;
      }
    }
    if (this.#grammar.functions.has(node.type)) {
      const fact = this.#function(node);
      for (const child of node.children) if (child !== null) this.visit(child, fact, 0);
      return;
    }
    const childDepth = frame === undefined ? depth : this.#measure(node, frame, depth);
    this.#inspect(node);
    for (const child of node.children) if (child !== null) this.visit(child, frame, childDepth);
  }

  #function(node: Node): FunctionFact {
    const fact = functionFact(functionName(node, this.language), line(node), node.endPosition.row + 1);
    this.functions.push(fact);
    return fact;
  }

  /** Adds the node's decisions to its function and returns the nesting depth of its children. */
  #measure(node: Node, frame: FunctionFact, depth: number): number {
    if (!continuesChain(node)) frame.complexity += this.#grammar.decisions(node);
    return this.#grammar.nests(node) ? deepen(frame, depth, line(node)) : depth;
  }

  #site(node: Node, ruleId: SiteFact['ruleId'], what: string, extra: Partial<SiteFact> = {}): void {
    this.sites.push({ ruleId, line: line(node), what, ...extra });
  }

  #inspect(node: Node): void {
    if (node.type === 'ERROR' || node.isMissing) this.syntaxErrors++;
    this.#swallowedError(node);
    this.#sqlAssignment(node);
    const call = callParts(node, this.language);
    if (call === undefined) return;
    this.#debugOrEval(node, call);
    this.#query(node, call);
  }

  /** CR006: `except: pass`, an empty Java catch, Go `if err != nil {}` and `_ = err`. */
  #swallowedError(node: Node): void {
    const { language } = this;
    if (language === 'python' && node.type === 'except_clause') this.#exceptPass(node);
    if (language === 'java' && node.type === 'catch_clause' && emptyBlock(node.childForFieldName('body')))
      this.#site(node, 'CR006', 'empty catch block');
    if (language === 'go' && node.type === 'if_statement') {
      const condition = node.childForFieldName('condition')?.text ?? '';
      if (/\berr\w*\s*!=\s*nil\b/.test(condition) && emptyBlock(node.childForFieldName('consequence')))
        this.#site(node, 'CR006', `if ${condition} {}`);
    }
    if (
      language === 'go' &&
      (node.type === 'assignment_statement' || node.type === 'short_var_declaration')
    ) {
      const [lhs, rhs] = goAssignment(node);
      if (lhs.length === 1 && lhs[0]?.text === '_' && rhs.length === 1 && /^err\w*$/.test(rhs[0]?.text ?? ''))
        this.#site(node, 'CR006', `_ = ${rhs[0]?.text}`);
    }
  }

  #exceptPass(node: Node): void {
    const body = named(node).find((c) => c.type === 'block');
    const statements = body === undefined ? [] : named(body).filter((c) => c.type !== 'comment');
    const ignores = statements.every(
      (s) => s.type === 'pass_statement' || (s.type === 'expression_statement' && s.text === '...'),
    );
    if (statements.length === 0 || !ignores || node.descendantsOfType('comment').length > 0) return;
    const caught = named(node).filter((c) => c.type !== 'block' && c.type !== 'comment');
    const broad =
      caught.length === 0 || /^(?:\(?\s*)?(?:Exception|BaseException)\b/.test(caught[0]?.text ?? '');
    this.#site(node, 'CR006', caught.length === 0 ? 'except: pass' : `except ${caught[0]?.text}: pass`, {
      ...(broad ? {} : { severity: 'low' as const }),
    });
  }

  /** A variable assigned SQL built from strings, remembered for a later query call. */
  #sqlAssignment(node: Node): void {
    const [target, value] = assignmentParts(node, this.language) ?? [null, null];
    if (target?.type === 'identifier' && value !== null && dynamicSql(value, this.language))
      this.#sqlVariables.set(target.text, line(target));
  }

  /** Inside `if __name__ == "__main__":` or a function named main: printing is the program's output. */
  #inEntryPoint(node: Node): boolean {
    for (let up = node.parent; up !== null; up = up.parent) {
      if (
        up.type === 'if_statement' &&
        /__name__\s*==\s*['"]__main__['"]/.test(up.childForFieldName('condition')?.text ?? '')
      )
        return true;
      if (this.#grammar.functions.has(up.type) && up.childForFieldName('name')?.text === 'main') return true;
    }
    return false;
  }

  /** CR005 leftover debugging and CR007 dynamic code execution, per language. */
  #debugOrEval(node: Node, call: CallParts): void {
    const { callee, args } = call;
    const name = lastName(callee);
    const printsOnPurpose = () => this.entryPointFile || this.#inEntryPoint(node);
    if (this.language === 'python') {
      if (callee === 'breakpoint' || /^i?pdb\.set_trace$/.test(callee) || callee === 'pudb.set_trace')
        this.#site(node, 'CR005', callee, { severity: 'medium' });
      else if (
        (callee === 'print' || callee === 'pprint' || callee === 'pprint.pprint') &&
        !printsOnPurpose()
      )
        this.#site(node, 'CR005', callee);
      else if (callee === 'eval' || callee === 'exec') this.#site(node, 'CR007', callee);
    }
    if (this.language === 'go') {
      if (callee === 'print' || callee === 'println' || callee === 'spew.Dump')
        this.#site(node, 'CR005', callee);
      else if (/^fmt\.Print(?:ln|f)?$/.test(callee) && this.#goPackage !== 'main' && !this.entryPointFile)
        this.#site(node, 'CR005', callee);
    }
    if (this.language === 'java') {
      if (/^System\.(?:out|err)\.print(?:ln|f)?$/.test(callee) && !printsOnPurpose())
        this.#site(node, 'CR005', callee);
      else if (name === 'printStackTrace' && args.length === 0) this.#site(node, 'CR005', callee);
      else if (/Runtime\.getRuntime\(\)\.exec$/.test(callee)) this.#site(node, 'CR007', 'Runtime.exec');
      else if (name === 'eval' && /engine/i.test(call.receiver?.text ?? ''))
        this.#site(node, 'CR007', callee);
    }
  }

  /** CR008: a query call given SQL built from strings, directly or through a variable. */
  #query(node: Node, { callee, args }: CallParts): void {
    if (!QUERY_CALLS.has(lastName(callee))) return;
    const sqlArg = args.find((a) => dynamicSql(a, this.language));
    const variable = args.find((a) => a.type === 'identifier' && this.#sqlVariables.has(a.text));
    if (sqlArg !== undefined)
      this.#site(node, 'CR008', `${callee}(SQL built from strings)`, { detail: { call: callee } });
    else if (variable !== undefined)
      this.#site(node, 'CR008', `${callee}(${variable.text})`, {
        detail: { call: callee, variable: variable.text, builtAt: this.#sqlVariables.get(variable.text) },
      });
  }
}

/** The named left and right sides of a Go assignment or short declaration. */
function goAssignment(node: Node): [Node[], Node[]] {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  return [left === null ? [] : named(left), right === null ? [] : named(right)];
}

/** The target and value of an assignment or declaration, in each grammar's terms. */
function assignmentParts(node: Node, language: TreeSitterLanguage): [Node | null, Node | null] | undefined {
  if (language === 'go' && (node.type === 'assignment_statement' || node.type === 'short_var_declaration')) {
    const [lhs, rhs] = goAssignment(node);
    return lhs.length === 1 && rhs.length === 1 ? [lhs[0] ?? null, rhs[0] ?? null] : undefined;
  }
  if (language === 'go' && node.type === 'var_spec') {
    const value = node.childForFieldName('value');
    return [node.childForFieldName('name'), value === null ? null : (named(value)[0] ?? null)];
  }
  if (language === 'python' && (node.type === 'assignment' || node.type === 'augmented_assignment'))
    return [node.childForFieldName('left'), node.childForFieldName('right')];
  if (language === 'java' && node.type === 'variable_declarator')
    return [node.childForFieldName('name'), node.childForFieldName('value')];
  if (language === 'java' && node.type === 'assignment_expression')
    return [node.childForFieldName('left'), node.childForFieldName('right')];
  return undefined;
}
