// usage: node /tmp/intake-exp.mjs  (from /work/main); env STUB_PHOTO passes to server
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { BASE_PORT, psql, scenario, startPinned, pgbench } from './lib.js';
const port = BASE_PORT + 7; const origin = `http://localhost:${port}`;
const db = `jx_exp_${process.pid}`; const url = `postgres://postgres@127.0.0.1:5432/${db}`;
psql('postgres://postgres@127.0.0.1:5432/postgres', `create database ${db};`);
const uploads = mkdtempSync(join(tmpdir(), 'jx-exp-'));
const app = await startPinned('node', (process.env.PROF ? ['--cpu-prof','--cpu-prof-dir=/tmp/prof','scripts/serve.js'] : ['scripts/serve.js']), { PORT: String(port), ORIGIN: origin, DATABASE_URL: url, SEED_DEMO: '1', APP_SECRET: 'bench', UPLOAD_DIR: uploads, BODY_SIZE_LIMIT: '70M', ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '1', NODE_ENV: 'production' }, `${origin}/api/v1/categories`);
try {
const width=1600,height=1200;const pixels=Buffer.alloc(width*height*3);
for(let y=0;y<height;y++)for(let x=0;x<width;x++){const i=(y*width+x)*3;const g=(Math.random()-0.5)*30;pixels[i]=Math.max(0,Math.min(255,(x/width)*200+30+g));pixels[i+1]=Math.max(0,Math.min(255,(y/height)*180+40+g));pixels[i+2]=Math.max(0,Math.min(255,120+Math.sin(x/40)*60+g));}
const photo=await sharp(pixels,{raw:{width,height,channels:3}}).blur(0.8).jpeg({quality:80}).toBuffer();
const boundary = `----jx-bench-${randomBytes(8).toString('hex')}`;
const field = (n, v) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`;
const head = field('category','green-belt-litter')+field('description','绿化带里有垃圾（压测）')+field('lat','31.866')+field('lng','117.296')+field('address','望江西路 1 号附近')+`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
const body = Buffer.concat([Buffer.from(head), photo, Buffer.from(`\r\n--${boundary}--\r\n`)]);
const bodyFile = join(uploads, 'body'); writeFileSync(bodyFile, body);
let start = 0;
for (const s of [3, Number(process.env.SECS||8), Number(process.env.SECS||8)]) {
  const r = scenario({ kind: 'intake', origin, seconds: s, start, timeout: 60, bodyFile, headers: { origin, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  start += r.sent; console.log(JSON.stringify({ rps: r.rps, p50: r.p50, p99: r.p99, codes: r.statusCodes }));
}
await new Promise(r=>setTimeout(r,Number(process.env.DRAIN||0)*1000)); console.log(psql(url, "select count(*) from reports; select count(*) from report_photos; select count(*) from report_photo_uploads;"));
} finally { app.kill('SIGINT'); await new Promise(r=>setTimeout(r,800)); psql('postgres://postgres@127.0.0.1:5432/postgres', `drop database if exists ${db} with (force);`); }
