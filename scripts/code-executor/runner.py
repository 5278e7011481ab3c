# The in-sandbox Python REPL of the local code executor (scripts/code-executor/server.mjs).
#
# One long-lived process per session: variables persist between executions. The server starts it as
#   python3 -I -B -u -c <this file's source> <json config>
# inside the session's sandbox (cwd /mnt/data) and talks to it over two private file descriptors:
#   commands  (dup of fd 0): one JSON object per line, {"type": "execute", "id": n, "code": "..."}
#   protocol  (dup of fd 1): one JSON object per line:
#     {"type": "ready", "python": "3.11.2"}                      once, at start
#     {"type": "stream", "id": n, "name": "stdout"|"stderr", "text": "..."}   output, as it happens
#     {"type": "result", "id": n, "status": "ok"|"error", "images": [base64 PNG, ...]}
# The user's code never sees those descriptors' numbers: fd 0 becomes /dev/null and fds 1 and 2 become
# pipes this process reads back, so output written at the descriptor level (os.write, subprocesses)
# is captured as well as print(). Tracebacks go to the stderr stream with status "error". matplotlib
# runs with the Agg backend (MPLBACKEND=Agg); plt.show(), Figure.show() and display(fig) save the
# figures as PNG and close them, and after each execution every figure still open is saved and closed.
# Files created or changed under /mnt/data are found by the server (it compares the directory before
# and after), so they are reported even when the execution times out.

import ast
import base64
import builtins
import codecs
import io
import json
import linecache
import os
import sys
import threading
import traceback

_CONFIG = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
_MAX_LOG_CHARS = int(_CONFIG.get("max_log_chars", 200_000))
_MAX_IMAGES = int(_CONFIG.get("max_images", 20))
_SYNC = "\x00assistants-edge-sync\x00"
_RUNNER_GLOBALS = globals()

# --- private descriptors ------------------------------------------------------------------------
_commands = os.fdopen(os.dup(0), "r", encoding="utf-8", newline="\n")
_diagnostics = os.fdopen(os.dup(2), "w", encoding="utf-8")
_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", newline="\n")
_protocol_lock = threading.Lock()

_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
sys.stdin = open(os.devnull, "r", encoding="utf-8")


def _send(message):
    line = json.dumps(message) + "\n"
    with _protocol_lock:
        _protocol.write(line)
        _protocol.flush()


# --- output capture ------------------------------------------------------------------------------
class _Capture:
    """Collects the current execution's output and forwards it in small batches (so that output
    written before a timeout still reaches the server)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.execution = None
        self.pending = []  # [name, text]
        self.pending_chars = 0
        self.total = 0
        self.truncated = False

    def begin(self, execution_id):
        with self.lock:
            self.execution = execution_id
            self.pending = []
            self.pending_chars = 0
            self.total = 0
            self.truncated = False

    def end(self):
        self.flush()
        with self.lock:
            self.execution = None

    def emit(self, name, text):
        if not text:
            return
        flush = False
        with self.lock:
            if self.execution is None or self.truncated:
                return
            room = _MAX_LOG_CHARS - self.total
            if len(text) > room:
                text = text[:room] + f"\n[output truncated: more than {_MAX_LOG_CHARS} characters]\n"
                self.truncated = True
            self.total += len(text)
            if self.pending and self.pending[-1][0] == name:
                self.pending[-1][1] += text
            else:
                self.pending.append([name, text])
            self.pending_chars += len(text)
            flush = self.pending_chars >= 8192
        if flush:
            self.flush()

    def flush(self):
        with self.lock:
            pending, self.pending, self.pending_chars = self.pending, [], 0
            execution = self.execution
        if execution is None:
            return
        for name, text in pending:
            _send({"type": "stream", "id": execution, "name": name, "text": text})


_capture = _Capture()


def _flusher():
    import time

    while True:
        time.sleep(0.2)
        try:
            _capture.flush()
        except Exception:
            pass


class _Stream(io.TextIOBase):
    """sys.stdout / sys.stderr for user code."""

    def __init__(self, name, fd):
        self._name = name
        self._fd = fd

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        _capture.emit(self._name, text)
        return len(text)

    def flush(self):
        pass


class _FdReader:
    """Reads what is written to fd 1 or 2 at the descriptor level and feeds it to the capture."""

    def __init__(self, name, fd):
        self.name = name
        read_end, write_end = os.pipe()
        os.dup2(write_end, fd)
        os.close(write_end)
        self.fd = fd
        self.read_end = read_end
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.carry = ""
        self.synced = threading.Event()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                chunk = os.read(self.read_end, 65536)
            except OSError:
                return
            if not chunk:
                return
            text = self.carry + self.decoder.decode(chunk)
            self.carry = ""
            while True:
                at = text.find(_SYNC)
                if at < 0:
                    break
                _capture.emit(self.name, text[:at])
                text = text[at + len(_SYNC):]
                self.synced.set()
            # Keep a possible partial marker for the next read.
            for keep in range(min(len(_SYNC) - 1, len(text)), 0, -1):
                if _SYNC.startswith(text[-keep:]):
                    self.carry = text[-keep:]
                    text = text[:-keep]
                    break
            _capture.emit(self.name, text)

    def sync(self):
        """Waits until everything written to the descriptor so far has been captured."""
        self.synced.clear()
        try:
            os.write(self.fd, _SYNC.encode("utf-8"))
        except OSError:
            return
        self.synced.wait(1.0)


_readers = [_FdReader("stdout", 1), _FdReader("stderr", 2)]
sys.stdout = _Stream("stdout", 1)
sys.stderr = _Stream("stderr", 2)
sys.__stdout__ = sys.stdout
sys.__stderr__ = sys.stderr
sys.argv = [""]

# --- matplotlib figures --------------------------------------------------------------------------
_images = []


def _save_figure(figure):
    if len(_images) >= _MAX_IMAGES:
        _capture.emit("stderr", f"[image not returned: at most {_MAX_IMAGES} images per execution]\n")
        return
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    _images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))


def _flush_figures():
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    try:
        for number in pyplot.get_fignums():
            _save_figure(pyplot.figure(number))
    except Exception as error:  # noqa: BLE001 - a broken figure must not break the REPL
        _capture.emit("stderr", f"[could not render a figure: {type(error).__name__}: {error}]\n")
    finally:
        try:
            pyplot.close("all")
        except Exception:
            pass


def _patch_pyplot(pyplot):
    def show(*args, **kwargs):
        _flush_figures()

    pyplot.show = show
    try:
        import matplotlib.figure

        def figure_show(self, warn=True):
            _save_figure(self)
            pyplot.close(self)

        matplotlib.figure.Figure.show = figure_show
    except Exception:
        pass


class _PyplotLoader:
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _patch_pyplot(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _PyplotFinder:
    """Patches matplotlib.pyplot.show as soon as the user's code imports pyplot (no import cost
    for code that never plots)."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "matplotlib.pyplot":
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _PyplotLoader(spec.loader)
                return spec
        return None


