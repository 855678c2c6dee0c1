import { Lab } from './net/lab.ts';
const lab = Lab.create(5);
const kill: number[] = [], unplug: number[] = [], stepdown: number[] = [], handover: number[] = [];
const agreedAt = (ids: number[], leader: number, since: number) => Math.max(...ids.map((id) => lab.node(id).events.find((e) => e.ts >= since && e.event === 'leader' && e.leader === leader)?.ts ?? Infinity));
try {
  lab.startAll(['--damping-ms', '500']);
  await lab.waitFor('5', () => lab.agreed() === 5, 8000);
  for (let i = 0; i < 12; i++) {
    await new Promise(r => setTimeout(r, 500 + Math.random() * 200));
    let t = Date.now(); await lab.signal(5, 'SIGKILL');
    await lab.waitFor('4', () => lab.agreed([1,2,3,4]) === 4, 5000); kill.push(agreedAt([1,2,3,4], 4, t) - t);
    lab.start(5, ['--damping-ms', '500']); await lab.waitFor('5 back', () => lab.agreed() === 5, 10000);
    await new Promise(r => setTimeout(r, 500 + Math.random() * 200));
    t = Date.now(); lab.unplug(5);
    await lab.waitFor('4', () => lab.agreed([1,2,3,4]) === 4, 5000); unplug.push(agreedAt([1,2,3,4], 4, t) - t);
    await lab.waitFor('5 demoted', () => lab.node(5).events.some(e => e.ts >= t && e.event === 'demoted'), 3000);
    stepdown.push(lab.node(5).events.find(e => e.ts >= t && e.event === 'demoted')!.ts - t);
    lab.replug(5); await lab.waitFor('5 back', () => lab.agreed() === 5, 10000);
    await new Promise(r => setTimeout(r, 300));
    t = Date.now(); await lab.signal(5, 'SIGTERM');
    await lab.waitFor('4', () => lab.agreed([1,2,3,4]) === 4, 5000); handover.push(agreedAt([1,2,3,4], 4, t) - t);
    lab.start(5, ['--damping-ms', '500']); await lab.waitFor('5 back', () => lab.agreed() === 5, 10000);
  }
  const q = (a: number[]) => { const s = [...a].sort((x, y) => x - y); return `p50 ${s[Math.floor(s.length/2)]} min ${s[0]} max ${s.at(-1)} (n=${s.length})`; };
  console.log('kill -9 failover ms', q(kill)); console.log('unplug failover ms', q(unplug)); console.log('unplugged leader step-down ms', q(stepdown)); console.log('SIGTERM handover ms', q(handover));
} finally { lab.destroy(); }
