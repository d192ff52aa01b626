// Intake's transport floor: a bare node:http server that reads the whole request body and refuses
// it with a small JSON 400, as the app's floor does, but with no framework in between. The gap
// between the two floors is what SvelteKit's request path costs a report (bench/run.js).
import { createServer } from 'node:http';

const port = Number(process.env.PORT || 3902);
const refusal = JSON.stringify({ error: { code: 'idempotency_key_required', message: 'floor' } });
createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const status = Buffer.concat(chunks).length > 0 ? 400 : 200;
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(refusal);
	});
}).listen(port, () => console.log(`body floor on ${port}`));
