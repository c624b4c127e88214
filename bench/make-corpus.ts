// Writes the parse benchmark's corpus (see http-corpus.ts): node out/bench/make-corpus.js FILE
import { writeFileSync } from 'node:fs';
import { generateHttpCorpus } from './http-corpus';

writeFileSync(process.argv[2] ?? 'bench.http', generateHttpCorpus());
