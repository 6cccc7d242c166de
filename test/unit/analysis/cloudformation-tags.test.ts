/**
 * The short-form intrinsics of the shared template reader: nested in one
 * another, in block and flow form, and with YAML anchors used as arguments,
 * they read as the long form a JSON template would hold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { readTemplate } from '../../../shared/analysis/iac/template.js';

const PATH = 'test/fixtures/dr/findinmap-sub.yaml';

describe('CloudFormation short-form tags', () => {
  it('reads FindInMap nested in Sub, Join of GetAtt, If, Select and anchors passed to Sub', () => {
    // Act
    const read = readTemplate({ path: PATH, content: readFileSync(PATH, 'utf8') });

    // Assess
    if (read === undefined || 'error' in read) throw new Error(`does not read: ${JSON.stringify(read)}`);
    const [db, , archive] = read.template.resources;
    const prefix = { 'Fn::FindInMap': ['EnvSettings', { Ref: 'Environment' }, 'Prefix'] };
    expect(db?.properties.DBInstanceIdentifier).toEqual({
      'Fn::Sub': [`\${Prefix}-orders-\${AWS::Region}`, { Prefix: prefix }],
    });
    expect(db?.properties.BackupRetentionPeriod).toEqual({
      'Fn::FindInMap': ['EnvSettings', { Ref: 'Environment' }, 'Retention'],
    });
    expect(db?.properties.Tags).toEqual([
      {
        Key: 'stack',
        Value: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, { 'Fn::GetAtt': ['OrdersLogs', 'Arn'] }]] },
      },
      { Key: 'owner', Value: { 'Fn::Sub': [`\${Team}@example.com`, { Team: prefix }] } },
    ]);
    expect(db?.properties.MultiAZ).toEqual({ 'Fn::If': ['IsProd', true, false] });
    expect(db?.properties.AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    // An anchor defined inside one !Sub and used as the argument of another.
    expect(archive?.properties.Tags).toEqual([
      { Key: 'prefix', Value: { 'Fn::Sub': [`\${Prefix}`, { Prefix: prefix }] } },
    ]);
    // The line of an argument inside a short form.
    const lines = readFileSync(PATH, 'utf8').split('\n');
    expect(db?.lineOf(['Properties', 'DBInstanceIdentifier', 'Fn::Sub', 1, 'Prefix'])).toBe(
      lines.findIndex((l) => l.includes('- Prefix: !FindInMap')) + 1,
    );
  });
});
