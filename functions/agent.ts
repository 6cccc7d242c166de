/** An agent's own function, invoked synchronously by the lane worker with one execution to run. */
import { createAgentFunctionHandler } from '../shared/runtime/aws/agent-function.js';
import { awsContext } from '../shared/runtime/aws/context.js';

export const handler = createAgentFunctionHandler(async () => (await awsContext()).deps);
