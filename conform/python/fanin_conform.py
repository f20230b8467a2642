"""Helpers for systems tested by `fanin conform` (contract fanin-conformance/1, docs/conformance.md).

Standard library plus redis-py. A worker calls `ConformTask.from_env().run(...)` for each task
execution: it writes the ledger's start record, applies the input's directives, computes the
task's output, writes the end record and returns the output.
"""
import hashlib
import json
import os
import sys
import time

CONTRACT = "fanin-conformance/1"
STAGES = ["pre_test", "analyse_batch", "corpus_synthesis", "review", "moderation"]
MAX_BATCHES = 16


class TaskFailed(Exception):
    """A directed failure; `retryable` says whether the system should try the task again."""

    def __init__(self, message, retryable):
        super().__init__(message)
        self.retryable = retryable


class InvalidInput(ValueError):
    """The experiment input is not a fanin-conformance/1 input (poison)."""


def stage_width(stage, batches):
    return batches if stage == "analyse_batch" else 2 if stage == "review" else 1


def task_output(experiment, stage, index, inputs):
    text = "%s|%s|%d|%s" % (experiment, stage, index, ",".join(inputs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_final(experiment, batches):
    inputs = []
    for stage in STAGES:
        inputs = [task_output(experiment, stage, i, inputs) for i in range(stage_width(stage, batches))]
    return inputs[0]


def parse_input(text_or_dict):
    """The experiment input as a dict, or InvalidInput naming what is wrong."""
    try:
        value = json.loads(text_or_dict) if isinstance(text_or_dict, (str, bytes)) else text_or_dict
    except ValueError as err:
        raise InvalidInput("experiment input is not JSON: %s" % err)
    if not isinstance(value, dict) or value.get("contract") != CONTRACT:
        raise InvalidInput("experiment input must be an object with contract %r" % CONTRACT)
    exp = value.get("experiment")
    if not isinstance(exp, str) or not exp or len(exp) > 64:
        raise InvalidInput("experiment must be a non-empty string")
    batches = value.get("batches")
    if not isinstance(batches, int) or isinstance(batches, bool) or not 1 <= batches <= MAX_BATCHES:
        raise InvalidInput("batches must be an integer 1..%d, got %r" % (MAX_BATCHES, batches))
    if not isinstance(value.get("directives", []), list):
        raise InvalidInput("directives must be a list")
    return value


def _matches(d, stage, index):
    return d.get("stage") == stage and ("index" not in d or d["index"] == index)


def _attempt_in(listed, attempt):
    return listed == "all" or attempt in listed


def directed_action(directives, stage, index, attempt):
    """('fail', retryable, message) | ('exit', code) | ('run', sleep_ms)."""
    sleep_ms = 0
    for d in directives:
        if not _matches(d, stage, index):
            continue
        kind = d.get("do")
        if kind == "reject":
            return ("fail", False, "directive reject: %s[%d] is poison" % (stage, index))
        if kind == "fail" and _attempt_in(d.get("attempts", []), attempt):
            return ("fail", True, "directive fail: %s[%d] attempt %d" % (stage, index, attempt))
        if kind == "exit" and _attempt_in(d.get("attempts", [1]), attempt):
            return ("exit", 1)
        if kind == "sleep":
            sleep_ms += int(d.get("ms", 0))
    return ("run", sleep_ms)


class ConformTask:
    """Runs task functions and writes the ledger (stream fanin:ledger:<run id>)."""

    def __init__(self, ledger, run_id, worker):
        self.ledger = ledger
        self.key = "fanin:ledger:%s" % run_id  # src/keys.ts conformanceLedgerKey
        self.worker = worker

    @classmethod
    def from_env(cls):
        import redis  # redis-py; imported here so the pure functions need no Redis

        url = os.environ["FANIN_LEDGER_URL"]
        worker = os.environ.get("FANIN_WORKER_ID") or "pid-%d" % os.getpid()
        return cls(redis.Redis.from_url(url), os.environ["FANIN_RUN_ID"], worker)

    def _append(self, kind, experiment, stage, index, attempt, **extra):
        fields = {"type": kind, "experiment": experiment, "stage": stage, "index": str(index),
                  "attempt": str(attempt), "worker": self.worker, "ts": str(int(time.time() * 1000))}
        fields.update({k: str(v) for k, v in extra.items()})
        self.ledger.xadd(self.key, fields)

    def run(self, experiment_input, stage, index, attempt, inputs):
        """Executes one task attempt; returns its output or raises TaskFailed. May exit the process."""
        exp = parse_input(experiment_input)
        experiment = exp["experiment"]
        self._append("start", experiment, stage, index, attempt)
        action = directed_action(exp.get("directives", []), stage, index, attempt)
        if action[0] == "exit":
            sys.stdout.flush()
            os._exit(action[1])
        if action[0] == "fail":
            self._append("end", experiment, stage, index, attempt, ok="0", error=action[2])
            raise TaskFailed(action[2], action[1])
        if action[1]:
            time.sleep(action[1] / 1000.0)
        output = task_output(experiment, stage, index, list(inputs))
        self._append("end", experiment, stage, index, attempt, ok="1", output=output)
        return output

    def dead(self, experiment_input, stage, index, attempt, reason):
        """Records that the system gave up on a task."""
        experiment = experiment_input["experiment"] if isinstance(experiment_input, dict) else str(experiment_input)
        self._append("dead", experiment, stage, index, attempt, reason=reason)
