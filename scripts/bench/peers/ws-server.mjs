// The Node peer for the fan-out, latency and connection scenarios: the `ws` package on one
// process, speaking praktika's WebSocket shape (subscribe, then receive; a publisher connection
// sends {"op":"publish","topic","data"} and every subscriber of the topic gets
// {"topic","event":"bench","data"}). Written the way ws's own docs broadcast, with the frame
// encoded once per publish. A subscribe is answered with the topic's state: STATE_FILE's JSON,
// the same bytes for every server measured (null without one). Usage: node ws-server.mjs PORT [STATE_FILE]
import { readFileSync } from 'node:fs';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 9001);
const state = process.argv[3] ? readFileSync(process.argv[3], 'utf8').trim() : 'null';
const topics = new Map(); // topic -> Set of sockets

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port,
  path: '/ws',
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: 64 * 1024,
});

wss.on('connection', (ws) => {
  const mine = new Set();
  ws.on('message', (raw) => {
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      ws.send('{"error":{"code":"invalid_json"}}');
      return;
    }
    if (msg.op === 'subscribe' && typeof msg.topic === 'string') {
      let set = topics.get(msg.topic);
      if (!set) topics.set(msg.topic, (set = new Set()));
      set.add(ws);
      mine.add(msg.topic);
      ws.send(`{"re":${JSON.stringify(msg.id ?? null)},"ok":true,"data":{"presence":${set.size},"state":${state}}}`);
    } else if (msg.op === 'publish' && typeof msg.topic === 'string') {
      const set = topics.get(msg.topic);
      const frame = Buffer.from(JSON.stringify({ topic: msg.topic, event: 'bench', data: msg.data }));
      if (set) for (const s of set) s.send(frame, { binary: false });
      ws.send(JSON.stringify({ re: msg.id, ok: true, data: {} }));
    } else if (msg.op === 'ping') {
      ws.send(JSON.stringify({ re: msg.id, ok: true, data: { now: new Date().toISOString() } }));
    } else {
      ws.send(JSON.stringify({ re: msg.id, error: { code: 'unknown_op' } }));
    }
  });
  ws.on('close', () => {
    for (const topic of mine) topics.get(topic)?.delete(ws);
  });
});

wss.on('listening', () => console.log(`ws peer listening on ${port}`));
