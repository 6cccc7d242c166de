/** The HTTP API (API Gateway HTTP API, payload format 2.0). */
import { createApiFunctionHandler } from '../shared/runtime/aws/api-function.js';
import { awsContext } from '../shared/runtime/aws/context.js';

export const handler = createApiFunctionHandler(async () => (await awsContext()).deps);
