import { SyncRedactor } from 'redact-pii';
import { compileRedactor } from './src/redact';
import { compileRedactor as oldCompile } from '/tmp/w13old/src/redact';
import { LocaleCorpus, WORKSPACE_COUNTRIES } from './test/redact/corpusLocales';
const gen = new LocaleCorpus(7); const all: string[] = []; let size = 0;
for (let i = 0; size < 2 << 20; i++) { const d = gen.doc((['en','en-GB','de','fr','es','nl','pt-BR'] as const)[i % 7], 1 + (i % 6), 0.2); all.push(d.text); size += d.text.length; }
const r = compileRedactor({ defaultCountries: WORKSPACE_COUNTRIES });
const r0 = compileRedactor({});
const o = oldCompile({});
const th = new SyncRedactor();
const fns: [string, () => void][] = [['new 7c', () => all.forEach((t) => r.redactText(t))], ['new 0c', () => all.forEach((t) => r0.redactText(t))], ['old', () => all.forEach((t) => o.redactText(t))], ['redact-pii', () => all.forEach((t) => th.redact(t))]];
const res: Record<string, number[]> = {};
for (const [, f] of fns) f();
for (let k = 0; k < 5; k++) for (const [n, f] of fns) { const t0 = performance.now(); f(); (res[n] ??= []).push(performance.now() - t0); }
const med = (x: number[]) => [...x].sort((a, b) => a - b)[2];
for (const [n] of fns) console.log(n, med(res[n]).toFixed(0), 'ms', 'ratio vs redact-pii', (med(res['redact-pii']) / med(res[n])).toFixed(2));
