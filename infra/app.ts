/**
 * The CDK app entry (`cdk.json`): `npx cdk synth|deploy --all -c stage=dev|prod`.
 * Stacks are env-agnostic (no account or region lookups), so synth works
 * offline; the deploy target is the CLI's credentials and region.
 */
import { App } from 'aws-cdk-lib';
import { createAiopsApp } from './aiops-app.js';

createAiopsApp(new App()).app.synth();
