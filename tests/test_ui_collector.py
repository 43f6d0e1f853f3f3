"""Cycles are collected on the GUI thread, between worker jobs (ui/collector.py)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from ui.collector import MainThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_collector_waits_for_the_worker_and_then_collects(qtbot) -> None:
    owner = QObject()
    working = [True]
    collector = MainThreadCollector(owner, busy=lambda: working[0])
    try:
        assert not gc.isenabled()
        for _ in range(gc.get_threshold()[0] + 10):
            Cycle()
        before = gc.get_count()[0]
        collector.check()  # a job is running: nothing is collected
        assert gc.get_count()[0] >= before
        working[0] = False
        collector.check()
        assert gc.get_count()[0] < before
    finally:
        collector.stop()
    assert gc.isenabled()
