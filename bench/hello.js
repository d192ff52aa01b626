// The baseline: a bare node:http hello-world on the same core the app gets.
import { createServer } from 'node:http';

const port = Number(process.env.PORT || 3901);
createServer((_req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/plain' });
	res.end('hello world');
}).listen(port, () => console.log(`hello on ${port}`));
