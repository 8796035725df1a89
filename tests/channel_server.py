"""A real web server on 127.0.0.1 for the channel tests, and small packs to publish.

Debian's nginx (``tools/setup.sh test`` installs it) runs in the foreground
with a generated configuration on a free port, serving a folder; where nginx
is missing, Python's ``http.server`` stands in.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

NGINX_CONF = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    types {{ application/json json; application/zip zip; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri =404; }}
    }}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes] | None) -> None:
    for _ in range(200):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Server:
    """Where the server listens, how to stop it (a dead server), and what it sent."""

    def __init__(self, url: str, stop: object, access_log: Path | None = None) -> None:
        self.url = url
        self._stop = stop
        self.access_log = access_log
        # The fallback server counts its own bytes (it keeps no access log).
        self.counted = [0, 0]

    def served(self) -> tuple[int, int]:
        """(requests, body bytes sent) so far: nginx's ``$body_bytes_sent``
        summed over its access log, or the fallback's own count."""
        if self.access_log is None:
            return self.counted[0], self.counted[1]
        requests = sent = 0
        with contextlib.suppress(FileNotFoundError), self.access_log.open(encoding="utf-8") as log:
            for line in log:
                # combined: ... "GET /x HTTP/1.1" STATUS BODY_BYTES "referer" "agent"
                fields = line.split('"')
                if len(fields) < 3:
                    continue
                status_bytes = fields[2].split()
                requests += 1
                if len(status_bytes) >= 2 and status_bytes[1].isdigit():
                    sent += int(status_bytes[1])
        return requests, sent

    def stop(self) -> None:
        stop, self._stop = self._stop, None
        if callable(stop):
            stop()


class _CountingHandler(SimpleHTTPRequestHandler):
    """http.server counting requests and body bytes as nginx's access log would."""

    lock = threading.Lock()

    def __init__(self, counted: list[int], *args: Any, **kwargs: Any) -> None:
        self._counted = counted
        super().__init__(*args, **kwargs)

    def copyfile(self, source: Any, outputfile: Any) -> None:
        start = source.tell()
        super().copyfile(source, outputfile)
        with self.lock:
            self._counted[1] += source.tell() - start

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        with self.lock:
            self._counted[0] += 1

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(root: Path, work: Path) -> Iterator[Server]:
    """Serves ``root`` over HTTP on 127.0.0.1 until the block ends."""
    port = free_port()
    binary = nginx_binary()
    if binary is None:
        counted = [0, 0]
        handler = partial(_CountingHandler, counted, directory=str(root))
        httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()

        def stop_python() -> None:
            httpd.shutdown()
            httpd.server_close()

        server = Server(f"http://127.0.0.1:{port}", stop_python)
        server.counted = counted
    else:
        prefix = work / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        # As root, nginx's workers would drop to nobody, who cannot read pytest's folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port, root=root),
                        encoding="utf-8")
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def stop_nginx() -> None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()

        server = Server(f"http://127.0.0.1:{port}", stop_nginx, prefix / "access.log")
        try:
            _wait_listening(port, process)
        except BaseException:
            server.stop()
            raise
    try:
        yield server
    finally:
        server.stop()


def make_pack(folder: Path, version: str, title: str) -> Path:
    """A small valid pack (the starter pack) with its own version and cover title."""
    from taixin_kiosk.content.starter import write_starter

    write_starter(folder, ["en", "zh-CN"])
    deck_file = folder / "deck.json"
    deck = json.loads(deck_file.read_text("utf-8"))
    deck["id"] = "hall"
    deck["version"] = version
    deck_file.write_text(json.dumps(deck, ensure_ascii=False, indent=2), "utf-8")
    for locale in ("en", "zh-CN"):
        path = folder / "i18n" / f"{locale}.json"
        words = json.loads(path.read_text("utf-8"))
        words["deck"]["cover"]["title"] = title
        path.write_text(json.dumps(words, ensure_ascii=False, indent=2), "utf-8")
    return folder
