import { SyncRedactor } from 'redact-pii';
import { compileRedactor } from './src/redact';
import { LocaleCorpus, WORKSPACE_COUNTRIES } from './test/redact/corpusLocales';
const gen = new LocaleCorpus(7); const all: string[] = []; let size = 0;
for (let i = 0; size < 2 << 20; i++) { const d = gen.doc((['en','en-GB','de','fr','es','nl','pt-BR'] as const)[i % 7], 1 + (i % 6), 0.2); all.push(d.text); size += d.text.length; }
const th = new SyncRedactor();
const fns: [string, () => void][] = [['redact-pii', () => all.forEach((t) => th.redact(t))]];
for (const d of ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'US_SSN', 'IPV4', 'IPV6', 'URL_SECRET', 'SECRET'] as const) { const r = compileRedactor({ defaultCountries: WORKSPACE_COUNTRIES, detectors: [d] }); fns.push([d, () => all.forEach((t) => r.redactText(t))]); }
const none = compileRedactor({ detectors: [] }); fns.push(['none', () => all.forEach((t) => none.redactText(t))]);
const rall = compileRedactor({ defaultCountries: WORKSPACE_COUNTRIES }); fns.push(['all', () => all.forEach((t) => rall.redactText(t))]);
const res: Record<string, number[]> = {};
for (const [, f] of fns) f();
for (let k = 0; k < 3; k++) for (const [n, f] of fns) { const t0 = performance.now(); f(); (res[n] ??= []).push(performance.now() - t0); }
const med = (x: number[]) => [...x].sort((a, b) => a - b)[1];
for (const [n] of fns) console.log(n.padEnd(12), med(res[n]).toFixed(0).padStart(6), 'ms');
