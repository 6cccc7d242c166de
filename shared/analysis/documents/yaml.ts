/**
 * How every YAML reader of the agents turns a parsed document into a value.
 * Aliases are where YAML can blow up: a "billion laughs" document expands a
 * few lines into billions of nodes. The `yaml` library stops that with
 * maxAliasCount, which weighs each alias use by the aliases under its anchor,
 * so a bomb is refused after a few steps while a plain anchor (`<<: *defaults`)
 * used a few thousand times, as real CloudFormation and Helm files do, passes.
 * A document that is refused is that file's parse error, never an exception
 * that ends the whole scan.
 */
import type { Document, ToJSOptions } from 'yaml';

/** Alias uses a document may make, weighted as above (yaml's default of 100 refuses real templates). */
export const MAX_ALIAS_COUNT = 10_000;

export type YamlValue = { value: unknown } | { error: string };

/** The first line of a parser message: the later lines quote the source, which may hold secrets. */
export function firstLine(message: string): string {
  return (message.split('\n')[0] ?? 'syntax error').replace(/:\s*$/, '');
}

/** The document's value, or why it has none (a syntax error, too many or unresolved aliases). */
export function documentValue(doc: Document.Parsed | Document, options: ToJSOptions = {}): YamlValue {
  const [error] = doc.errors;
  if (error !== undefined) return { error: firstLine(error.message) };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, ...options }) };
  } catch (thrown) {
    // yaml throws ReferenceError for excessive or unresolved aliases and Error for bad merge keys
    // (`<<: 1`): both are about this file's content, so they are its parse error.
    if (thrown instanceof Error) return { error: firstLine(thrown.message) };
    throw thrown;
  }
}
