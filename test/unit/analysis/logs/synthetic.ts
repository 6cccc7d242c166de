/**
 * Generated logs with known events, in shapes whose variables change the
 * token count or hide behind delimiters: the systems a miner has not been
 * tuned on. Each generator draws from a seeded generator, so a shape gives
 * the same lines on every run; each line carries the event it was made from.
 */

export interface LabelledLine {
  readonly line: string;
  /** The event the line was generated from: the ground truth of grouping. */
  readonly event: string;
}

/** Mulberry32: small, seeded, good enough to draw test data. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Draw {
  pick<T>(values: readonly T[]): T;
  int(min: number, max: number): number;
}

function draw(random: () => number): Draw {
  return {
    pick: <T>(values: readonly T[]) => values[Math.floor(random() * values.length)] as T,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
  };
}

type Event = readonly [name: string, make: (d: Draw) => string];

function generate(events: readonly Event[], count: number, seed: number): LabelledLine[] {
  const d = draw(seeded(seed));
  return Array.from({ length: count }, () => {
    const [event, make] = d.pick(events);
    return { line: make(d), event };
  });
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
const HOSTS = [
  'www.example.com:443',
  '10.1.2.3:8080',
  'api.service.internal:5070',
  'cdn.assets.net:80',
  'mail.corp.example.org:993',
  'localhost:3128',
  '[2001:db8::7]:443',
];
/** Programs as a desktop proxy client names them: one word, a quoted phrase, a 64-bit mark, a path with spaces. */
const PROGRAMS = [
  'chrome.exe',
  'firefox.exe',
  'svchost.exe',
  'Skype.exe',
  'git-remote-https.exe',
  'Dropbox.exe *64',
  'OneDrive.exe *64',
  '"Google Chrome Helper"',
  '"Microsoft Outlook"',
  'C:\\Program Files (x86)\\Acme Tools\\agent.exe',
  'C:\\Program Files\\Slack\\slack.exe',
];

const size = (d: Draw) =>
  d.pick([
    () => `${d.int(0, 999)} bytes`,
    () => `${d.int(1000, 9999)} bytes (${(d.int(100, 999) / 100).toFixed(2)} KB)`,
    () => `${d.int(100_000, 9_999_999)} bytes (${(d.int(10, 99) / 10).toFixed(1)} MB)`,
  ])();
const lifetime = (d: Draw) => d.pick(['<1 sec', `00:0${d.int(1, 9)}`, `${d.int(1, 59)}:${d.int(10, 59)}`]);

/** `prog - host:port open through proxy host:port HTTPS`: the program spans one to four tokens. */
export function proxyLog(count: number, seed = 1): LabelledLine[] {
  return generate(
    [
      ['open', (d) => `${d.pick(PROGRAMS)} - ${d.pick(HOSTS)} open through proxy ${d.pick(HOSTS)} HTTPS`],
      [
        'close',
        (d) =>
          `${d.pick(PROGRAMS)} - ${d.pick(HOSTS)} close, ${size(d)} sent, ${size(d)} received, lifetime ${lifetime(d)}`,
      ],
      [
        'refused',
        (d) =>
          `${d.pick(PROGRAMS)} - ${d.pick(HOSTS)} error : Could not connect through proxy ${d.pick(HOSTS)} - ` +
          `Proxy server cannot establish a connection with the target, status code ${d.pick([403, 502, 504])}`,
      ],
      [
        'resolve',
        (d) => `${d.pick(PROGRAMS)} - Could not resolve ${d.pick(HOSTS)} error ${d.pick([11001, 11004])}`,
      ],
      [
        'chain',
        (d) => `${d.pick(PROGRAMS)} - ${d.pick(HOSTS)} proxy chain ${d.pick(HOSTS)}, ${d.pick(HOSTS)} in use`,
      ],
    ],
    count,
    seed,
  );
}

const LABEL_KEYS = ['app', 'tier', 'team', 'env', 'version', 'zone'];
const LABEL_VALUES = ['web', 'api', 'db', 'cache', 'frontend', 'backend', 'prod', 'staging', 'blue', 'green'];
const ACTIONS = ['create', 'update', 'delete', 'list', 'get', 'patch', 'watch'];

/** Runs of `key=value` pairs whose length varies, and fixed keys whose values are words. */
export function keyValueLog(count: number, seed = 2): LabelledLine[] {
  return generate(
    [
      [
        'labels',
        (d) =>
          `Updated labels on pod web-${d.int(1, 99)}: ${Array.from(
            { length: d.int(1, 4) },
            () => `${d.pick(LABEL_KEYS)}=${d.pick(LABEL_VALUES)}`,
          ).join(' ')}`,
      ],
      [
        'request',
        (d) =>
          `request handled user=${d.pick(USERS)} action=${d.pick(ACTIONS)} status=${d.pick([200, 201, 404])} took=${d.int(1, 900)}ms`,
      ],
      ['denied', (d) => `access denied user=${d.pick(USERS)} action=${d.pick(ACTIONS)} reason=forbidden`],
      [
        'quota',
        (d) => `quota exceeded tenant=${d.pick(USERS)} limit=${d.int(10, 99)} used=${d.int(100, 999)}`,
      ],
    ],
    count,
    seed,
  );
}

