// Starts a REAL PostgreSQL server for the tests: a temp data dir, a free port on 127.0.0.1, trust
// auth, stopped (and the dir removed) afterwards. initdb/postgres refuse to run as root, so as root
// they run as the `postgres` user. Missing binaries fail loudly with the install line: never skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
	connectionString: string;
	port: number;
	stop(): Promise<void>;
}

function findBinDir(): string {
	const candidates = [process.env.PG_BIN_DIR, ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`) : [])];
	for (const dir of candidates) {
		if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
	}
	throw new Error(
		'PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin (or $PG_BIN_DIR). ' +
			'The ledger tests need a real PostgreSQL: install it with `apt-get install -y postgresql` (Debian/Ubuntu), or set PG_BIN_DIR.',
	);
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
		});
	});
}

export async function startPostgres(): Promise<PostgresServer> {
	const bin = findBinDir();
	const asRoot = process.getuid?.() === 0;
	const dir = mkdtempSync(join(tmpdir(), 'gdpr-ledger-pg-'));
	const data = join(dir, 'data');
	const run = (cmd: string, args: string[]) => {
		const full = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
		const [file, argv] = full as [string, string[]];
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: a real PostgreSQL server
		const r = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
		if (r.status !== 0) throw new Error(`${cmd} failed (exit ${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
	};
	if (asRoot) {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: look up the postgres user
		const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness: look up the postgres user
		const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
		chownSync(dir, Number(ids), Number(gid));
		chmodSync(dir, 0o700);
	}
	run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
	// A port picked free can be taken before the server binds it: try a few.
	let port = 0;
	let lastError: unknown;
	for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
		const candidate = await freePort();
		try {
			run('pg_ctl', ['-D', data, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=60`, 'start']);
			port = candidate;
		} catch (error) {
			lastError = error;
		}
	}
	if (port === 0) throw lastError;
	let stopped = false;
	return {
		port,
		connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async stop() {
			if (stopped) return;
			stopped = true;
			try {
				run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}
