"""One way for a page or dialog to run work off the GUI thread, in the spirit of anki's ``QueryOp``.

    operations.run(self, lambda: service.list_things(db), self.show_things)

does what every call site used to spell out by hand:

- **busy state**: the widget's ``busy`` counter (pages and panels have one; tests and the status bar read
  it) goes up now and down when the result or the error arrives, whatever happens in between;
- **owner check**: when the widget is gone by then, nothing is called (``Worker.run``'s ``owner``);
- **failure path**: ``failed(exc)`` if given; otherwise a :class:`DomainError` (a refused input or rule) is
  shown in one dialog titled ``title`` and anything else goes to the exception hook (the crash dialog), so
  no failure leaves a page busy or vanishes unseen.  :func:`at_field` is the failure path of a form's save:
  a refusal naming one of its fields is shown at that field, the form keeping its edits;
- **progress**: with ``progress="…"``, a window-modal progress dialog follows the job's reports
  (``job(report)``), for anything that can take more than a second.

A job runs on the worker thread: it takes plain values (the database, ids, typed values) read on the GUI
thread before the call, and returns a data object; it never touches a widget.  ``done`` runs on the GUI
thread with that object.  Once the window has closed (the worker shut down) nothing more is run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from recuperation.errors import DomainError
from ui.widgets import dialogs
from ui.worker import Worker

T = TypeVar("T")

Failed = Callable[[BaseException], None]


def worker_of(owner: QObject) -> Worker:
    """The worker an object's jobs run on: its own desk's, or its nearest parent's (a dialog given only a
    worker, like the server dialog, names it ``worker``)."""
    current: Any = owner
    while current is not None:
        desk = getattr(current, "desk", None)
        if desk is not None:
            return desk.worker
        worker = getattr(current, "worker", None)
        if isinstance(worker, Worker):
            return worker
        current = current.parent() if isinstance(current, QObject) else None
    raise LookupError(f"{type(owner).__name__} has no desk")


def show_failure(owner: QObject | None, exc: BaseException, title: str = "") -> None:
    """The default failure path: a refusal in one dialog, anything else to the exception hook."""
    if isinstance(exc, DomainError):
        parent = owner if isinstance(owner, QWidget) else None
        dialogs.warn(parent, title or QCoreApplication.translate("Operations", "未能完成"), exc.message)
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


def at_field(form: Any, owner: QWidget, title: str = "") -> Failed:
    """The failure path of a form's save: a refusal that names one of ``form``'s fields (a
    :class:`ui.widgets.form.FormView`) is shown at that field, the edits kept; any other failure takes the
    default path (:func:`show_failure`)."""

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DomainError) and exc.field is not None and exc.field in form.fields:
            form.set_error(exc.field, exc.message)
        else:
            show_failure(owner, exc, title)

    return failed


def run(
    owner: QObject,
    job: Callable[..., T],
    done: Callable[[T], None] | None = None,
    *,
    failed: Failed | None = None,
    title: str = "",
    busy: Any = None,
    progress: str | None = None,
) -> Future[T]:
    """Run ``job`` on the desk's worker for ``owner``; then ``done(result)`` or the failure path on the GUI
    thread.  ``busy``: whose counter to raise (default ``owner``, when it has one).  ``progress``: the label
    of a progress dialog over ``owner`` (a widget), the job then called with a ``report`` callable."""
    worker = worker_of(owner)
    if worker.closed:  # the window is gone: nobody is left to show a result
        future: Future[T] = Future()
        future.cancel()
        return future
    counter: Any = owner if busy is None else busy
    counts = hasattr(counter, "busy")
    if counts:
        counter.busy += 1

    def release() -> None:
        if counts:
            counter.busy -= 1

    def finish(result: T) -> None:
        release()
        if done is not None:
            done(result)

    def fail(exc: BaseException) -> None:
        release()
        if failed is not None:
            failed(exc)
        else:
            show_failure(owner, exc, title)

    try:
        if progress is not None:
            assert isinstance(owner, QWidget), "a progress dialog needs a widget to stand over"
            return worker.run_with_progress(owner, progress, job, finish, fail, owner=owner)
        return worker.run(job, finish, fail, owner=owner)
    except BaseException:
        release()
        raise
