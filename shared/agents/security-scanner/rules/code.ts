/**
 * The code-pattern rules (../code.ts) for JavaScript/TypeScript, Python, Go
 * and Java: code, shell commands and SQL built from strings, disabled TLS
 * checks, weak password hashes and unsafe deserialization. Each bad sample
 * builds the value at run time; each good one is the safe form of the same
 * call, which the narrow patterns must leave alone.
 */
import { defineRules } from '../../scan/catalog.js';

export const CODE_RULES = defineRules('security-scanner', [
  {
    id: 'CODE-EVAL',
    severity: 'high',
    category: 'security',
    title: 'Dynamic code evaluation',
    description:
      'eval, exec, new Function or vm.run* on a value that is not a literal: if any part comes from input, it runs attacker code.',
    remediation:
      'Parse data with a parser (JSON.parse, ast.literal_eval), dispatch through a table of functions.',
    cwe: ['CWE-95'],
    docs: 'https://cwe.mitre.org/data/definitions/95.html',
    samples: {
      bad: [
        {
          path: 'calculator.py',
          content: 'def total(request):\n    return eval(request.args["formula"])\n',
          line: 2,
        },
        { path: 'rules.js', content: 'const check = new Function("order", body);\n', line: 1 },
      ],
      good: [
        {
          path: 'calculator.py',
          content: 'import ast\n\ndef total(text):\n    return ast.literal_eval(text)\n',
        },
        { path: 'rules.js', content: 'const two = eval("1 + 1");\nconst data = JSON.parse(body);\n' },
      ],
    },
  },
  {
    id: 'CODE-COMMAND-INJECTION',
    severity: 'high',
    category: 'security',
    title: 'Shell command built from strings',
    description:
      'child_process.exec, os.system, subprocess with shell=True, Runtime.exec or `sh -c` with a command built by concatenation or interpolation: shell metacharacters in a value run extra commands.',
    remediation:
      'Run the program with an argument list and no shell (execFile / spawn, subprocess.run([...]), exec.Command(name, args...)).',
    cwe: ['CWE-78'],
    docs: 'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html',
    samples: {
      bad: [
        {
          path: 'backup.py',
          content: 'import os\n\ndef archive(folder):\n    os.system("tar czf /tmp/backup.tgz " + folder)\n',
          line: 4,
        },
        {
          path: 'thumbs.js',
          content:
            "const { exec } = require('child_process');\n" +
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the sample is JavaScript with a template literal
            'exec(`convert ${req.query.file} -resize 64x64 thumb.png`);\n',
          line: 2,
        },
      ],
      good: [
        {
          path: 'backup.py',
          content:
            'import subprocess\n\ndef archive(folder):\n    subprocess.run(["tar", "czf", "/tmp/backup.tgz", folder], check=True)\n',
        },
        {
          path: 'thumbs.js',
          content:
            "const { execFile } = require('child_process');\nexecFile('convert', [file, '-resize', '64x64', 'thumb.png']);\n",
        },
      ],
    },
  },
  {
    id: 'CODE-SQL-INJECTION',
    severity: 'high',
    category: 'security',
    title: 'SQL built by string concatenation or interpolation',
    description:
      'A SQL statement assembled with +, template literals, f-strings, % or format: a value with a quote changes the query.',
    remediation:
      'Use bind parameters ($1, ?, %s as driver parameters) or a query builder / tagged template (sql``).',
    cwe: ['CWE-89'],
    docs: 'https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html',
    samples: {
      bad: [
        {
          path: 'users.py',
          content:
            'def find(cursor, user_id):\n    cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")\n',
          line: 2,
        },
        {
          path: 'orders.ts',
          content:
            'export const byCustomer = (id: string) =>\n' +
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the sample is TypeScript with a template literal
            '  db.query(`SELECT * FROM orders WHERE customer_id = ${id}`);\n',
          line: 2,
        },
      ],
      good: [
        {
          path: 'users.py',
          content:
            'def find(cursor, user_id):\n    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))\n',
        },
        {
          path: 'orders.ts',
          content:
            "export const byCustomer = (id: string) =>\n  db.query('SELECT * FROM orders WHERE customer_id = $1', [id]);\n",
        },
      ],
    },
  },
  {
    id: 'CODE-TLS-DISABLED',
    severity: 'high',
    category: 'security',
    title: 'TLS certificate verification disabled',
    description:
      'rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED=0, verify=False, CERT_NONE, InsecureSkipVerify: true, trust-all managers or hostname verifiers: any machine on the path can read and change the traffic.',
    remediation:
      'Keep verification on; trust a private CA explicitly (ca option, REQUESTS_CA_BUNDLE, RootCAs).',
    cwe: ['CWE-295'],
    docs: 'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
    samples: {
      bad: [
        { path: 'client.py', content: 'import requests\n\nrequests.get(url, verify=False)\n', line: 3 },
        { path: '.env', content: 'NODE_TLS_REJECT_UNAUTHORIZED=0\n', line: 1, why: 'any text file sets it' },
      ],
      good: [
        {
          path: 'client.py',
          content: 'import requests\n\nrequests.get(url, verify="/etc/ssl/internal-ca.pem")\n',
        },
        {
          path: 'agent.js',
          content: "throw new Error('do not set rejectUnauthorized: false in production');\n",
          why: 'a message naming the setting sets nothing',
        },
      ],
    },
  },
  {
    id: 'CODE-WEAK-HASH',
    severity: 'high',
    category: 'security',
    title: 'Weak hash for passwords',
    description:
      'MD5 or SHA-1 applied to a password: fast, unsalted hashes are cracked by the billions per second once the table leaks.',
    remediation:
      'Hash passwords with argon2id, scrypt or bcrypt (node:crypto scrypt, passlib, golang.org/x/crypto).',
    cwe: ['CWE-916'],
    docs: 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html',
    samples: {
      bad: [
        {
          path: 'accounts.py',
          content:
            'import hashlib\n\ndef store(password):\n    return hashlib.md5(password.encode()).hexdigest()\n',
          line: 4,
        },
      ],
      good: [
        {
          path: 'uploads.py',
          content: 'import hashlib\n\ndef etag(data):\n    return hashlib.md5(data).hexdigest()\n',
          why: 'a checksum of content, not a password',
        },
      ],
    },
  },
  {
    id: 'CODE-UNSAFE-DESERIALIZATION',
    severity: 'high',
    category: 'security',
    title: 'Unsafe deserialization',
    description:
      'pickle / marshal loads, yaml.load without a safe loader, or Java ObjectInputStream.readObject: deserializing untrusted bytes can run code.',
    remediation: 'Use yaml.safe_load, JSON, or an allow-list of classes (ObjectInputFilter).',
    cwe: ['CWE-502'],
    docs: 'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html',
    samples: {
      bad: [
        { path: 'settings.py', content: 'import yaml\n\nconfig = yaml.load(stream)\n', line: 3 },
        { path: 'jobs.py', content: 'import pickle\n\njob = pickle.loads(request.data)\n', line: 3 },
      ],
      good: [
        { path: 'settings.py', content: 'import yaml\n\nconfig = yaml.safe_load(stream)\n' },
        { path: 'jobs.py', content: 'import json\n\njob = json.loads(request.data)\n' },
      ],
    },
  },
]);
