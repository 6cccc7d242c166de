/**
 * The finding of an input that could not be read (a file that does not
 * parse, a row that is not valid), reported the same way by every agent
 * that reads files, under its XXX000 rule: "FILE line L: why." on the file.
 */
import type { InputProblem } from '../../analysis/documents/structured.js';
import type { RuleFindingInput } from '../rules.js';

/** How the input is named when no file is: in the message (`label`) and as the resource name. */
export interface Unnamed {
  label: string;
  name: string;
}

export function problemFindingInput(
  problem: InputProblem,
  unnamed: Unnamed = { label: 'input', name: 'input' },
): RuleFindingInput {
  const { file, line, message } = problem;
  return {
    message: `${file ?? unnamed.label}${line === undefined ? '' : ` line ${line}`}: ${message}.`,
    resource: {
      kind: 'File',
      name: file ?? unnamed.name,
      ...(file === undefined ? {} : { file }),
      ...(line === undefined ? {} : { line }),
    },
    key: [message],
  };
}
