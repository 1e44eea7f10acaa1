// Parses Mermaid files with the real Mermaid parser (in node, DOM from jsdom)
// and checks that each file means what revarch wrote: every `nN` node we
// defined is a vertex and no other vertex appeared (no label broke out),
// every `%% eN` edge is one edge, `class` lines reach their nodes,
// `linkStyle` lines their edges, and `-.->` edges are the dotted ones.
// Run by tests/renderers/mermaid.sh from a folder where mermaid and jsdom are
// installed: node mermaid_check.mjs FILE...
import { JSDOM } from 'jsdom';
import { readFileSync } from 'fs';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
try { globalThis.navigator = dom.window.navigator; } catch (e) { /* read-only in newer node */ }
globalThis.Element = dom.window.Element;
globalThis.HTMLElement = dom.window.HTMLElement;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

async function check(name, src) {
  await mermaid.parse(src);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(src);
  const db = diagram.db;
  let vertices = db.getVertices();
  vertices = vertices instanceof Map ? Object.fromEntries(vertices) : vertices;
  const edges = db.getEdges();
  const problems = [];
  const defined = new Set([...src.matchAll(/^\s+(n\d+|empty)[[(]/gm)].map((m) => m[1]));
  const subgraphs = new Set([...src.matchAll(/^\s+subgraph (g\d+)\[/gm)].map((m) => m[1]));
  for (const id of Object.keys(vertices)) {
    if (!defined.has(id) && !subgraphs.has(id)) problems.push(`unexpected vertex ${id}`);
  }
  for (const id of defined) if (!vertices[id]) problems.push(`node ${id} missing`);
  const declared = [...src.matchAll(/^ {2}%% e\d+ = /gm)].length;
  if (edges.length !== declared) problems.push(`${edges.length} edges, ${declared} written`);
  for (const m of src.matchAll(/^ {2}class (\S+) (\S+)$/gm)) {
    for (const id of m[1].split(',')) {
      if (!(vertices[id]?.classes || []).includes(m[2])) problems.push(`class ${m[2]} not on ${id}`);
    }
  }
  for (const m of src.matchAll(/^ {2}linkStyle (\S+) (\S+)$/gm)) {
    const first = m[2].split(',')[0];
    for (const i of m[1].split(',')) {
      if (!(edges[+i]?.style || []).join(',').includes(first)) problems.push(`linkStyle ${i} not applied`);
    }
  }
  const dashed = [...src.matchAll(/^ {2}n\d+ <?-\.->/gm)].length;
  const dotted = edges.filter((e) => e.stroke === 'dotted').length;
  if (dashed !== dotted) problems.push(`${dashed} dashed edges written, ${dotted} parsed`);
  if (problems.length) throw new Error(problems.join('; '));
  return `${Object.keys(vertices).length} vertices, ${edges.length} edges`;
}

let fail = 0;
for (const f of process.argv.slice(2)) {
  try {
    console.log(`ok   ${f}: ${await check(f, readFileSync(f, 'utf8'))}`);
  } catch (e) {
    console.log(`FAIL ${f}: ${String(e.message || e).slice(0, 400)}`);
    fail = 1;
  }
}
// Deliberately wrong inputs must be caught, or this check proves nothing.
for (const [what, src] of [
  ['unterminated label', 'flowchart LR\n  n0["a"] --> n1["b\n'],
  ['label broke out', 'flowchart LR\n  %% e0 = x\n  n0["a"] --> n1["b"] --> n9\n'],
]) {
  try {
    await check(what, src);
    console.log(`FAIL: the check accepts a ${what}`);
    fail = 1;
  } catch (e) { /* expected */ }
}
process.exit(fail);
