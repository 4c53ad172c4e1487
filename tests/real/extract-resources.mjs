// Lay out a YoWASP package's virtual-filesystem resources as real files.
//
//   node extract-resources.mjs GEN_DIR RESOURCE_MODULE OUT_DIR
//
// RESOURCE_MODULE is the package's gen/resources-*.js, which exports
// `filesystem`: a tree of {name: string | Uint8Array | URL | subtree}. The
// YoWASP runtime mounts each top-level entry (e.g. `share`) at "/NAME" in the
// guest; this writes it to OUT_DIR/NAME. Strings are written as UTF-8 (what
// the runtime's TextEncoder does), URLs are copied from the package.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [genDir, resourceModule, outDir] = process.argv.slice(2);
const mod = await import(pathToFileURL(path.resolve(genDir, resourceModule)).href);
let fsTree = mod.filesystem;
if (typeof fsTree === 'function') throw new Error('fetch-based resource module; unpack its tar instead');

let count = 0;
function write(tree, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, entry] of Object.entries(tree)) {
    const p = path.join(dir, name);
    if (typeof entry === 'string') fs.writeFileSync(p, entry, 'utf8');
    else if (entry instanceof Uint8Array) fs.writeFileSync(p, entry);
    else if (entry instanceof URL) fs.copyFileSync(fileURLToPath(entry), p);
    else { write(entry, p); continue; }
    count++;
  }
}
write(fsTree, outDir);
console.log(`extracted ${count} files into ${outDir}`);
