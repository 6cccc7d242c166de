/**
 * Credential-shaped values per vendor, after each vendor's public description
 * of its formats (prefix, alphabet, length). Random from the corpus seed; none
 * is a real credential. Prefixes are joined from pieces on purpose.
 */
import { ALNUM, B64URL, BASE32, b64url, LOWER_ALNUM, PRINTABLE, type Rng, UPPER_ALNUM } from './random.js';

const j = (...parts: string[]) => parts.join('');

export function values(r: Rng) {
  return {
    awsKeyId: () => j('AK', 'IA') + r.chars(BASE32, 16),
    awsTempKeyId: () => j('AS', 'IA') + r.chars(BASE32, 16),
    awsSecret: (length = 40) => r.chars(`${ALNUM}+/`, length),
    awsSessionToken: () => j('IQoJb3JpZ2luX2Vj') + r.chars(`${ALNUM}+/`, 300),
    azureStorageKey: () => r.base64(64),
    azureConnection: (account: string) =>
      j('DefaultEndpoints', 'Protocol=https;AccountName=') +
      account +
      ';AccountKey=' +
      r.base64(64) +
      ';EndpointSuffix=core.windows.net',
    azureSas: () =>
      `sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-03-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=${encodeURIComponent(r.base64(32))}`,
    azureClientSecret: () => r.alnum(3) + r.int(0, 9) + j('Q', '~') + r.chars(`${ALNUM}~._-`, 34),
    gcpApiKey: () => j('AI', 'za') + r.chars(B64URL, 35),
    ghp: () => j('gh', 'p_') + r.alnum(36),
    gho: () => j('gh', 'o_') + r.alnum(36),
    ghs: () => j('gh', 's_') + r.alnum(36),
    ghFine: () => `${j('github', '_pat_') + r.chars(UPPER_ALNUM, 22)}_${r.alnum(59)}`,
    glpat: () => j('gl', 'pat-') + r.chars(B64URL, 20),
    glRunner: () => j('gl', 'rt-') + r.chars(B64URL, 20),
    glRegistration: () => j('GR13', '48941') + r.chars(B64URL, 20),
    slackBot: () => `${j('xo', 'xb-')}${r.int(1e11, 9e11)}-${r.int(1e12, 9e12)}-${r.alnum(24)}`,
    slackUser: () =>
      `${j('xo', 'xp-')}${r.int(1e11, 9e11)}-${r.int(1e11, 9e11)}-${r.int(1e12, 9e12)}-${r.hex(32)}`,
    slackWebhook: () =>
      j('https://hooks.', 'slack.com/services/') +
      `T${r.chars(UPPER_ALNUM, 8)}/B${r.chars(UPPER_ALNUM, 10)}/${r.alnum(24)}`,
    stripeSecret: () => j('sk', '_live_') + r.alnum(r.pick([24, 99])),
    stripeRestricted: () => j('rk', '_live_') + r.alnum(99),
    stripePublishable: () => j('pk', '_live_') + r.alnum(99),
    stripeWebhook: () => j('wh', 'sec_') + r.alnum(32),
    twilioSid: () => `AC${r.hex(32)}`,
    twilioApiKey: () => j('S', 'K') + r.hex(32),
    twilioToken: () => r.hex(32),
    sendgrid: () => `${j('S', 'G.') + r.chars(B64URL, 22)}.${r.chars(B64URL, 43)}`,
    openai: () => j('sk-', 'proj-') + r.chars(B64URL, 74) + j('T3Blbk', 'FJ') + r.chars(B64URL, 74),
    openaiLegacy: () => j('sk', '-') + r.alnum(20) + j('T3Blbk', 'FJ') + r.alnum(20),
    anthropic: () => `${j('sk-', 'ant-', 'api03-') + r.chars(B64URL, 93)}AA`,
    npm: () => j('np', 'm_') + r.alnum(36),
    pypi: () => j('pypi-', 'AgEIcHlwaS5vcmc') + r.chars(B64URL, 140),
    dockerPat: () => j('dckr', '_pat_') + r.chars(B64URL, 27),
    huggingface: () => j('h', 'f_') + r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 34),
    shopify: () => j('shp', 'at_') + r.hex(32),
    shopifyShared: () => j('shp', 'ss_') + r.hex(32),
    datadogApi: () => r.hex(32),
    datadogApp: () => r.hex(40),
    mailgun: () => j('ke', 'y-') + r.hex(32),
    mailchimp: () => `${r.hex(32)}-us${r.int(1, 21)}`,
    herokuUuid: () => r.uuid(),
    squareToken: () => j('EAAA', 'E') + r.chars(B64URL, 59),
    squareSecret: () => j('sq0', 'csp-') + r.chars(B64URL, 43),
    telegram: () => `${r.int(1e9, 7e9)}:${j('A', 'A')}${r.chars(B64URL, 33)}`,
    discordWebhook: () =>
      `${j('https://discord.com/api/', 'webhooks/')}${r.int(1e17, 9e17)}/${r.chars(B64URL, 68)}`,
    atlassian: () => `${j('ATATT', '3xFfGF0') + r.chars(B64URL, 170)}=${r.hex(8).toUpperCase()}`,
    linear: () => j('lin', '_api_') + r.alnum(40),
    postman: () => `${j('PM', 'AK-') + r.hex(24)}-${r.hex(34)}`,
    newRelic: () => j('NR', 'AK-') + r.chars(UPPER_ALNUM, 27),
    sentryAuth: () => j('sntr', 'ys_') + r.chars(B64URL, 150),
    grafana: () => `${j('gl', 'sa_') + r.alnum(32)}_${r.hex(8)}`,
    digitalocean: () => j('do', 'p_v1_') + r.hex(64),
    doppler: () => j('dp', '.pt.') + r.alnum(43),
    vault: () => j('hv', 's.') + r.chars(B64URL, 90),
    age: () => j('AGE-SECRET', '-KEY-1') + r.chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58),
    alibabaId: () => j('LT', 'AI') + r.alnum(20),
    alibabaSecret: () => r.alnum(30),
    algolia: () => r.hex(32),
    firebase: () => `${j('AA', 'AA') + r.chars(B64URL, 7)}:${j('APA91b')}${r.chars(B64URL, 134)}`,
    pulumi: () => j('pu', 'l-') + r.hex(40),
    netlify: () => j('nf', 'p_') + r.alnum(36),
    databricks: () => j('da', 'pi') + r.hex(32),
    okta: () => j('00') + r.chars(B64URL, 40),
    jwt: (claims: Record<string, unknown>) =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify(claims))}.${r.chars(B64URL, 43)}`,
    laravelKey: () => `base64:${r.base64(32)}`,
    railsSecret: () => r.hex(128),
    djangoKey: () => j('django-', 'insecure-') + r.chars(`${LOWER_ALNUM}!@#$%^&*(-_=+)`, 50),
    wpSalt: () => r.chars(PRINTABLE.replace("'", '').replace('\\', ''), 64),
    bcrypt: () => `$2y$10$${r.chars(`${ALNUM}./`, 53)}`,
    bcryptB: () => `$2b$12$${r.chars(`${ALNUM}./`, 53)}`,
    sha512crypt: () => `$6$${r.chars(`${ALNUM}./`, 16)}$${r.chars(`${ALNUM}./`, 86)}`,
    yescrypt: () => `$y$j9T$${r.chars(`${ALNUM}./`, 22)}$${r.chars(`${ALNUM}./`, 43)}`,
    md5crypt: () => `$1$${r.chars(`${ALNUM}./`, 8)}$${r.chars(`${ALNUM}./`, 22)}`,
    apr1: () => `$apr1$${r.chars(`${ALNUM}./`, 8)}$${r.chars(`${ALNUM}./`, 22)}`,
    sha1b64: () => `{SHA}${r.base64(20)}`,
    md5hex: () => r.hex(32),
    sha1hex: () => r.hex(40),
    sha256hex: () => r.hex(64),
    password: () => r.password(),
  };
}

export type Values = ReturnType<typeof values>;
