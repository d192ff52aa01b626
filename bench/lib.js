// Shared pieces of the benchmarks: pinned servers, alternating A/B runs, and the results file.
import { execFileSync, spawn } from 'node:child_process';
import {
	appendFileSync,
	existsSync,
	readdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { join } from 'node:path';

export const SERVER_CORE = '0';
export const LOAD_CORE = '1';

/** The first of the ports the benchmarks listen on (BENCH_PORT, default 3900); each script adds its own offset. */
export const BASE_PORT = Number(process.env.BENCH_PORT || 3900);

/** Starts a command pinned to the server core (in `cwd`) and waits until `readyUrl` answers. */
export async function startPinned(command, args, env, readyUrl, cwd = process.cwd()) {
	const child = spawn('taskset', ['-c', SERVER_CORE, command, ...args], {
		cwd,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; i < 240; i++) {
		try {
			if ((await fetch(readyUrl)).ok) return child;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	child.kill();
	throw new Error(`${command} did not answer at ${readyUrl}`);
}

const CLOCK_TICKS =
	Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds a process has used so far, all its threads (user and system). */
export function processCpuSeconds(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	// Fields after the command name, which is in parentheses and may hold spaces.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Busy and total jiffies of one core so far, from /proc/stat. */
function coreTimes(core) {
	const line = readFileSync('/proc/stat', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`cpu${core} `));
	const [user, nice, system, idle, iowait, irq, softirq, steal] = line
		.split(/\s+/)
		.slice(1)
		.map(Number);
	const busy = user + nice + system + irq + softirq + steal;
	return { busy, total: busy + idle + iowait };
}

/**
 * Runs `work` and says what it cost: the server process's CPU seconds, and how busy the load core
 * was. A load core near 100% means the load generator, not the server, set the pace.
 */
export function withCpu(serverPid, work) {
	const serverBefore = serverPid ? processCpuSeconds(serverPid) : 0;
	const loadBefore = coreTimes(LOAD_CORE);
	const serverCoreBefore = coreTimes(SERVER_CORE);
	const result = work();
	const loadAfter = coreTimes(LOAD_CORE);
	const serverCoreAfter = coreTimes(SERVER_CORE);
	const serverCpu = serverPid ? processCpuSeconds(serverPid) - serverBefore : NaN;
	const requests = result.total ?? result.rps * (result.seconds ?? 0);
	return {
		...result,
		serverCpuUsPerRequest: requests > 0 ? (serverCpu * 1e6) / requests : NaN,
		loadBusy: (loadAfter.busy - loadBefore.busy) / Math.max(1, loadAfter.total - loadBefore.total),
		// The server's core, whoever used it: below 100% the server waited (on the disk, the database).
		serverCoreBusy:
			(serverCoreAfter.busy - serverCoreBefore.busy) /
			Math.max(1, serverCoreAfter.total - serverCoreBefore.total)
	};
}

/**
 * One autocannon run on the load core; returns requests per second and latency, and with
 * `serverPid` the server's CPU per request and the load core's busy share (see `withCpu`).
 */
export function autocannon(
	url,
	{ connections = 50, seconds = 5, method = 'GET', headers = {}, body, serverPid } = {}
) {
	return withCpu(serverPid, () =>
		autocannonRun(url, { connections, seconds, method, headers, body })
	);
}

function autocannonRun(url, { connections, seconds, method, headers, body }) {
	const args = [
		'-c',
		LOAD_CORE,
		'npx',
		'autocannon',
		'-j',
		'-c',
		String(connections),
		'-d',
		String(seconds),
		'-m',
		method
	];
	for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
	if (body) args.push('-b', body);
	args.push(url);
	const out = execFileSync('taskset', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
	const result = JSON.parse(out);
	return {
		rps: result.requests.average,
		total: result.requests.total,
		p50: result.latency.p50,
		p99: result.latency.p99,
		non2xx: result.non2xx,
		errors: result.errors
	};
}

/** One run of bench/load.js on the load core (requests that differ one from the next). */
export function scenario(spec) {
	const dir = mkdtempSync(join(tmpdir(), 'jx-load-'));
	const file = join(dir, 'spec.json');
	try {
		writeFileSync(file, JSON.stringify(spec));
		const out = execFileSync('taskset', ['-c', LOAD_CORE, 'node', 'bench/load.js', file], {
			encoding: 'utf8',
			maxBuffer: 16 * 1024 * 1024
		});
		return JSON.parse(out.trim().split('\n').at(-1));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** One pgbench run of a custom script on the load core; returns transactions per second and latency. */
export function pgbench(databaseUrl, script, { clients = 50, seconds = 5 } = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'jx-pgbench-'));
	const file = join(dir, 'script.sql');
	try {
		writeFileSync(file, script);
		const out = execFileSync(
			'taskset',
			[
				'-c',
				LOAD_CORE,
				'pgbench',
				'--no-vacuum',
				'--client',
				String(clients),
				'--jobs',
				'1',
				'--time',
				String(seconds),
				'--file',
				file,
				databaseUrl
			],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 }
		);
		const number = (pattern) => Number(out.match(pattern)?.[1] ?? NaN);
		const failed = number(/number of failed transactions: (\d+)/);
		return {
			rps: number(/tps = ([\d.]+) \(without initial connection time\)/),
			latencyAvg: number(/latency average = ([\d.]+) ms/),
			failed: Number.isNaN(failed) ? 0 : failed
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Runs SQL with psql against `databaseUrl`, stopping at the first error; returns stdout. */
export function psql(databaseUrl, sql) {
	return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', databaseUrl], {
		input: sql,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024
	});
}

export function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs A and B alternately `rounds` times, so drift on a noisy machine hits both alike. */
export function alternate(rounds, runA, runB) {
	const a = [];
	const b = [];
	for (let i = 0; i < rounds; i++) {
		a.push(runA());
		b.push(runB());
	}
	return { a, b };
}

export function machine() {
	const cpu = cpus()[0]?.model ?? 'unknown cpu';
	let load = '';
	try {
		load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
	} catch {
		// not Linux
	}
	return `${cpus().length} × ${cpu}, Node ${process.version}, load average ${load}`;
}

const RESULTS = new URL('./RESULTS.md', import.meta.url);

export function record(title, lines) {
	if (!existsSync(RESULTS)) {
		writeFileSync(
			RESULTS,
			'# Benchmark results\n\nAppended by `npm run bench`; newest last. Ratios compare runs taken alternately in the same session.\n'
		);
	}
	appendFileSync(
		RESULTS,
		`\n## ${title}: ${new Date().toISOString()}\n\nMachine: ${machine()}\n\n${lines.join('\n')}\n`
	);
}

/**
 * A photo-like JPEG: smooth gradients with camera grain. The default is what a phone sends after
 * the form's compression (1600×1200, quality 80).
 */
export async function phonePhoto({
	width = 1600,
	height = 1200,
	grain = 30,
	wavelength = 40,
	quality = 80
} = {}) {
	const pixels = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const i = (y * width + x) * 3;
			const noise = (Math.random() - 0.5) * grain;
			pixels[i] = Math.max(0, Math.min(255, (x / width) * 200 + 30 + noise));
			pixels[i + 1] = Math.max(0, Math.min(255, (y / height) * 180 + 40 + noise));
			pixels[i + 2] = Math.max(0, Math.min(255, 120 + Math.sin(x / wavelength) * 60 + noise));
		}
	}
	return sharp(pixels, { raw: { width, height, channels: 3 } })
		.blur(0.8)
		.jpeg({ quality })
		.toBuffer();
}

/**
 * The environment of the production server under intake load: each request says which resident
 * it is (X-Forwarded-For), so the per-address report limit does not stop the run.
 */
export function intakeServerEnv({ port, origin, databaseUrl, uploads }) {
	return {
		PORT: String(port),
		ORIGIN: origin,
		DATABASE_URL: databaseUrl,
		SEED_DEMO: '1',
		APP_SECRET: 'bench',
		UPLOAD_DIR: uploads,
		BODY_SIZE_LIMIT: '70M',
		ADDRESS_HEADER: 'X-Forwarded-For',
		XFF_DEPTH: '1',
		NODE_ENV: 'production'
	};
}

/** The multipart body of a report with one photo, as the form sends it. */
export function multipart(photo) {
	const boundary = `----jx-bench-${randomBytes(8).toString('hex')}`;
	const field = (name, value) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	const head =
		field('category', 'green-belt-litter') +
		field('description', '绿化带里有垃圾（压测）') +
		field('lat', '31.866') +
		field('lng', '117.296') +
		field('address', '望江西路 1 号附近') +
		`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
	const body = Buffer.concat([Buffer.from(head), photo, Buffer.from(`\r\n--${boundary}--\r\n`)]);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * A fresh folder for the app's photos under BENCH_UPLOAD_BASE (default: the system's temp folder).
 * Where photos go changes intake's cost: ext4 without a journal checks every free inode it passes
 * for a recent delete (`recently_deleted`), so after thousands of deletes each new file costs up
 * to a millisecond of kernel time. Point BENCH_UPLOAD_BASE at a journaled file system to measure
 * the app rather than that.
 */
export function uploadFolder(prefix) {
	return mkdtempSync(join(process.env.BENCH_UPLOAD_BASE || tmpdir(), prefix));
}

/** The file system a folder is on, for the results: its mount, type and, for ext4, whether it journals. */
export function describeFileSystem(folder) {
	try {
		const [source, target, type] = execFileSync(
			'findmnt',
			['-n', '-o', 'SOURCE,TARGET,FSTYPE', '-T', folder],
			{ encoding: 'utf8' }
		)
			.trim()
			.split(/\s+/);
		if (type !== 'ext4') return `${type} at ${target}`;
		// A journaled ext4 has a jbd2 entry named after its device (vda-8, loop0-8).
		const device = source.split('/').at(-1);
		let journaled = false;
		try {
			journaled = readdirSync('/proc/fs/jbd2').some((name) => name.startsWith(`${device}-`));
		} catch {
			// no jbd2 entries: no journal anywhere
		}
		return `ext4 ${journaled ? 'with' : 'without'} a journal at ${target} (${source})`;
	} catch {
		return 'an unknown file system';
	}
}
