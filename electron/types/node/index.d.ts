// What `/// <reference types="node" />` means in the Electron shell's program (electron.d.ts and
// the runtime's built .d.ts files say it): the Node that Electron 45 bundles, 24, not the Node 20
// the runtime is checked against. electron/tsconfig.json makes this folder its only type root.
/// <reference types="node-24" />
