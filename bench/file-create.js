// npm run bench:file-create -- DIR [DIR…]: what making a photo file costs on each folder's file
// system, before and after deleting as many files as intake makes in a minute or so.
// ext4 without a journal skips every free inode deleted in the last minutes when it makes a file
// (`recently_deleted` in fs/ext4/ialloc.c), checking each one in the buffer cache, so the cost of
// a new file grows with recent deletes. Each folder gets: N files written (open with O_EXCL, one
// write of a 186 KB photo, close), all deleted, then N files written again. Appends to RESULTS.md.
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describeFileSystem, record } from './lib.js';

const count = Number(process.env.FILES || 10_000);
const folders = process.argv.slice(2);
if (!folders.length) {
	console.error('usage: node bench/file-create.js <folder> [<folder>…]');
	process.exit(1);
}
const photo = Buffer.alloc(186 * 1024, 0x5a);

/** Writes `count` photo files; returns their paths and the µs each open (create) took. */
function writeFiles(folder) {
	const paths = [];
	const opens = [];
	for (let i = 0; i < count; i++) {
		const path = join(folder, `${randomUUID()}.jpg`);
		const started = performance.now();
		const fd = openSync(path, 'wx');
		opens.push((performance.now() - started) * 1000);
		writeSync(fd, photo);
		closeSync(fd);
		paths.push(path);
	}
	return { paths, opens };
}

const summary = (micros) => {
	const sorted = [...micros].sort((a, b) => a - b);
	const mean = micros.reduce((sum, x) => sum + x, 0) / micros.length;
	const at = (p) => sorted[Math.floor(p * (sorted.length - 1))].toFixed(0);
	return `${mean.toFixed(0)} / ${at(0.5)} / ${at(0.99)}`;
};

const lines = [
	`| folder's file system | create µs, mean / p50 / p99: first ${count} files | the same after deleting them |`,
	'| --- | --- | --- |'
];
for (const base of folders) {
	const folder = mkdtempSync(join(base, 'jx-file-create-'));
	try {
		const first = writeFiles(folder);
		for (const path of first.paths) unlinkSync(path);
		const again = writeFiles(folder);
		lines.push(
			`| ${describeFileSystem(folder)} | ${summary(first.opens)} | ${summary(again.opens)} |`
		);
		console.log(lines.at(-1));
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
lines.push(
	'',
	`Method: \`node bench/file-create.js ${folders.join(' ')}\`, not pinned. In each folder, ${count} files are made one after another as the folder store makes a photo (open with O_CREAT | O_EXCL, one write of 186 KB, close) and the open is timed; then all are deleted and ${count} more are made and timed. Run a few minutes after any other mass delete on the same file system.`
);
record('Making photo files (bench/file-create.js)', lines);
