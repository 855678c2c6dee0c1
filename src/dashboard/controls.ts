import type { Elector } from '../contract/elector.ts';
import type { ControlAction, ControlResult } from './messages.ts';

/** Applies a dashboard control to the node; a control that cannot apply says why instead. */
export function applyControl(node: Pick<Elector, 'resign' | 'pause' | 'resume' | 'paused' | 'status'>, action: ControlAction): ControlResult {
  switch (action) {
    case 'resign':
      if (node.status().role !== 'leader') return { ok: false, error: 'this node is not the coordinator, so it has nothing to resign' };
      node.resign();
      return { ok: true };
    case 'pause':
      if (node.paused) return { ok: false, error: 'already paused' };
      node.pause();
      return { ok: true };
    case 'resume':
      if (!node.paused) return { ok: false, error: 'not paused' };
      node.resume();
      return { ok: true };
  }
}
