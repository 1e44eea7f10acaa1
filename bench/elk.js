// bench/elk.js — lays out ELK JSON graphs with elkjs (ELK layered), for the legibility table.
//
//   node bench/elk.js IN.json OUT.jsonl
//
// IN is a JSON array of {"name": ..., "graph": <ELK JSON graph>} (revarch's
// `render::export::to_elk_json` of each drawing). For each one, in order, one line is appended
// to OUT: {"name", "seconds", "graph": <the laid-out graph>} or {"name", "error"}. Lines are
// written as they finish, so a run stopped by the caller's timeout keeps what it did.
// elkjs is loaded from $ELKJS, else from bench/.elk (where bench/run.sh installs it).
"use strict";
const fs = require("fs");
const path = require("path");

const [input, output] = process.argv.slice(2);
if (!input || !output) {
    console.error("usage: node bench/elk.js IN.json OUT.jsonl");
    process.exit(2);
}
const module_path =
    process.env.ELKJS || path.join(__dirname, ".elk", "node_modules", "elkjs", "lib", "elk.bundled.js");
let ELK;
try {
    ELK = require(module_path);
} catch (e) {
    console.error(`elk.js: cannot load elkjs from ${module_path}: ${e.message}`);
    process.exit(3);
}
const elk = new ELK();

async function main() {
    const jobs = JSON.parse(fs.readFileSync(input, "utf8"));
    fs.writeFileSync(output, "");
    for (const job of jobs) {
        const start = process.hrtime.bigint();
        let line;
        try {
            const graph = await elk.layout(job.graph);
            const seconds = Number(process.hrtime.bigint() - start) / 1e9;
            line = { name: job.name, seconds, graph };
        } catch (e) {
            line = { name: job.name, error: String((e && e.message) || e).split("\n")[0] };
        }
        fs.appendFileSync(output, JSON.stringify(line) + "\n");
    }
}

main().catch((e) => {
    console.error(`elk.js: ${e.message}`);
    process.exit(1);
});
