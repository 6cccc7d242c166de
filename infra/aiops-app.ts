/** Builds the whole app for a stage, wires the stacks with props and puts cdk-nag over all of it. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AgentsStack } from './stacks/agents-stack.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { LanesStack } from './stacks/lanes-stack.js';
import { ObservabilityStack } from './stacks/observability-stack.js';
import { SchedulesStack } from './stacks/schedules-stack.js';
import { TriggersStack } from './stacks/triggers-stack.js';
import { WorkflowsStack } from './stacks/workflows-stack.js';
import { stageFromContext } from './stage.js';

/**
 * The stacks, exposed for tests and for the schedules, workflows and triggers
 * stacks still to come: they take `lanes.shared` (queues, bus, database) and
 * `agents.agents` (function per agent) as props, like the stacks here do.
 */
export interface AiopsStacks {
  readonly data: DataStack;
  readonly lanes: LanesStack;
  readonly agents: AgentsStack;
  readonly api: ApiStack;
  readonly observability: ObservabilityStack;
  readonly schedules: SchedulesStack;
  readonly triggers: TriggersStack;
  readonly workflows: WorkflowsStack;
}

const CROSS_STACK_REFERENCES = '@aws-cdk/core:defaultCrossStackReferences';

export function createAiopsApp(app: App = new App()): { app: App; stacks: AiopsStacks } {
  // Explicit, so synth does not warn: producers keep their exports while a consumer still uses them.
  if (app.node.tryGetContext(CROSS_STACK_REFERENCES) === undefined) {
    app.node.setContext(CROSS_STACK_REFERENCES, 'strong');
  }
  const stage = stageFromContext(app);
  const id = (name: string) => `Aiops-${stage.name}-${name}`;
  const data = new DataStack(app, id('Data'), { stage });
  const lanes = new LanesStack(app, id('Lanes'), { stage, data });
  const agents = new AgentsStack(app, id('Agents'), { stage, shared: lanes.shared });
  const api = new ApiStack(app, id('Api'), { stage, shared: lanes.shared });
  const schedules = new SchedulesStack(app, id('Schedules'), { stage, lanes });
  const triggers = new TriggersStack(app, id('Triggers'), { stage, shared: lanes.shared });
  const workflows = new WorkflowsStack(app, id('Workflows'), { stage, shared: lanes.shared });
  const observability = new ObservabilityStack(app, id('Observability'), {
    stage,
    data,
    lanes,
    agents,
    api,
    schedules,
    triggers,
    workflows,
  });
  const stacks = { data, lanes, agents, api, observability, schedules, triggers, workflows };
  // Every finding is acknowledged next to the resource that causes it, with its reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stacks };
}
