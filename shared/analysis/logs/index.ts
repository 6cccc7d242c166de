/**
 * Log template mining: header formats (compile or infer), masking of
 * variable tokens, an online template miner with bounded memory, and the
 * grouping-accuracy measure. Pure: no I/O; callers feed lines in.
 *
 *   const format = compileLogFormat('<Date> <Time> <Level> <Component>: <Content>');
 *   const miner = createMiner();
 *   for (const line of lines) miner.add(contentOf(format, line));
 *   const { templateId, template } = miner.match(contentOf(format, line)) ?? miner.add(...);
 */
export { groupingAccuracy } from './accuracy.js';
export { csvField, csvRow } from './csv.js';
export {
  CONTENT_FIELD,
  type CompileOptions,
  compileLogFormat,
  contentOf,
  type LogFormat,
  type ParsedLine,
} from './format.js';
export { inferLogFormat } from './infer.js';
export { maskedTokens, WILDCARD } from './masking.js';
export {
  createMiner,
  type Miner,
  type MinerOptions,
  type TemplateInfo,
  type TemplateMatch,
} from './miner.js';
