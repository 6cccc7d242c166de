/**
 * The packages the source front-ends load at run time and agents that read
 * source through them ship unbundled beside their code (AgentMetadata
 * `nodeModules`): the TypeScript compiler (large) and the tree-sitter WASM
 * runtime and grammars (read from beside its JS).
 */
export const SOURCE_PARSER_PACKAGES: readonly string[] = ['@vscode/tree-sitter-wasm', 'typescript'];
