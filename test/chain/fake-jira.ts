// A tiny stand-in for a self-hosted Jira (Server / Data Center) REST API v2: just what n8n's Jira
// Software node uses for "Issue Comment → Add" with the `jiraSoftwareServerApi` credential (basic
// auth: user name + password), plus the credential test's GET /rest/api/2/myself. Records every
// comment; unknown routes answer 404 like Jira does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JiraComment {
	issueKey: string;
	/** Jira Server's v2 comment body is plain text (wiki markup). */
	body: unknown;
	user: string;
}

export interface FakeJira {
	url: string;
	comments: JiraComment[];
	requests: Array<{ method: string; path: string; status: number }>;
	close(): Promise<void>;
}

export async function startFakeJira(opts: { user: string; password: string; issues: string[] }): Promise<FakeJira> {
	const comments: JiraComment[] = [];
	const requests: FakeJira['requests'] = [];
	const expected = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
	const send = (res: ServerResponse, status: number, body: unknown, log: { status: number }) => {
		log.status = status;
		res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
		res.end(JSON.stringify(body));
	};
	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		const log = { method: req.method ?? '', path, status: 0 };
		requests.push(log);
		if (req.headers.authorization !== expected) {
			return send(res, 401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} }, log);
		}
		const base = `http://${req.headers.host}`;
		if (req.method === 'GET' && path === '/rest/api/2/myself') {
			return send(res, 200, { self: `${base}/rest/api/2/user?username=${opts.user}`, name: opts.user, key: opts.user, displayName: 'Privacy Bot', active: true }, log);
		}
		const m = /^\/rest\/api\/2\/issue\/([A-Z][A-Z0-9]+-\d+)\/comment$/.exec(path);
		if (req.method === 'POST' && m) {
			if (!opts.issues.includes(m[1])) return send(res, 404, { errorMessages: ['Issue Does Not Exist'], errors: {} }, log);
			let json: { body?: unknown };
			try {
				json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body?: unknown };
			} catch {
				return send(res, 400, { errorMessages: ['Unexpected character'], errors: {} }, log);
			}
			if (typeof json.body !== 'string' || json.body.trim() === '') return send(res, 400, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } }, log);
			comments.push({ issueKey: m[1], body: json.body, user: opts.user });
			const id = String(10_000 + comments.length);
			const now = new Date().toISOString().replace('Z', '+0000');
			return send(res, 201, { self: `${base}/rest/api/2/issue/${m[1]}/comment/${id}`, id, author: { name: opts.user }, body: json.body, created: now, updated: now }, log);
		}
		return send(res, 404, { errorMessages: ['null for uri: ' + path], errors: {} }, log);
	};
	const server: Server = createServer((req, res) => {
		handle(req, res).catch(() => res.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		comments,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
