#!/usr/bin/env node
/**
 * One node-discover process for the side-by-side benchmark, reporting like `conclave run --json`:
 * a JSON line whenever its role or the master it follows changes. Its weight is its ID, so the
 * highest ID is preferred, as in Conclave.
 *
 *   node nd-node.cjs --id 3 --multicast 239.255.77.8 --port 7708
 *        [--hello-ms 1000 --check-ms 2000 --node-timeout-ms 2000 --master-timeout-ms 2000]
 *
 * Timings not given are node-discover's own defaults.
 */
'use strict';
const { parseArgs } = require('node:util');
const Discover = require('node-discover');

const { values } = parseArgs({
  options: {
    id: { type: 'string' },
    multicast: { type: 'string' },
    port: { type: 'string' },
    'hello-ms': { type: 'string' },
    'check-ms': { type: 'string' },
    'node-timeout-ms': { type: 'string' },
    'master-timeout-ms': { type: 'string' },
  },
});
const number = (name) => (values[name] === undefined ? undefined : Number(values[name]));
const id = Number(values.id);
const options = {
  weight: id,
  multicast: values.multicast,
  port: Number(values.port),
  advertisement: { id },
  hostname: `n${id}`,
};
for (const [flag, option] of [['hello-ms', 'helloInterval'], ['check-ms', 'checkInterval'], ['node-timeout-ms', 'nodeTimeout'], ['master-timeout-ms', 'masterTimeout']]) {
  if (number(flag) !== undefined) options[option] = number(flag);
}

process.stdout.on('error', () => {});
let last = '';
function report(event, d) {
  const master = d.me.isMaster ? id : followed(d);
  const role = d.me.isMaster ? 'leader' : 'follower';
  const key = `${role} ${master}`;
  if (key === last && event !== 'started') return;
  last = key;
  let peers = 0;
  d.eachNode(() => peers++);
  process.stdout.write(`${JSON.stringify({ ts: Date.now(), event, id, role, term: 0, leader: master, quorum: { have: peers + 1, need: 0 } })}\n`);
}

/** The master this node would name: the highest-weight node it knows that says it is one. */
function followed(d) {
  let best = null;
  d.eachNode((node) => {
    if (node.isMaster && (best === null || node.weight > best.weight)) best = node;
  });
  return best === null ? null : best.advertisement.id;
}

const d = new Discover(options, (error) => {
  if (error) {
    process.stderr.write(`nd-node: ${error.message}\n`);
    process.exit(1);
  }
  report('started', d);
});
for (const event of ['promotion', 'demotion', 'master', 'added', 'removed', 'check']) d.on(event, () => report(event === 'check' ? 'leader' : event, d));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    d.stop();
    process.exit(0);
  });
}
