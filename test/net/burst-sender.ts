/** Sends `count` datagrams of `size` bytes to the group from one socket, as fast as the kernel takes them. */
import DgramAsPromised from 'dgram-as-promised';

const [group = '239.255.77.9', port = '7799', count = '2000', size = '120'] = process.argv.slice(2);
const socket = DgramAsPromised.createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 });
await socket.bind({ port: 0, address: '127.0.0.1' });
socket.setMulticastInterface('127.0.0.1');
socket.setMulticastLoopback(true);
const payload = Buffer.alloc(Number(size), 7);
const sends: Array<Promise<number>> = [];
for (let i = 0; i < Number(count); i++) sends.push(socket.send(payload, 0, payload.length, Number(port), group));
await Promise.all(sends);
await socket.close();
