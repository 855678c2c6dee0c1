/**
 * Every error Conclave throws on purpose: one base class with a stable `code`, so that a program
 * (and the command line) tells a condition it can act on from a bug by code, not by class checks
 * or by reading the message. The classes live beside the code that throws them; this module holds
 * what they share, on the lowest floor so that the pure core can throw one too. The codes and
 * what to do about each are one table: docs/errors.md (a test keeps it equal to this list).
 */

/** The codes: stable across versions (a code is only added; its meaning never changes). */
export const ConclaveErrorCode = {
  /** A node option that cannot be used (OptionError). */
  Option: 'ERR_OPTION',
  /** The election's timings or voters do not fit together (ConfigError). */
  Config: 'ERR_CONFIG',
  /** A cluster key that cannot be read or used (KeyError). */
  Key: 'ERR_KEY',
  /** The saved term and vote cannot be read, written or locked (StateFileError). */
  StateFile: 'ERR_STATE_FILE',
  /** The data directory cannot be created or written (DataDirError). */
  DataDir: 'ERR_DATA_DIR',
  /** No network interface fits, or the one asked for is missing (InterfaceError). */
  Interface: 'ERR_INTERFACE',
  /** The metrics endpoint cannot listen (MetricsListenError). */
  MetricsListen: 'ERR_METRICS_LISTEN',
  /** A cluster file that cannot be used (ClusterFileError). */
  ClusterFile: 'ERR_CLUSTER_FILE',
  /** The dashboard's server cannot start (DashboardStartError). */
  DashboardStart: 'ERR_DASHBOARD_START',
  /** A bad or conflicting command-line flag of `conclave run` or `conclave watch` (UsageError). */
  Usage: 'ERR_USAGE',
  /** `conclave init` cannot write its files (InitError). */
  Init: 'ERR_INIT',
  /** A list of lab hosts that cannot be used (HostListError). */
  HostList: 'ERR_HOST_LIST',
  /** `conclave check` cannot run: a bad flag or a file (CheckError). */
  Check: 'ERR_CHECK',
  /** An event log line that cannot be read (LogReadError). */
  LogRead: 'ERR_LOG_READ',
  /** conclave/testing: a wait for a leader or for agreement ran out of time (TestTimeoutError). */
  TestTimeout: 'ERR_TEST_TIMEOUT',
  /** conclave/testing: a test cluster used as it cannot be (closed, no such node, a bad size: TestClusterError). */
  TestCluster: 'ERR_TEST_CLUSTER',
} as const;
export type ConclaveErrorCode = (typeof ConclaveErrorCode)[keyof typeof ConclaveErrorCode];

/** The base of every error in the table; `cause` is the error it wraps, if any. */
export abstract class ConclaveError extends Error {
  abstract readonly code: ConclaveErrorCode;
}

/** True for a ConclaveError (of `code`, when given): a condition to act on rather than a bug. */
export function isConclaveError<C extends ConclaveErrorCode>(error: unknown, code?: C): error is ConclaveError & { readonly code: C } {
  return error instanceof ConclaveError && (code === undefined || error.code === code);
}