sys.meta_path.insert(0, _PyplotFinder())


def display(*objects, **kwargs):
    """IPython's display(), as far as a text REPL can: figures become images, the rest is printed."""
    for obj in objects:
        try:
            from matplotlib.figure import Figure

            if isinstance(obj, Figure):
                _save_figure(obj)
                pyplot = sys.modules.get("matplotlib.pyplot")
                if pyplot is not None:
                    pyplot.close(obj)
                continue
        except Exception:
            pass
        print(repr(obj))


builtins.display = display

# --- execution -----------------------------------------------------------------------------------
_namespace = {"__name__": "__main__", "__doc__": None, "__builtins__": builtins}


def _user_traceback(error):
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_globals is _RUNNER_GLOBALS:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


class _CompileError(Exception):
    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _run(code, filename):
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        tree = ast.parse(code, filename, "exec")
    except (SyntaxError, ValueError) as error:  # ValueError: source code with null bytes
        raise _CompileError(error) from None
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, "exec"), _namespace)
    if last is not None:
        value = eval(compile(last, filename, "eval"), _namespace)
        if value is not None:
            builtins._ = value
            print(repr(value))


def _execute(execution_id, code):
    global _images
    _images = []
    _capture.begin(execution_id)
    status = "ok"
    try:
        _run(code, f"<execution {execution_id}>")
    except SystemExit as error:
        code_ = error.code
        if code_ in (None, 0):
            _capture.emit("stderr", "SystemExit: the code called exit(); the interpreter keeps running.\n")
        else:
            status = "error"
            _capture.emit("stderr", f"SystemExit: {code_}\n")
    except _CompileError as wrapper:
        status = "error"
        error = wrapper.error
        _capture.emit("stderr", "".join(traceback.format_exception_only(type(error), error)))
    except BaseException as error:  # noqa: BLE001 - everything the user's code raises is reported
        status = "error"
        try:
            text = _user_traceback(error)
        except BaseException:  # e.g. MemoryError while formatting
            text = f"{type(error).__name__}: {error}\n"
        _capture.emit("stderr", text)
    try:
        _flush_figures()
    except BaseException:
        pass
    for reader in _readers:
        reader.sync()
    _capture.end()
    images, _images = _images, []
    _send({"type": "result", "id": execution_id, "status": status, "images": images})


def _main():
    import platform

    threading.Thread(target=_flusher, daemon=True).start()
    _send({"type": "ready", "python": platform.python_version()})
    while True:
        line = _commands.readline()
        if not line:
            return  # the server closed the pipe (or exited): end the session
        try:
            command = json.loads(line)
        except ValueError:
            continue
        if command.get("type") == "execute":
            _execute(command.get("id"), str(command.get("code", "")))


try:
    _main()
except BaseException:  # noqa: BLE001 - the runner itself failed: tell the server's log, then exit
    traceback.print_exc(file=_diagnostics)
    _diagnostics.flush()
    os._exit(70)
os._exit(0)
