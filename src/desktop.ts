/**
 * What the Electron shell (electron/main.ts) uses: the app's life (runDesktopApp), and the same
 * feed and controls as `conclave run`'s dashboard, so the desktop app is a window over the node
 * runtime and nothing more.
 */
export { runDesktopApp, thisProcess, type DesktopShell, type DesktopProcess } from './desktop/desktop-app.ts';
export type { Session } from './session/session.ts';
export { DashboardFeed } from './dashboard/feed.ts';
export { applyControl } from './dashboard/controls.ts';
export { CONTENT_SECURITY_POLICY, DEFAULT_UI_DIR, readUiFile } from './dashboard/static-files.ts';
export { CONTROL_ACTIONS, type ControlAction, type ControlResult, type DashboardMessage } from './dashboard/messages.ts';
export type { RuntimeStatus } from './contract/status.ts';
export type { NodeEvent } from './contract/events.ts';
