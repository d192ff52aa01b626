// npm run bench:page-cache: what writing an intake photo costs the machine's kernel, apart from the
// app. Intake writes each photo to a new file, so the page cache grows by a photo a report, and on
// some VMs (virtio-balloon free page reporting) every new page costs the host a fault. Three ways
// of writing the same files, alternating, in one process pinned to the server core:
// - new: new files, the page cache growing (what intake does);
// - after delete: new files right after the last round's were deleted (pages just freed);
// - overwrite: the same files written again in place (pages already cached, none allocated).
// The CPU per file (user + system, this process) is recorded in bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, record, SERVER_CORE } from './lib.js';

if (!process.env.JX_PINNED) {
	execFileSync('taskset', ['-c', SERVER_CORE, process.execPath, process.argv[1]], {
		stdio: 'inherit',
		env: { ...process.env, JX_PINNED: '1' }
	});
	process.exit(0);
}

const FILES = Number(process.env.BENCH_FILES || 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
// As bench/run.js's phone photo after the form's compression: 186 KB.
const photo = randomBytes(186 * 1024);
const root = mkdtempSync(join(process.env.UPLOAD_DIR || tmpdir(), 'jx-page-cache-'));

/** CPU microseconds per file of `write(i)` over FILES files, 50 at a time as intake's connections. */
async function cpuPerFile(write) {
	const before = process.cpuUsage();
	for (let i = 0; i < FILES; i += 50)
		await Promise.all(Array.from({ length: Math.min(50, FILES - i) }, (_, j) => write(i + j)));
	const used = process.cpuUsage(before);
	return (used.user + used.system) / FILES;
}

const folder = (name) => {
	const path = join(root, name);
	mkdirSync(path, { recursive: true });
	return path;
};
const fresh = (dir) => (i) => writeFile(join(dir, `${i}.jpg`), photo, { flag: 'wx' });
const inPlace = (dir) => async (i) => {
	const file = await open(join(dir, `${i}.jpg`), 'r+');
	try {
		await file.write(photo, 0, photo.length, 0);
	} finally {
		await file.close();
	}
};

const results = { new: [], 'after delete': [], overwrite: [] };
try {
	for (let round = 0; round < ROUNDS; round++) {
		const kept = folder(`kept-${round}`);
		results.new.push(await cpuPerFile(fresh(kept)));
		results.overwrite.push(await cpuPerFile(inPlace(kept)));
		const scratch = folder('scratch');
		await cpuPerFile(fresh(scratch));
		rmSync(scratch, { recursive: true });
		results['after delete'].push(await cpuPerFile(fresh(folder('scratch'))));
		rmSync(join(root, 'scratch'), { recursive: true });
	}
} finally {
	rmSync(root, { recursive: true, force: true });
}

const overwrite = median(results.overwrite);
const lines = [
	`Method: \`npm run bench:page-cache\` (bench/page-cache.js): ${FILES} files of ${photo.length / 1024} KB per way and round, written 50 at a time with \`fs/promises\` in one process pinned to core ${SERVER_CORE}, ${ROUNDS} rounds alternating the ways; CPU is the process's user and system time per file. The files of the "new" rounds are kept, so the page cache grows by ${((FILES * ROUNDS * photo.length) / 2 ** 30).toFixed(1)} GiB over the run.`,
	'',
	'| way | CPU µs per file, median (rounds) | ÷ overwrite |',
	'| --- | --- | --- |',
	...Object.entries(results).map(
		([way, runs]) =>
			`| ${way} | ${median(runs).toFixed(0)} (${runs.map((r) => r.toFixed(0)).join(', ')}) | ${(median(runs) / overwrite).toFixed(2)} |`
	)
];
for (const line of lines) console.log(line);
record('Page cache: what an intake photo write costs the kernel (bench/page-cache.js)', lines);
