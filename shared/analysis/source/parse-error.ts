/** A syntax error a source front-end (TypeScript, tree-sitter) recovered from: where, and what it saw. */
export interface ParseError {
  line: number;
  message: string;
}
