/** The tests' lab: the namespace lab of src/lab with a fixed key, which test workers are given. */
import { NetnsLab } from '../../src/lab/netns-lab.ts';

export type { LabNode } from '../../src/lab/netns-lab.ts';
export const KEY = 'lab-secret-0123456789abcdef';

export class Lab extends NetnsLab {
  static override create(size: number, clusterSize = size): Lab {
    return NetnsLab.built(new Lab(size, clusterSize, { key: KEY }));
  }
}
