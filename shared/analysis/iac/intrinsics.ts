/**
 * What every reader of CloudFormation templates shares: the YAML short forms
 * of the intrinsic functions (`!Ref X` → `{ Ref: X }`, `!GetAtt A.B` →
 * `{ 'Fn::GetAtt': [A, B] }`, in scalar, sequence and map form alike), for the
 * `yaml` package's `customTags`, and a quick test of whether a text is a
 * template at all.
 */
import { type CollectionTag, Pair, Scalar, type ScalarTag, YAMLMap, type YAMLSeq } from 'yaml';

const INTRINSICS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'Base64',
  'Cidr',
  'ImportValue',
  'GetAZs',
  'Transform',
  'Length',
  'ToJsonString',
  'ForEach',
];

function longForm(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/**
 * `!Sub [...]` as the node `{ Fn::Sub: [...] }`, its arguments kept as nodes:
 * the document turns them into values later, with its anchors, its alias
 * limits and every nested tag (`!FindInMap` inside `!Sub`, `*vars` as an
 * argument), and the locator can still find the line of each argument.
 */
function wrapped(name: string, collection: YAMLSeq | YAMLMap): YAMLMap {
  const node = new YAMLMap();
  node.items.push(new Pair(new Scalar(longForm(name)), collection));
  return node;
}

export const CLOUDFORMATION_TAGS: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  {
    tag: `!${name}`,
    resolve: (value: string) => ({ [longForm(name)]: name === 'GetAtt' ? value.split('.') : value }),
  } satisfies ScalarTag,
  {
    tag: `!${name}`,
    collection: 'seq',
    resolve: (seq) => wrapped(name, seq),
  } satisfies CollectionTag,
  {
    tag: `!${name}`,
    collection: 'map',
    resolve: (map) => wrapped(name, map),
  } satisfies CollectionTag,
]);

/** A template declares its format version, or a Resources map with AWS or custom types. */
export const LOOKS_LIKE_TEMPLATE =
  /AWSTemplateFormatVersion|["']?Resources["']?\s*:[\s\S]*["']?Type["']?\s*:\s*["']?(?:AWS|Custom)::/;
