// A tiny HTTP proxy in front of the fake Intercom that rewrites answers the way a broken or hostile
// proxy (or a changed Intercom) could: headers and the JSON error body. Real HTTP both ways.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export interface RewritingProxy {
	url: string;
	close(): Promise<void>;
}

/** Forwards every request to `target` and passes the answer through `rewrite` (n = 0, 1, 2… in arrival order; with the request's method and path). */
export async function startRewritingProxy(
	target: string,
	rewrite: (answer: Answer, n: number, request: { method: string; path: string }) => Answer | Promise<Answer>,
): Promise<RewritingProxy> {
	let n = 0;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const index = n++;
			void (async () => {
				const headers = new Headers();
				for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers.set(k, v);
				const upstream = await fetch(`${target}${req.url}`, {
					method: req.method,
					headers,
					body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
				});
				const answer = await rewrite(
					{ status: upstream.status, headers: Object.fromEntries(upstream.headers), body: await upstream.text() },
					index,
					{ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://proxy').pathname },
				);
				const out = { ...answer.headers };
				delete out['content-length'];
				delete out['transfer-encoding'];
				delete out['content-encoding'];
				res.writeHead(answer.status, out);
				res.end(answer.body);
			})().catch(() => res.destroy());
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
