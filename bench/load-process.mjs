// Runs autocannon in its own process, so the load generator does not share the server's event loop.
// Input: the autocannon options as JSON in argv[2]; output: one JSON line with the figures.
import autocannon from 'autocannon';

const r = await autocannon(JSON.parse(process.argv[2]));
process.stdout.write(
  `${JSON.stringify({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  })}\n`,
);
