/** The task function of every workflow state machine: one Task state's Parameters in, its result out. */
import { awsContext } from '../shared/runtime/aws/context.js';
import { createWorkflowTaskHandler, workflowTaskDeps } from '../shared/runtime/aws/workflow-task-function.js';

export const handler = createWorkflowTaskHandler(async () => workflowTaskDeps(await awsContext()));
