import { defineAgent, type SourceFile } from '../contract.js';
import { filesAsInput } from '../scan/files.js';
import { analyzeCompliance } from './analyze.js';
import { metadata } from './meta.js';
import { COMPLIANCE_RULES } from './rules.js';
import { complianceInputSchema, complianceOutputSchema } from './schema.js';

export default defineAgent({
  ...metadata,
  input: complianceInputSchema,
  output: complianceOutputSchema,
  analyze: analyzeCompliance,
  rules: COMPLIANCE_RULES,
  /**
   * Every file, as the security scanner reads them: configuration and code go
   * to the source agents that read their type, SARIF and saved results are
   * evidence as they are.
   */
  fromFiles: (files: readonly SourceFile[]) => filesAsInput(files),
  /**
   * Every file the CLI reads, `.aiopsignore` included (declaring `accepts` is
   * what gets them passed on): each source agent then takes the ones of its
   * type by its own `accepts` (the catalog's runner), and its `.aiopsignore`.
   */
  accepts: () => true,
  readsDotFolders: true,
});
