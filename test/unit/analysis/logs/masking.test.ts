import { describe, expect, it } from '@jest/globals';
import { maskedTokens } from '../../../../shared/analysis/logs/masking.js';

describe('maskedTokens', () => {
  it.each([
    ['numbers', 'PacketResponder 1 for block terminating', 'PacketResponder <*> for block terminating'],
    ['negative block ids', 'Deleting block blk_-1608999687919862906 file', 'Deleting block <*> file'],
    [
      'IPs with ports, alone and after a slash',
      'Receiving block src: /10.250.19.102:54106 dest: /10.250.19.102:50010',
      'Receiving block src: /<*> dest: /<*>',
    ],
    ['hex', 'instruction address: 0x00004ed8', 'instruction address: <*>'],
    ['UUIDs', 'instance 9c0b9bd8-3e76-4d24-a6c5-0c0d9b1a6b1e deleted', 'instance <*> deleted'],
    ['job and attempt ids', 'Launching attempt_1445144423722_0020_m_000000_0', 'Launching <*>'],
    ['MAC addresses', 'New ido chip: FF:F2:9F:16:BF:6C:00:0D:60:E9:40:93 found', 'New ido chip: <*> found'],
    [
      'key=value values with digits',
      'logname= uid=0 euid=0 tty=NODEVssh',
      'logname= uid=<*> euid=<*> tty=NODEVssh',
    ],
    [
      'host names holding digits, whole',
      'rhost=5.36.59.76.dynamic-dsl-ip.omantel.net.om user=root',
      'rhost=<*> user=root',
    ],
    ['host names with a port', 'proxy.cse.cuhk.edu.hk:5070 open through proxy', '<*> open through proxy'],
    [
      'URLs',
      'Connecting to driver: spark://CoarseGrainedScheduler@10.10.34.11:48069',
      'Connecting to driver: <*>',
    ],
    ['paths, keeping quotes around them', "creating device node '/udev/vcsa2'", "creating device node '<*>'"],
    ['sizes with a unit word', 'estimated size 5.2 KB, free 317.1 KB)', 'estimated size <*>, free <*>)'],
    ['durations, even below one', 'lifetime <1 sec', 'lifetime <*>'],
    ['durations attached to the number', 'took 12ms to flush 4.5MB', 'took <*> to flush <*>'],
    [
      'calendar dates spanning tokens, whatever their spacing',
      'connection from 84.139.180.144 () at Fri Jul  1 09:07:52 2005',
      'connection from <*> () at <*>',
    ],
    ['ISO timestamps', 'started at 2015-10-18 18:01:47,978 by init', 'started at <*> by init'],
    [
      'a run of values as one',
      'ask 10.250.17.177:50010 to delete blk_-85 blk_-91 blk_87',
      'ask <*> to delete <*>',
    ],
    [
      'a value with another rendering of it in brackets, as one',
      'close, 1152 bytes (1.12 KB) sent',
      'close, <*> sent',
    ],
    [
      'durations and sizes in other units',
      'took 1.5s to move 12 MiB at 3 MB/s, then 2 minutes idle',
      'took <*> to move <*> at <*>, then <*> idle',
    ],
    [
      'a list of host:port values glued by commas',
      'members: a.example.com:80, [::1]:8080, 10.0.0.2:443 up',
      'members: <*> up',
    ],
    ['relative paths with two separators', 'compiling src/main/java/App.java', 'compiling <*>'],
    ['a value after a sigil', 'Dropbox.exe *64 - issue #42', 'Dropbox.exe <*> - issue <*>'],
    [
      'a Windows path with spaces in its folders',
      'C:\\Program Files (x86)\\Acme Tools\\agent.exe - open',
      '<*> - open',
    ],
    ['a quoted phrase of values only', 'peers "10.0.0.1 10.0.0.2" joined', 'peers "<*>" joined'],
  ])('masks %s', (_what, content, expected) => {
    // Act
    const tokens = maskedTokens(content);

    // Assess
    expect(tokens.join(' ')).toBe(expected);
  });

  it.each([
    ['words', 'Failed password for root from', 'Failed password for root from'],
    ['the word part of a token with a number', 'generating core.2275', 'generating core.<*>'],
    [
      'padding dots before a value',
      'auxiliary processor.........................0',
      'auxiliary processor.........................<*>',
    ],
    [
      'class names and states',
      'TaskAttempt Transitioned from NEW to UNASSIGNED',
      'TaskAttempt Transitioned from NEW to UNASSIGNED',
    ],
    ['a source location', '[ib_sm_sweep.c:1831]: sweep', '[ib_sm_sweep.c:<*>]: sweep'],
    ['single-segment paths', 'Resolved host to /default-rack', 'Resolved host to /default-rack'],
    ['month names that are not dates', 'May not be reached', 'May not be reached'],
  ])('keeps %s', (_what, content, expected) => {
    // Act
    const tokens = maskedTokens(content);

    // Assess
    expect(tokens.join(' ')).toBe(expected);
  });

  it.each([
    [
      'a quoted phrase, masked word by word',
      'User "Grace B. Hopper" logged in',
      ['User', '"Grace B. Hopper"', 'logged', 'in'],
    ],
    [
      'a quoted request line, whose method stays',
      '"GET /v2/servers/42/detail HTTP/1.1" status: 200',
      ['"GET <*> HTTP/<*>"', 'status:', '<*>'],
    ],
    ['a quoted value after a key', "msg='disk is full', code=5", ["msg='disk is full',", 'code=<*>']],
    ['no phrase from apostrophes inside words', "don't stop, it's fine", ["don't", 'stop,', "it's", 'fine']],
  ])('keeps %s as one token', (_what, content, expected) => {
    // Act
    const tokens = maskedTokens(content);

    // Assess
    expect(tokens).toEqual(expected);
  });

  it.each([
    ['pipes', 'svc=api|level=warn|took=12ms', 'svc=api | level=warn | took=<*>'],
    ['semicolons', 'node:a;state:ready;load:0.5', 'node:a; state:ready; load:<*>'],
    ['commas before a key', 'copy src=a,dst=b,bytes=12', 'copy src=a, dst=b, bytes=<*>'],
    ['but not commas of a list of words', 'members: alpha,beta,gamma', 'members: alpha,beta,gamma'],
  ])('splits fields glued by %s', (_what, content, expected) => {
    // Act
    const tokens = maskedTokens(content);

    // Assess
    expect(tokens.join(' ')).toBe(expected);
  });

  it('splits on any whitespace and gives no tokens for a blank message', () => {
    // Act
    const tokens = maskedTokens(' a\tb  c ');
    const blank = maskedTokens('   ');

    // Assess
    expect(tokens).toEqual(['a', 'b', 'c']);
    expect(blank).toEqual([]);
  });

  it.each([
    ['a long word before a number', `${'a'.repeat(50_000)}.1`],
    ['a long run of dots', `x${'.'.repeat(50_000)}y1`],
    ['many labels before a bad port', `${'a.'.repeat(25_000)}com:1234567`],
    ['a long number with a bad end', `${'1'.repeat(50_000)}!x`],
    ['many month names', 'Jan '.repeat(12_000)],
    ['many unclosed quotes', '"a '.repeat(20_000)],
    ['many quotes closed in the middle of words', ' "a"b'.repeat(20_000)],
    ['a long Windows path', `C:\\${'a b\\'.repeat(10_000)}`],
  ])('stays linear on a crafted message: %s', (_what, content) => {
    // Prepare
    const started = performance.now();

    // Act
    const tokens = maskedTokens(content);

    // Assess
    expect(tokens.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
