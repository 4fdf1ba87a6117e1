// Mermaid's own parser on each file named: what it read (the diagram type, the vertices
// with their text, the edges, the subgraphs with their members) as one JSON list, or the
// parser's error for a file it rejects. Mermaid needs a DOM to load: jsdom gives it one.
import fs from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

// Mermaid keeps an entity code (``#35;``) in a placeholder of its own until it draws the
// text: written back as the code, the text reads as it was written.
const entities = (text) =>
  String(text).replace(/ﬂ°°(\d+)¶ß/g, "#$1;").replace(/ﬂ°(\w+)¶ß/g, "#$1;");

const results = [];
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    results.push({
      type: diagram.type,
      vertices: [...db.getVertices().values()].map((v) => ({
        id: v.id, text: entities(v.text), type: v.type, classes: v.classes,
      })),
      edges: db.getEdges().map((e) => [e.start, e.end]),
      subgraphs: db.getSubGraphs().map((s) => ({
        id: s.id, title: entities(s.title), nodes: s.nodes, classes: s.classes,
      })),
    });
  } catch (error) {
    results.push({ error: String(error.message || error) });
  }
}
console.log(JSON.stringify(results));
