/**
 * Two subnets joined by a router: nodes 1..split on one switch (10.77.x.0/24), the others on a
 * second one (10.78.x.0/24), and a router namespace with a leg in each that forwards unicast and
 * no multicast (no multicast routing), so each subnet is its own multicast domain.
 */
import { NetnsLab } from '../../src/lab/netns-lab.ts';
import { KEY } from './lab.ts';

const ROUTER_HOST = 254;

export class RoutedLab extends NetnsLab {
  readonly split: number;
  readonly subnetB: string;
  readonly switchB: string;
  readonly routerNs: string;

  private constructor(size: number, split: number) {
    super(size, size, { key: KEY, prefix: 'cr' });
    this.split = split;
    this.subnetB = this.subnet.replace(/^10\.77\./, '10.78.');
    this.switchB = `${this.name}-swb`;
    this.routerNs = `${this.name}-rt`;
    for (const node of this.nodes) if (node.id > split) node.ip = `${this.subnetB}.${node.id}`;
  }

  /** `size` nodes; the first `split` on subnet A, the rest on subnet B. */
  static createRouted(size: number, split: number): RoutedLab {
    return NetnsLab.built(new RoutedLab(size, split));
  }

  /** The subnet a node is on. */
  side(id: number): 'A' | 'B' {
    return id <= this.split ? 'A' : 'B';
  }

  protected override build(): void {
    this.extraNamespaces.push(this.switchB, this.routerNs);
    this.addSwitch(this.switchNs);
    this.addSwitch(this.switchB);
    const short = this.name.slice(0, 8);
    this.attach(this.routerNs, `${short}ra`, `${this.subnet}.${ROUTER_HOST}`, this.switchNs, 'eth0');
    this.attach(this.routerNs, `${short}rb`, `${this.subnetB}.${ROUTER_HOST}`, this.switchB, 'eth1');
    this.exec(this.routerNs, ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    for (const node of this.nodes) {
      this.attach(node.ns, `${short}p${node.id}`, node.ip, this.side(node.id) === 'A' ? this.switchNs : this.switchB);
      this.exec(node.ns, ['ip', 'route', 'add', 'default', 'via', this.gateway(node.id)]);
    }
  }

  override replug(id: number): void {
    super.replug(id);
    this.exec(this.node(id).ns, ['ip', 'route', 'replace', 'default', 'via', this.gateway(id)]);
  }

  /** The router stops forwarding between the subnets (each subnet still works inside). */
  cutRouter(): void {
    this.exec(this.routerNs, ['nft', '-f', '-'], 'flush ruleset\ntable inet lab {\n  chain forward {\n    type filter hook forward priority 0; policy drop;\n  }\n}\n');
    this.note('cut router');
  }

  healRouter(): void {
    this.exec(this.routerNs, ['nft', 'flush', 'ruleset']);
    this.note('heal router');
  }

  private gateway(id: number): string {
    return `${this.side(id) === 'A' ? this.subnet : this.subnetB}.${ROUTER_HOST}`;
  }
}
