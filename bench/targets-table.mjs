// Prints the targets of bench/results.json (or the file given) as a Markdown table, for the
// README's Performance section: node bench/targets-table.mjs [results.json]
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? new URL('./results.json', import.meta.url);
const { targets, machine, wall_s: wall } = JSON.parse(readFileSync(file, 'utf8'));
const cell = (value) => String(value).replaceAll('|', '\\|');
console.log(`| figure | measured | target | met |\n|---|---|---|---|`);
for (const [name, { value, target, met }] of Object.entries(targets)) console.log(`| ${cell(name)} | ${cell(value)} | ${cell(target)} | ${met === 'met' ? 'yes' : '**no**'} |`);
console.log(`\n${machine.cpus} × ${machine.cpu}, ${machine.memory_gb} GiB, Node ${machine.node}; ${wall} s in all.`);
