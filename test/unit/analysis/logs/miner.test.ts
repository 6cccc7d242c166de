import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createMiner, type Miner } from '../../../../shared/analysis/logs/miner.js';

/** Learns every message, then assigns each its final template (what the CLI does in two passes). */
function mine(messages: readonly string[], miner: Miner = createMiner()): string[] {
  for (const message of messages) miner.add(message);
  return messages.map((message) => {
    const match = miner.match(message);
    if (!match) throw new Error(`no template for ${message}`);
    return match.template;
  });
}

/** The grouping as a set of sorted line-index lists, to compare partitions whatever the ids. */
function partition(templates: readonly string[]): string[] {
  const groups = new Map<string, number[]>();
  templates.forEach((t, i) => {
    groups.set(t, [...(groups.get(t) ?? []), i]);
  });
  return [...groups.values()].map((g) => g.join(',')).sort();
}

const OPENSSH = [
  'Invalid user webmaster from 173.234.31.186',
  'input_userauth_request: invalid user webmaster [preauth]',
  'Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2',
  'Invalid user test9 from 52.80.34.196',
  'Invalid user chen from 202.100.179.208',
  'Invalid user admin from 5.188.10.180',
  'Invalid user support from 5.188.10.180',
  'Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2',
  'Failed none for invalid user admin from 5.188.10.180 port 52631 ssh2',
  'Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]',
  'Received disconnect from 103.99.0.122: 11: Bye Bye [preauth]',
  'Connection closed by 173.234.31.186 [preauth]',
  'Disconnecting: Too many authentication failures for admin [preauth]',
  'pam_unix(sshd:auth): check pass; user unknown',
];

