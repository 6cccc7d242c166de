/**
 * The log-analyzer's view of the log engines (shared/analysis/logs): a line
 * parser from a header format (or none), and a template miner whose final
 * grouping is read after every line has been seen, since templates widen and
 * merge as lines arrive.
 */
import { compileLogFormat } from '../../analysis/logs/format.js';
import { maskedTokens } from '../../analysis/logs/masking.js';
import { createMiner } from '../../analysis/logs/miner.js';

export interface ParsedLogLine {
  matched: boolean;
  fields: Readonly<Record<string, string>>;
  content: string;
}

export interface LineParser {
  format: string | null;
  parse(line: string): ParsedLogLine;
}

export function createLineParser(format: string | undefined, _sample: readonly string[]): LineParser {
  if (format === undefined) {
    return { format: null, parse: (line) => ({ matched: true, fields: {}, content: line }) };
  }
  const compiled = compileLogFormat(format);
  return {
    format,
    parse(line) {
      const parsed = compiled.parse(line);
      // A line that does not match the format is still analysed: its whole text is the content.
      return parsed
        ? { matched: true, fields: parsed.fields, content: parsed.content }
        : { matched: false, fields: {}, content: line };
    },
  };
}

export interface TemplateMiner {
  add(content: string): { id: string; template: string };
  /** The final template of a group id handed out by `add`, after later lines widened or merged it. */
  templateOf(id: string): string | undefined;
}

export function createTemplateMiner(): TemplateMiner {
  const miner = createMiner();
  const contents = new Map<string, string>();
  return {
    add(content) {
      const match = miner.add(content);
      const id = String(match.templateId);
      if (!contents.has(id)) contents.set(id, content);
      return { id, template: match.template };
    },
    templateOf(id) {
      const content = contents.get(id);
      return content === undefined ? undefined : miner.match(content)?.template;
    },
  };
}

/**
 * A template in a comparable form: masked like mined content, whitespace
 * collapsed, and a token holding a wildcard (`/<*>`, `<*>:`) taken as a whole
 * wildcard, so a baseline written by hand matches what the miner produces.
 */
export function normaliseTemplate(template: string): string {
  return maskedTokens(template)
    .map((token) => (token.includes('<*>') ? '<*>' : token))
    .join(' ');
}
