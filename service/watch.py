"""Following builds published by other processes: `healthqa index` run beside a serving process,
or another service process (on another machine) sharing the same PostgreSQL database."""

from __future__ import annotations

import logging
import threading

from indexer.store.locations import location_for
from service.engine import EngineHolder, load_engine
from service.settings import Settings

log = logging.getLogger("healthqa.watch")


class IndexWatcher:
    """Every `watch_index_seconds`, looks at which build is current and, when it is not the one
    being served, loads it and swaps it in (requests in flight finish on the old one)."""

    def __init__(self, settings: Settings, engines: EngineHolder) -> None:
        self.settings = settings
        self.engines = engines
        self._location = location_for(settings.index_dir, settings.store)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="healthqa-index-watch", daemon=True)

    def start(self) -> IndexWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def check(self) -> bool:
        """Swap in the current build if it is not the one served; True when it swapped."""
        current = self._location.current_build()
        serving = self.engines.current
        if current is None or current == serving.index.build_id:
            return False
        engine = load_engine(self.settings, embedder=serving.embedder)
        if engine.index.build_id == self.engines.current.index.build_id:
            engine.close()  # this process swapped the same build in meanwhile
            return False
        self.engines.swap(engine)
        log.info("serving build %s, published by another process", engine.index.build_id)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.settings.watch_index_seconds):
            try:
                self.check()
            except Exception:  # a build being replaced right now, the database restarting, …
                log.warning("could not check for a new index build", exc_info=True)
