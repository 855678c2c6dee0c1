import type { Mutant } from './mutant.ts';

const TOKEN_FILE = 'src/dashboard/control-token.ts';
const TOKEN_MATCH = 'given.length === expected.length && timingSafeEqual(given, expected)';
const TOKEN_TESTS = ['test/dashboard/server.test.ts', 'test/lab/lab-server.test.ts'];

/** Breaks of what guards the pages: the tokens of a dashboard's controls and the lab's buttons, the Host check. */
export const PAGE_MUTANTS: readonly Mutant[] = [
  {
    name: 'token-prefix-accepted',
    rule: "a prefix of the dashboard's control token (or the lab's token) is refused",
    file: TOKEN_FILE,
    edits: [
      {
        original: TOKEN_MATCH,
        replacement: 'given.length > 0 && given.length <= expected.length && timingSafeEqual(given, expected.subarray(0, given.length))',
      },
    ],
    tests: TOKEN_TESTS,
    testNamePattern: 'prefix',
  },
  {
    name: 'token-longer-accepted',
    rule: "the dashboard's control token (or the lab's token) with anything after it is refused",
    file: TOKEN_FILE,
    edits: [{ original: TOKEN_MATCH, replacement: 'given.length >= expected.length && timingSafeEqual(given.subarray(0, expected.length), expected)' }],
    tests: TOKEN_TESTS,
    testNamePattern: 'prefix',
  },
  {
    name: 'dashboard-token-unchecked',
    rule: "a dashboard control without the control token is refused",
    file: 'src/dashboard/server.ts',
    edits: [{ original: 'if (!bearerTokenMatches(request.headers.authorization, options.token)) {', replacement: 'if (false) {' }],
    tests: ['test/dashboard/server.test.ts'],
    testNamePattern: 'token',
  },
  {
    name: 'host-check-off',
    rule: 'a dashboard answers only to its own host names (a DNS-rebinding page gets nothing)',
    file: 'src/dashboard/web-host.ts',
    edits: [{ original: 'if (!hostAllowed(request.headers.host, options.host, self!.port)) {', replacement: 'if (false) {' }],
    tests: ['test/dashboard/server.test.ts'],
    testNamePattern: 'DNS rebinding',
  },
  {
    name: 'lab-token-starts-with',
    rule: "the lab's token is compared whole, not as the header's start",
    file: 'src/lab/lab-server.ts',
    edits: [
      {
        original: 'bearerTokenMatches(request.headers.authorization, options.token)',
        replacement: "(request.headers.authorization ?? '').startsWith('Bearer ' + options.token)",
      },
    ],
    tests: ['test/lab/lab-server.test.ts'],
    testNamePattern: 'prefix',
  },
];
