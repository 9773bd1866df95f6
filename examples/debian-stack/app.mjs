// The app between nginx and the databases: GET / records a visit in Postgres (through psql, so it needs
// no npm package) and counts hits in Redis (its wire protocol, a few bytes by hand); /health checks both.
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

const PG = ['-X', '-q', '-t', '-A', '-h', '127.0.0.1', '-p', process.env.PG_PORT, '-U', 'app', '-d', 'postgres', '-c'];

function sql(query) {
  return new Promise((resolve, reject) => execFile('psql', [...PG, query], (err, out) => (err ? reject(err) : resolve(out.trim()))));
}

/** One Redis command, its reply line. */
function redis(...args) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(process.env.REDIS_PORT), '127.0.0.1');
    let reply = '';
    sock.on('data', (d) => {
      reply += d;
      if (reply.endsWith('\r\n')) sock.end();
    });
    sock.on('end', () => resolve(reply.trim().replace(/^[:+]/, '')));
    sock.on('error', reject);
    sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/health') {
      await Promise.all([sql('select 1'), redis('PING')]);
      return res.end('ok');
    }
    const visits = await sql('insert into visits default values returning id');
    const hits = await redis('INCR', 'hits');
    res.end(`visit ${visits} (redis hits: ${hits})\n`);
  } catch (error) {
    res.statusCode = 503;
    res.end(`${error.message}\n`);
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`app listening on ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