const NAMES = [
  'John Smith',
  'Ada Lovelace',
  'Grace Brewster Hopper',
  'Alan Turing',
  'Barbara Liskov',
  'Ken Thompson',
];
const TITLES = [
  'Quarterly report Q3.pdf',
  'Team offsite plan',
  'budget 2024 final v2.xlsx',
  'Notes',
  'Release checklist',
];
const COMMANDS = [
  'ls -la /tmp',
  'df -h',
  'systemctl restart nginx',
  'tar czf backup.tgz /srv/data',
  'uptime',
];

/** Quoted strings holding spaces, and a quoted HTTP request line whose method is part of the event. */
export function quotedLog(count: number, seed = 3): LabelledLine[] {
  return generate(
    [
      ['login', (d) => `User "${d.pick(NAMES)}" logged in from 192.168.${d.int(0, 9)}.${d.int(1, 254)}`],
      ['share', (d) => `Document '${d.pick(TITLES)}' shared with ${d.pick(USERS)}`],
      ['command', (d) => `Command "${d.pick(COMMANDS)}" exited with code ${d.int(0, 2)}`],
      [
        'get',
        (d) => `"GET /v2/servers/${d.int(1000, 9999)}/detail HTTP/1.1" status: 200 len: ${d.int(100, 9999)}`,
      ],
      ['post', (d) => `"POST /v2/servers HTTP/1.1" status: 202 len: ${d.int(100, 9999)}`],
    ],
    count,
    seed,
  );
}

const duration = (d: Draw) =>
  d.pick([
    `${d.int(1, 999)} ms`,
    `${d.int(1, 9)}.${d.int(0, 9)}s`,
    `${d.int(2, 59)} minutes`,
    `${d.int(1, 999)}ms`,
  ]);
const quantity = (d: Draw) =>
  d.pick([
    `${d.int(1, 9)}.${d.int(0, 9)} KB`,
    `${d.int(1, 999)} bytes`,
    `${d.int(1, 99)}MB`,
    `${d.int(1, 99)} MiB`,
  ]);
const TABLES = ['orders', 'users', 'sessions', 'events', 'invoices', 'carts'];

/** Sizes and durations with their unit glued on or as a word of its own. */
export function unitsLog(count: number, seed = 4): LabelledLine[] {
  return generate(
    [
      [
        'compaction',
        (d) => `Compaction of ${d.pick(TABLES)} finished in ${duration(d)}, wrote ${quantity(d)}`,
      ],
      ['gc', (d) => `GC pause ${duration(d)}, heap ${quantity(d)} -> ${quantity(d)}`],
      ['upload', (d) => `Uploaded ${d.int(2, 50)} files (${quantity(d)}) in ${duration(d)}`],
      ['slow', (d) => `Slow query on ${d.pick(TABLES)} took ${duration(d)}`],
    ],
    count,
    seed,
  );
}

/** Fields glued by `|`, `;`, `,`, `=` and `:`; states with two values are part of the event. */
export function delimitedLog(count: number, seed = 5): LabelledLine[] {
  return generate(
    [
      [
        'pipe',
        (d) => `svc=${d.pick(TABLES)}|level=warn|msg=slow_call|took=${d.int(1, 999)}ms|user=${d.pick(USERS)}`,
      ],
      ['ready', (d) => `heartbeat node:${d.pick(USERS)}-${d.int(1, 9)};state:ready;load:0.${d.int(0, 99)}`],
      [
        'draining',
        (d) => `heartbeat node:${d.pick(USERS)}-${d.int(1, 9)};state:draining;load:0.${d.int(0, 99)}`,
      ],
      ['copy', (d) => `copy src=${d.pick(HOSTS)},dst=${d.pick(HOSTS)},bytes=${d.int(1, 99999)}`],
      [
        'members',
        (d) => `cluster members: ${Array.from({ length: d.int(1, 5) }, () => d.pick(HOSTS)).join(', ')}`,
      ],
    ],
    count,
    seed,
  );
}

/** A position that holds a number in one line and a word in another. */
export function mixedValueLog(count: number, seed = 6): LabelledLine[] {
  return generate(
    [
      ['closed', (d) => `Session closed for user ${d.pick([...USERS, '0', '1000', '65534'])}`],
      [
        'retry',
        (d) =>
          `Scheduling retry ${d.pick(['never', 'now', String(d.int(1, 9)), 'later', 'soon'])} for job ${d.int(1, 999)}`,
      ],
      [
        'owner',
        (d) => `Changed owner of /srv/${d.pick(TABLES)} to ${d.pick([...USERS, String(d.int(100, 999))])}`,
      ],
    ],
    count,
    seed,
  );
}
