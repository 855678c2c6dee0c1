/**
 * Counts the datagrams that reach the runtime on the multicast group, through UdpTransport's
 * permanent listener, or (with "recv") through a loop of dgram-as-promised recv() calls that
 * awaits between datagrams. Prints the count once the senders are done and the group has been
 * quiet for 500 ms.
 */
import DgramAsPromised from 'dgram-as-promised';
import { PeerDirectory } from '../../src/net/peer-directory.ts';
import { UdpTransport } from '../../src/net/udp-transport.ts';

const [mode = 'listener', group = '239.255.77.9', port = '7799'] = process.argv.slice(2);
let count = 0;
let last = Date.now();

if (mode === 'listener') {
  const transport = await UdpTransport.open({
    group,
    port: Number(port),
    interface: 'lo',
    directory: new PeerDirectory({ selfId: 1, voters: [1], aliveMs: 1000, multicast: true }),
  });
  transport.onDatagram(() => {
    count++;
    last = Date.now();
  });
} else {
  const socket = DgramAsPromised.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: 4 * 1024 * 1024 });
  await socket.bind({ port: Number(port), address: group });
  socket.addMembership(group, '127.0.0.1');
  void (async () => {
    for (;;) {
      const packet = await socket.recv();
      if (packet === undefined) return;
      count++;
      last = Date.now();
      await new Promise((resolve) => setImmediate(resolve)); // the loop body does some async work
    }
  })();
}
console.log('ready');
// Counting ends once every sender has exited (the test says so on stdin) and the group has been
// quiet for 500 ms since: senders that start late (a cold machine) are not cut off.
let sendersDone = false;
process.stdin.on('data', (chunk) => {
  if (String(chunk).includes('senders done')) sendersDone = true;
});
const timer = setInterval(() => {
  if (sendersDone && Date.now() - last > 500) {
    console.log(`received ${count}`);
    clearInterval(timer);
    process.exit(0);
  }
}, 50);
setTimeout(() => {
  console.log(`received ${count}`);
  process.exit(0);
}, 60_000);
