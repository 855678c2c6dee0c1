/**
 * What the Electron shell (electron/main.ts) uses: the same session, feed and controls as
 * `conclave run`, so the desktop app is a window over the node runtime and nothing more.
 */
export { parseRunFlags, asUsageError, UsageError, RUN_USAGE, type RunSettings } from './cli/run-command.ts';
export { startSession, DashboardStartError, type Session } from './cli/session.ts';
export { humanLine, jsonLine } from './cli/output.ts';
export { DashboardFeed } from './dashboard/feed.ts';
export { applyControl } from './dashboard/controls.ts';
export { CONTENT_SECURITY_POLICY, DEFAULT_UI_DIR, readUiFile } from './dashboard/static-files.ts';
export { CONTROL_ACTIONS, type ControlAction, type ControlResult, type DashboardMessage } from './dashboard/messages.ts';
export type { RuntimeStatus, NodeEvent } from './runtime/conclave-node.ts';
