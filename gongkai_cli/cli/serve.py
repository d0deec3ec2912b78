"""`gongkai site --serve`: the site on 127.0.0.1, rebuilt whenever a data file changes."""

from __future__ import annotations

import errno
import functools
import http.server
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from gongkai_cli.errors import GongkaiError
from gongkai_cli.ledger.datadir import PROGRESS, TASKS, UNITS, DataDir

HOST = "127.0.0.1"  # never another interface: the ledger's notes are not for the whole network
POLL_SECONDS = 0.5


class PortUnavailable(GongkaiError):
    """The port is taken, or not ours to bind."""


# A web page elsewhere can point a name of its own at 127.0.0.1 (DNS rebinding) and read the
# site through the visitor's browser; only requests that name this machine are answered.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # a request per line would bury the rebuild messages
        pass

    def send_head(self):
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        if name not in LOCAL_HOSTS:
            self.send_error(403, "Forbidden")
            return None
        path = self.regular_file(self.translate_path(self.path))
        if path is None:
            self.send_error(404, "Not Found")
            return None
        self.path = "/" + quote(path.relative_to(self.directory).as_posix())
        return super().send_head()

    def regular_file(self, wanted: str) -> Path | None:
        """The regular file a request names under the root, reached without a link; a folder
        means its index.html. Anything else (a link, a listing, a device) is not served."""
        root = Path(self.directory)
        path = Path(wanted)
        if not path.is_relative_to(root):
            return None
        current = root
        for part in path.relative_to(root).parts:
            current = current / part
            if current.is_symlink():
                return None
        if current.is_dir():
            current = current / "index.html"
            if current.is_symlink():
                return None
        try:
            return current if stat.S_ISREG(current.lstat().st_mode) else None
        except OSError:
            return None

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")  # a reload shows the latest rebuild
        super().end_headers()


def signature(data_dir: DataDir) -> tuple:
    """What changes when a data file is saved, replaced or removed: cheap to take twice a second."""
    result = []
    for name in (TASKS, UNITS, PROGRESS):
        try:
            st = data_dir.file(name).stat()
            result.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            result.append(None)
    return tuple(result)


def serve(
    out: Path,
    port: int,
    data_dir: DataDir,
    rebuild: Callable[[], None],
    say: Callable[[str], None],
    complain: Callable[[str], None],
) -> None:
    """Serve `out` until Ctrl-C, calling `rebuild` after each change of the data files."""
    handler = functools.partial(_Handler, directory=str(out.absolute()))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        why = "端口已被占用" if exc.errno == errno.EADDRINUSE else exc.strerror
        raise PortUnavailable(f"无法在 {HOST}:{port} 提供网站：{why}。") from None
    server.daemon_threads = True
    stop = threading.Event()

    def watch() -> None:
        seen = signature(data_dir)
        while not stop.wait(POLL_SECONDS):
            now = signature(data_dir)
            if now == seen:
                continue
            seen = now
            try:
                rebuild()
                say("数据已变化，网站已重新生成。")
            except GongkaiError as exc:  # a file half-edited: keep serving the last good site
                complain(f"错误：{exc}（网站保持上一次的内容）")

    watcher = threading.Thread(target=watch, name="gongkai-site-watch", daemon=True)
    watcher.start()
    say(
        f"网站：http://{HOST}:{server.server_address[1]}/ （数据文件变化时自动重新生成；按 Ctrl-C 停止）"
    )
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        watcher.join(timeout=5)
    say("已停止。")
