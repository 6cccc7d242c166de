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
import {
  isAccessLine,
  isJsonLine,
  type ParsedLogLine,
  parseAccessLine,
  parseJsonLine,
} from '../../analysis/logs/structured.js';

export type { ParsedLogLine };

export interface LineParser {
  format: string | null;
  parse(line: string): ParsedLogLine;
}

/**
 * JSON lines are read as structured records (parseJsonLine); the others with a given header
 * format, else one inferred from them, else as the whole line, which is then the message.
 */
export function createLineParser(given: string | undefined, sample: readonly string[]): LineParser {
  const format = given ?? inferLogFormat(sample.filter((line) => !isJsonLine(line) && !isAccessLine(line)));
  const compiled = format === undefined ? undefined : compileLogFormat(format);
  return {
    format: format ?? null,
    parse(line) {
      const structured = isJsonLine(line) ? parseJsonLine(line) : parseAccessLine(line);
      if (structured !== undefined) return structured;
      if (compiled === undefined) return { matched: true, fields: {}, content: line };
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
