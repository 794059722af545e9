/**
 * A small HTTP server on 127.0.0.1 (random port) that serves one file and
 * the ways a download can go wrong, for the remote-image tests:
 *   /NAME            the file, with Content-Length
 *   /chunked/NAME    the file without Content-Length (chunked encoding)
 *   /missing/NAME    404
 *   /truncated/NAME  announces the full length, sends half, closes the socket
 *   /stall/NAME      announces the full length, sends half, then waits
 *                    (until the client goes away or the server stops)
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export class ImageServer {
  private server: Server;
  private sockets = new Set<Socket>();
  /** Request paths in arrival order. */
  readonly requests: string[] = [];
  port = 0;

  constructor(readonly name: string, readonly data: Uint8Array) {
    this.server = createServer((req, res) => this.handle(req.url ?? '/', res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  async start(): Promise<this> {
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', res));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(route = ''): string {
    return `http://127.0.0.1:${this.port}/${route ? `${route}/` : ''}${this.name}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  private handle(path: string, res: ServerResponse): void {
    this.requests.push(path);
    const half = this.data.subarray(0, this.data.length >> 1);
    const full = { 'content-type': 'application/octet-stream', 'content-length': String(this.data.length) };
    switch (path) {
      case `/${this.name}`:
        res.writeHead(200, full).end(this.data);
        return;
      case `/chunked/${this.name}`:
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(half);
        res.end(this.data.subarray(half.length));
        return;
      case `/truncated/${this.name}`:
        res.writeHead(200, full);
        res.write(half, () => res.socket?.destroy());
        return;
      case `/stall/${this.name}`:
        res.writeHead(200, full);
        res.write(half);
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  }
}
