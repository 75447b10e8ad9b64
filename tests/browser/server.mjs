// A tiny static server for the built site (public/), on 127.0.0.1, with a
// stub of the voting function at /api/votes for the vote button's tests.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".mp4": "video/mp4",
  ".txt": "text/plain; charset=utf-8",
};

const compressible = /^(text\/|application\/(json|xml)|image\/svg)/;

// serve starts the server; votes, when given, answers /api/votes:
// votes(req, body) returns {status, body}.
export async function serve(root, { votes } = {}) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (url.pathname === "/api/votes" && votes) {
      let body = "";
      for await (const chunk of req) body += chunk;
      const out = await votes(req, body, url);
      res.writeHead(out.status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
      res.end(JSON.stringify(out.body ?? {}));
      return;
    }
    let path = normalize(decodeURIComponent(url.pathname));
    if (path.includes("\0")) return notFound(res, root);
    let file = join(root, path);
    if (!file.startsWith(root)) return notFound(res, root);
    try {
      let st = await stat(file);
      if (st.isDirectory()) {
        file = join(file, "index.html");
        st = await stat(file);
      }
      const data = await readFile(file);
      send(req, res, 200, file, data);
    } catch {
      notFound(res, root, req);
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

function send(req, res, status, file, data) {
  const type = types[extname(file)] || "application/octet-stream";
  const headers = { "Content-Type": type };
  // Fingerprinted assets and media are immutable; pages revalidate.
  headers["Cache-Control"] = /\.[0-9a-f]{8,}\.|-[0-9a-f]{8}\./.test(file) ? "public, max-age=31536000, immutable" : "no-cache";
  if (compressible.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
    data = gzipSync(data);
    headers["Content-Encoding"] = "gzip";
    headers["Vary"] = "Accept-Encoding";
  }
  headers["Content-Length"] = data.length;
  res.writeHead(status, headers);
  res.end(data);
}

async function notFound(res, root, req) {
  try {
    const file = join(root, "404.html");
    send(req || { headers: {} }, res, 404, file, await readFile(file));
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found");
  }
}
