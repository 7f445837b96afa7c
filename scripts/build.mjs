// Build: tsc to dist/, then copy the icons (n8n loads `file:` icons relative to the built .js files).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
execFileSync('tsc', ['-p', 'tsconfig.json'], { stdio: 'inherit' });

function copyIcons(dir) {
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) copyIcons(path);
		else if (/\.(svg|png)$/.test(name)) {
			mkdirSync(join('dist', dirname(path)), { recursive: true });
			cpSync(path, join('dist', path));
		}
	}
}
for (const dir of ['nodes', 'credentials', 'icons']) copyIcons(dir);
