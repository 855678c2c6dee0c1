/** Writing the observer's record lines (the format: src/contract/watch-record.ts, docs/watch.md). */
import type { WatchRecordLine } from '../contract/watch-record.ts';

export type { WatchRecordLine } from '../contract/watch-record.ts';

export function formatRecordLine(line: WatchRecordLine): string {
  return `${JSON.stringify(line)}\n`;
}
