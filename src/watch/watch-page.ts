/**
 * The observer's page: plain HTML, CSS and a script, served from these strings under the
 * dashboard's Content-Security-Policy (script and style from 'self' only, so none is inline).
 * Cards up to CARD_LIMIT voters, a compact table beyond, so that 50 machines fit one screen.
 * Every value goes into the page as text (textContent), never as markup.
 */

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <title>Conclave watch</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/watch.css" />
  </head>
  <body>
    <header><h1>Conclave watch</h1><p id="about">connecting…</p></header>
    <section id="verdict"></section>
    <section id="voters"></section>
    <section><h2>Timeline</h2><ol id="timeline"></ol></section>
    <footer>A passive observer: it hears only its own side of the network and sends nothing. A silent node may be stopped, unplugged or cut off: the observer cannot tell which.</footer>
    <script type="module" src="/watch.js"></script>
  </body>
</html>
`;

const CSS = `
body { font: 14px system-ui, sans-serif; margin: 1rem 2rem; }
h1 { font-size: 1.3rem; margin: 0; } h2 { font-size: 1.05rem; }
#about, footer { color: GrayText; }
#verdict { font-size: 1.1rem; padding: .5rem .8rem; border-radius: 6px; margin: .8rem 0; }
.agreed { background: #2e7d3222; border: 1px solid #2e7d32; }
.unsettled { background: #e6510022; border: 1px solid #e65100; }
.split { background: #c6282833; border: 1px solid #c62828; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .6rem; }
.card { border: 1px solid GrayText; border-radius: 6px; padding: .5rem .7rem; }
.card h3 { margin: 0 0 .3rem; font-size: 1rem; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 0 .6rem; margin: 0; }
.card dd { margin: 0; }
.leader { border-width: 3px; border-color: #2e7d32; }
.silent, .never { opacity: .55; border-style: dashed; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { border-bottom: 1px solid #8884; padding: 1px 6px; text-align: left; white-space: nowrap; }
tr.silent, tr.never { opacity: .55; }
#timeline { max-height: 40vh; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
.settled-entry { font-weight: bold; }
`;

const SCRIPT = `
const CARD_LIMIT = 12;
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const ago = (now, ts) => ts === null ? '' : ((now - ts) / 1000).toFixed(1) + ' s ago';
const clock = (ts) => new Date(ts).toISOString().slice(11, 23);
const follows = (c) => c.leader === null ? 'none' : c.leader === c.id ? 'itself' : 'n' + c.leader;
const state = (s, c) => c.heard === 'never' ? 'never heard' : c.heard === 'silent' ? 'silent, last heard ' + ago(s.nowMs, c.lastHeardMs) : 'heard ' + ago(s.nowMs, c.lastHeardMs);

function verdict(s) {
  const v = s.view;
  const box = $('verdict');
  const sides = v.sides.map((side) => '{' + side.members.map((id) => 'n' + id).join(', ') + '} ' +
    (side.leader !== null ? 'led by n' + side.leader : side.canElect ? 'without a coordinator' : 'cannot elect (no majority)')).join('  |  ');
  let text = sides || 'no node heard yet';
  if (v.leaders.length > 1) text = 'more than one leader heard: ' + v.leaders.map((id) => 'n' + id).join(', ') + ' — ' + text;
  else if (s.unsettledSinceMs !== null) text = 'settling for ' + ((s.nowMs - s.unsettledSinceMs) / 1000).toFixed(1) + ' s — ' + text;
  else if (s.warmingUp) text = 'listening for every voter… — ' + text;
  box.className = v.leaders.length > 1 ? 'split' : v.agreed && s.unsettledSinceMs === null ? 'agreed' : 'unsettled';
  box.textContent = text;
}

function cards(s) {
  const grid = el('div', undefined, 'cards');
  for (const c of s.cards) {
    const card = el('div', undefined, 'card ' + c.heard + (c.role === 'leader' && c.heard === 'live' ? ' leader' : ''));
    card.append(el('h3', 'n' + c.id + (c.role ? ' · ' + c.role : '')));
    const dl = el('dl');
    const row = (k, v) => dl.append(el('dt', k), el('dd', v));
    row('state', state(s, c));
    if (c.heard !== 'never') {
      row('term', c.term); row('follows', follows(c)); row('hears', c.hears.map((id) => 'n' + id).join(' ') || 'nobody');
      row('can lead', c.canLead ? 'yes' : 'no'); row('beats every', c.intervalMs + ' ms'); row('beats heard', c.beats);
      row('beat gaps', gaps(c));
    }
    card.append(dl);
    grid.append(card);
  }
  return grid;
}

/** The inter-arrival times of its beats over the last minute, as the observer measured them. */
function gaps(c) {
  const g = c.beatGaps;
  return g ? 'last ' + g.lastMs + ' ms, mean ' + g.meanMs + ', max ' + g.maxMs + ' (last minute)' : '—';
}

function table(s) {
  const t = el('table');
  const head = el('tr');
  for (const h of ['node', 'state', 'role', 'term', 'follows', 'hears', 'can lead', 'beat', 'beats', 'gaps last/mean/max']) head.append(el('th', h));
  t.append(head);
  for (const c of s.cards) {
    const tr = el('tr', undefined, c.heard);
    const cells = c.heard === 'never' ? ['n' + c.id, 'never heard', '', '', '', '', '', '', '', '']
      : ['n' + c.id, state(s, c), c.role, c.term, follows(c), c.hears.length + ' of ' + (s.voters.length - 1), c.canLead ? 'yes' : 'no', c.intervalMs + ' ms', c.beats,
        c.beatGaps ? c.beatGaps.lastMs + ' / ' + c.beatGaps.meanMs + ' / ' + c.beatGaps.maxMs + ' ms' : '—'];
    for (const v of cells) tr.append(el('td', v));
    t.append(tr);
  }
  return t;
}

function timeline(s) {
  const list = $('timeline');
  list.replaceChildren(...s.timeline.slice(-200).reverse().map((e) =>
    el('li', clock(e.ts) + '  ' + e.text + (e.durationMs !== null ? '  (settled in ' + e.durationMs + ' ms)' : ''), e.kind === 'settled' ? 'settled-entry' : '')));
}

function render(s) {
  const drops = Object.entries(s.drops).map(([k, n]) => k + ' ' + n).join(', ');
  $('about').textContent = 'cluster "' + s.cluster + '", config ' + s.configId + ', ' + s.voters.length + ' voters; listening to ' + s.listening +
    '; ' + s.datagrams + ' datagrams heard' + (drops ? ', refused: ' + drops : '');
  verdict(s);
  $('voters').replaceChildren(s.cards.length <= CARD_LIMIT ? cards(s) : table(s));
  timeline(s);
}

const source = new EventSource('/api/watch/stream');
source.onmessage = (message) => render(JSON.parse(message.data));
source.onerror = () => { $('about').textContent = 'connection lost; retrying…'; };
`;

export interface PageFile {
  contentType: string;
  body: string;
}

export const WATCH_PAGE_FILES: Record<string, PageFile> = {
  '/watch.html': { contentType: 'text/html; charset=utf-8', body: HTML },
  '/watch.css': { contentType: 'text/css; charset=utf-8', body: CSS },
  '/watch.js': { contentType: 'text/javascript; charset=utf-8', body: SCRIPT },
};
