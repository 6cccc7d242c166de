import { describe, expect, it } from '@jest/globals';
import { compileLogFormat, contentOf } from '../../../../shared/analysis/logs/format.js';
import { inferLogFormat } from '../../../../shared/analysis/logs/infer.js';
import { DATASETS, hasLoghub, rawLines, records, skipNote } from './loghub.js';

const SAMPLES = {
  'Java (log4j)': [
    '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001',
    '2015-10-18 18:01:48,963 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Executing with tokens:',
    '2015-10-18 18:01:50,353 WARN [main] org.apache.hadoop.util.NativeCodeLoader: Unable to load native-hadoop library for your platform',
    '2015-10-18 18:05:54,914 INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Recalculating schedule, headroom=<memory:0, vCores:-27>',
  ],
  syslog: [
    'Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!',
    'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
    'Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 [preauth]',
    'Dec 10 07:07:38 LabSZ sshd[24206]: pam_unix(sshd:auth): check pass; user unknown',
  ],
  'Apache error log': [
    '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
    '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6',
    '[Sun Dec 04 04:51:08 2005] [notice] jk2_init() Found child 6725 in scoreboard slot 10',
    '[Sun Dec 04 06:35:11 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/',
  ],
} as const;

const EXPECTED_CONTENT = {
  'Java (log4j)': 'Executing with tokens:',
  syslog: 'Invalid user webmaster from 173.234.31.186',
  'Apache error log': 'mod_jk child workerEnv in error state 6',
} as const;

describe('inferLogFormat', () => {
  it.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])('finds the header of %s lines', (kind) => {
    // Prepare
    const lines = SAMPLES[kind];

    // Act
    const format = inferLogFormat(lines);

    // Assess
    expect(format).toBeDefined();
    const compiled = compileLogFormat(format ?? '');
    expect(lines.every((line) => compiled.parse(line) !== undefined)).toBe(true);
    expect(contentOf(compiled, lines[1])).toBe(EXPECTED_CONTENT[kind]);
  });

  it('names the fields it finds', () => {
    // Act
    const format = inferLogFormat(SAMPLES['Java (log4j)']);

    // Assess
    expect(format).toBe('<Date> <Time> <Level> \\[<Thread>\\] <Component>: <Content>');
  });

  it('finds no header in free text', () => {
    // Act
    const format = inferLogFormat([
      'Starting the service',
      'connected to the database',
      'user alice logged in',
      'shutting down after 3 requests',
    ]);

    // Assess
    expect(format).toBeUndefined();
    expect(inferLogFormat([])).toBeUndefined();
  });
});

(hasLoghub ? describe : describe.skip)(`inferLogFormat on the shared Loghub samples${skipNote}`, () => {
  it.each(DATASETS)('splits %s lines into the same content as the ground truth', (dataset) => {
    // Prepare
    const lines = rawLines(dataset);
    const truth = records(dataset, `${dataset}_2k.log_structured.csv`).map((r) => r.Content);

    // Act
    const format = inferLogFormat(lines);

    // Assess
    const compiled = format === undefined ? undefined : compileLogFormat(format);
    const same = lines.filter((line, i) => contentOf(compiled, line) === truth[i]).length;
    expect(same / lines.length).toBeGreaterThanOrEqual(0.99);
  });
});