describe('createMiner', () => {
  it('groups messages of one event whose variable takes many values', () => {
    // Act
    const templates = mine(OPENSSH);

    // Assess
    expect(new Set(templates.filter((_, i) => OPENSSH[i]?.startsWith('Invalid user')))).toEqual(
      new Set(['Invalid user <*> from <*>']),
    );
    expect(templates[9]).toBe('Received disconnect from <*>: <*>: Bye Bye [preauth]');
    expect(templates[9]).toBe(templates[10]);
  });

  it('splits different events, even of the same length', () => {
    // Act
    const templates = mine(OPENSSH);

    // Assess
    expect(new Set(templates).size).toBe(8);
    expect(templates[1]).not.toBe(templates[12]);
    expect(templates[11]).toBe('Connection closed by <*> [preauth]');
  });

  it('keeps a word that takes only a few values as part of the event', () => {
    // Prepare
    const messages = [
      ...['NEW to UNASSIGNED', 'UNASSIGNED to ASSIGNED', 'ASSIGNED to RUNNING'].flatMap((step) => [
        `attempt_1445144423722_0020_m_000000_0 TaskAttempt Transitioned from ${step}`,
        `attempt_1445144423722_0020_m_000001_0 TaskAttempt Transitioned from ${step}`,
      ]),
      'attempt_1445144423722_0020_m_000000_0 TaskAttempt Transitioned from RUNNING to SUCCEEDED',
      'attempt_1445144423722_0020_m_000001_0 TaskAttempt Transitioned from RUNNING to FAILED',
    ];

    // Act
    const templates = mine(messages);

    // Assess
    expect(new Set(templates).size).toBe(5);
    expect(templates[0]).toBe('<*> TaskAttempt Transitioned from NEW to UNASSIGNED');
    expect(templates[0]).toBe(templates[1]);
    expect(templates[6]).not.toBe(templates[7]);
  });

  it('takes the first word for a constant, as Drain does', () => {
    // Prepare
    const messages = ['cupsd', 'syslogd', 'klogd', 'hcid', 'portmap'].map((d) => `${d} startup succeeded`);

    // Act
    const templates = mine(messages);

    // Assess
    expect(templates).toEqual(messages);
  });

  it('lets a masked value cover words in the same place, in either order', () => {
    // Prepare
    const words = 'Failed none for invalid user admin from 5.188.10.180 port 52631 ssh2';
    const masked = 'Failed none for invalid user 0 from 5.188.10.180 port 49811 ssh2';

    // Act
    const forward = mine([words, masked]);
    const backward = mine([masked, words]);

    // Assess
    expect(new Set(forward)).toEqual(new Set(['Failed none for invalid user <*> from <*> port <*>']));
    expect(backward).toEqual(forward);
  });

  it('lets a value cover an empty one printed as empty brackets', () => {
    // Act
    const templates = mine([
      'connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005',
      'connection from 222.33.90.199 () at Mon Jun 20 03:40:59 2005',
    ]);

    // Assess: the host name in brackets is another rendering of the address, one value with it.
    expect(templates).toEqual(['connection from <*> at <*>', 'connection from <*> at <*>']);
  });

  it('treats words already seen as values of a variable as values elsewhere too', () => {
    // Prepare
    const users = ['cyrus', 'news', 'test', 'root'];
    const closed = users.map((u) => `session closed for user ${u}`);
    const opened = users.slice(0, 3).map((u) => `session opened for user ${u} by (uid=0)`);

    // Act
    const templates = mine([...opened, ...closed]);

    // Assess
    expect(new Set(templates.slice(0, 3))).toEqual(new Set(['session opened for user <*> by (uid=<*>)']));
    expect(new Set(templates.slice(3))).toEqual(new Set(['session closed for user <*>']));
  });

  it('never makes a template of wildcards only, which would swallow every message of its length', () => {
    // Act
    const templates = mine([
      'jetty-6.1.26',
      'nodeBlacklistingEnabled:true',
      'Launching attempt_1445_0020_m_000001_0',
    ]);

    // Assess
    expect(templates).toEqual(['<*>', 'nodeBlacklistingEnabled:true', 'Launching <*>']);
  });

  it('returns the template as it stands when learning, and a new id once a template absorbs others', () => {
    // Prepare
    const miner = createMiner();
    const users = ['alice', 'bob', 'carol', 'dave'];

    // Act
    const learned = users.map((u) => miner.add(`Accepted publickey for ${u} from 10.0.0.1 port 22 ssh2`));
    const final = miner.match('Accepted publickey for erin from 10.0.0.2 port 2222 ssh2');

    // Assess
    expect(learned[0]?.template).toBe('Accepted publickey for alice from <*> port <*>');
    expect(new Set(learned.slice(0, 3).map((m) => m.templateId)).size).toBe(3);
    expect(learned[3]?.template).toBe('Accepted publickey for <*> from <*> port <*>');
    expect(final).toEqual(learned[3]);
    expect(miner.templates()).toEqual([{ ...learned[3], count: 4 }]);
  });

  it('matches without learning', () => {
    // Prepare
    const miner = createMiner();
    miner.add('Verification succeeded for blk_-4980916519894289629');

    // Act
    const known = miner.match('Verification succeeded for blk_2883353952484543711');
    const unknown = miner.match(
      'Deleting block blk_-1608999687919862906 file /mnt/hadoop/dfs/data/current/blk_-16',
    );

    // Assess
    expect(known?.template).toBe('Verification succeeded for <*>');
    expect(unknown).toBeUndefined();
    expect(miner.size).toBe(1);
  });

  it('keeps at most maxTemplates, forgetting the least recently used', () => {
    // Prepare
    const miner = createMiner({ maxTemplates: 3 });
    const events = [
      'Starting quorum peer',
      'LOOKING',
      'FOLLOWING',
      'Sending DIFF',
      'Getting a snapshot from leader',
    ];

    // Act
    for (const event of events) miner.add(event);
    miner.add('FOLLOWING');
    miner.add('Interrupting SendWorker');

    // Assess
    expect(miner.size).toBe(3);
    expect(
      miner
        .templates()
        .map((t) => t.template)
        .sort(),
    ).toEqual(['FOLLOWING', 'Getting a snapshot from leader', 'Interrupting SendWorker'].sort());
    expect(miner.match('Starting quorum peer')).toBeUndefined();
    expect(miner.match('LOOKING')).toBeUndefined();
  });

  it('groups a realistic stream the same way whatever the order of its lines', () => {
    // Prepare
    const stream = [
      ...OPENSSH,
      'session closed for user cyrus',
      'session closed for user news',
      'session closed for user test',
      'session closed for user root',
      'session opened for user news by (uid=0)',
      'session opened for user test by (uid=509)',
      'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4  user=root',
      'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=csnsu.nsuok.edu  user=guest',
    ];
    const expected = partition(mine(stream));

    // Act & Assess
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          stream.map((_, i) => i),
          { minLength: stream.length },
        ),
        (order) => {
          const shuffled = order.map((i) => stream[i] ?? '');
          const templates = mine(shuffled);
          const back: string[] = [];
          order.forEach((i, at) => {
            back[i] = templates[at] ?? '';
          });
          expect(partition(back)).toEqual(expected);
        },
      ),
      { seed: 20240501, numRuns: 50 },
    );
  });
});
