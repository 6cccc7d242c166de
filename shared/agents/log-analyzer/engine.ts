/**
 * The log-analyzer's view of the log engines (shared/analysis/logs): a line
 * parser from a header format (or none), and a template miner whose final
 * grouping is read after every line has been seen, since templates widen and
 * merge as lines arrive.
 */
import { compileLogFormat } from '../../analysis/logs/format.js';
import { inferLogFormat } from '../../analysis/logs/infer.js';
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

/** A given format, else one inferred from the lines, else the whole line as the message. */
export function createLineParser(given: string | undefined, sample: readonly string[]): LineParser {
  const format = given ?? inferLogFormat(sample);
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
  /** Learns from a message. */
  add(content: string): void;
  /** A message's final template, once every message has been added (templates widen and merge as lines arrive). */
  templateOf(content: string): string;
}

export function createTemplateMiner(): TemplateMiner {
  const miner = createMiner();
  const final = new Map<string, string>();
  return {
    add(content) {
      miner.add(content);
    },
    templateOf(content) {
      let template = final.get(content);
      if (template === undefined) {
        template = miner.match(content)?.template ?? content;
        final.set(content, template);
      }
      return template;
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
