"""Engines: where the worker side (:mod:`pipeline.worker`) runs.

``inline`` (this process), ``processes`` (N spawned worker processes, one pipeline each), ``dask``
(a ``dask.distributed`` cluster: an existing one at ``--scheduler tcp://HOST:PORT`` or a local one).
Each has ``start``, ``submit(payload, tokens)`` returning a future-like handle, ``close``, and
``recover`` where a dead worker can be replaced.
"""
from __future__ import annotations

import logging

from .worker import Payload, _ping, init_worker, process_payload

ENGINES = ("auto", "inline", "processes", "dask")
SCHEDULER_TIMEOUT = 10.0  # seconds to reach a --scheduler before giving up with a one-line error


class EngineError(RuntimeError):
    """An engine could not start (an unreachable scheduler ...): the message is what the user reads."""


class _Done:
    def __init__(self, value=None, error: BaseException | None = None):
        self.value, self.error = value, error

    def result(self):
        if self.error is not None:
            raise self.error
        return self.value


class InlineEngine:
    """Everything in this process."""

    name = "inline"
    workers = 1

    def __init__(self, use_model, batch_size):
        self.args = (use_model, batch_size)

    def start(self) -> None:
        init_worker(*self.args)

    def submit(self, payload: Payload, tokens: bool):
        try:
            return _Done(process_payload(payload, tokens, *self.args))
        except Exception as exc:  # noqa: BLE001
            return _Done(error=exc)

    def close(self) -> None:
        pass


class ProcessEngine:
    """N worker processes (spawned: no state shared with this process), each with its own pipeline."""

    name = "processes"

    def __init__(self, workers: int, use_model, batch_size):
        self.workers = workers
        self.args = (use_model, batch_size)
        self.pool = None

    def start(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=init_worker, initargs=self.args)
        # Bring every worker up (and its pipeline loaded) before the clock starts.
        pids: set[int] = set()
        for _ in range(5):
            pids |= {f.result() for f in [self.pool.submit(_ping) for _ in range(self.workers)]}
            if len(pids) >= self.workers:
                break

    def submit(self, payload: Payload, tokens: bool):
        try:
            return self.pool.submit(process_payload, payload, tokens, *self.args)
        except Exception as exc:  # noqa: BLE001 - a broken pool: restarted by the retry path
            return _Done(error=exc)

    def recover(self) -> None:
        """After a worker died: a new pool (a broken pool refuses all further work)."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: F401

        try:
            self.pool.shutdown(wait=False, cancel_futures=True)
        except Exception:  # noqa: BLE001
            pass
        self.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """A ``dask.distributed`` cluster: ``scheduler`` is ``tcp://HOST:PORT`` of a running one, or
    None for a ``LocalCluster`` of ``workers`` processes with one thread each on this machine."""

    name = "dask"

    def __init__(self, workers: int, use_model, batch_size, scheduler: str | None = None):
        self.requested = workers
        self.scheduler = scheduler
        self.args = (use_model, batch_size)
        self.client = self.cluster = None
        self.workers = workers

    def start(self) -> None:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=SCHEDULER_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler} ({type(exc).__name__}): "
                                  "is it running? Start one with `dask scheduler`, or leave out --scheduler "
                                  "to run a local cluster") from None
        else:
            logging.getLogger("distributed").setLevel(logging.WARNING)
            self.cluster = LocalCluster(n_workers=self.requested, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=":0")
            self.client = Client(self.cluster)
        self.client.wait_for_workers(1)
        self.client.run(init_worker, *self.args)  # every worker loads the pipeline once, now
        self.workers = max(1, sum(self.client.nthreads().values()))

    def submit(self, payload: Payload, tokens: bool):
        return self.client.submit(process_payload, payload, tokens, *self.args, pure=False)

    def recover(self) -> None:
        pass  # the scheduler reschedules work of a lost worker by itself

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(engine: str, workers: int, use_model, batch_size: int, scheduler: str | None = None):
    if engine == "auto":
        engine = "dask" if scheduler else ("inline" if workers <= 1 else "processes")
    if engine == "inline":
        return InlineEngine(use_model, batch_size)
    if engine == "processes":
        return ProcessEngine(max(1, workers), use_model, batch_size)
    if engine == "dask":
        return DaskEngine(max(1, workers), use_model, batch_size, scheduler)
    raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
