// httpYac's parser, called the way its CLI and VS Code extension call it, for plain Node.
//
// httpYac reads files through `io.fileProvider`, an object whose methods each host fills in (the
// VS Code extension with workspace.fs, the CLI with node:fs). Out of the box they throw, so this
// module installs the same node:fs versions the httpYac CLI installs (its `initFileProvider`).
//
// Parsing is `new HttpFileStore().parse(fileName, text, { workingDir })`: it looks for an httpYac
// config next to the file (none is there: the runner puts the corpus in a directory of its own),
// registers the built-in plugins and runs the parse hook, one plugin per line kind, over the text.
// A fresh store per call, so nothing is served from its cache.

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as httpyac from 'httpyac';

let providerReady = false;

function initNodeFileProvider(): void {
  if (providerReady) return;
  const fp = httpyac.io.fileProvider;
  const str = (p: httpyac.PathLike): string => fp.toString(p);
  fp.EOL = os.EOL;
  fp.isAbsolute = async (p) => path.isAbsolute(str(p));
  fp.dirname = (p) => path.dirname(str(p));
  fp.hasExtension = (p, ...extensions) => extensions.includes(path.extname(str(p)).replace(/^\./, ''));
  fp.joinPath = (p, joinPath) => path.join(str(p), joinPath);
  fp.exists = async (p) => fs.stat(str(p)).then(() => true, () => false);
  fp.readFile = async (p, encoding) => fs.readFile(str(p), encoding);
  fp.readBuffer = async (p) => fs.readFile(str(p));
  fp.writeBuffer = async (p, buffer) => fs.writeFile(str(p), buffer);
  fp.readdir = async (p) => fs.readdir(str(p));
  providerReady = true;
}

/** Parses `text` as the `.http` file `fileName`; returns httpYac's HttpFile. */
export async function parseWithHttpyac(fileName: string, text: string): Promise<httpyac.HttpFile> {
  initNodeFileProvider();
  const store = new httpyac.store.HttpFileStore();
  return store.parse(fileName, text, { workingDir: path.dirname(fileName) });
}

/** Regions that hold a request (the file's global region of `@variables` holds none). */
export function httpyacRequestCount(file: httpyac.HttpFile): number {
  return file.httpRegions.filter((region) => region.request !== undefined).length;
}
