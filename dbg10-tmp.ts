import { writeFileSync } from 'node:fs';
import { LocaleCorpus } from './test/redact/corpusLocales';
const gen = new LocaleCorpus(7); const all: string[] = []; let size = 0;
for (let i = 0; size < 2 << 20; i++) { const d = gen.doc((['en','en-GB','de','fr','es','nl','pt-BR'] as const)[i % 7], 1 + (i % 6), 0.2); all.push(d.text); size += d.text.length; }
writeFileSync('/tmp/w13-corpus.json', JSON.stringify(all));
