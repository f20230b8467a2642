"""Tests of the Python conformance helper (fanin_conform.py), run by test/conform/vectors.test.ts.

    python3 test_fanin_conform.py          unittest: the helper reproduces docs/conformance-vectors.json
    python3 test_fanin_conform.py emit     reads a JSON request on stdin, prints what the helper computes
                                           (outputs, directed actions, ledger records written), so the
                                           TypeScript test can compare both helpers
    python3 test_fanin_conform.py exit     runs one task attempt from the JSON on stdin (an `exit`
                                           directive ends the process)

Needs redis-py only for the ledger parts (Debian's /usr/bin/python3 has it).
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import fanin_conform as fc  # noqa: E402

VECTORS = os.path.join(HERE, "..", "..", "docs", "conformance-vectors.json")


def all_outputs(experiment, batches):
    """Every stage's outputs, in stage then index order."""
    out, inputs = [], []
    for stage in fc.STAGES:
        inputs = [fc.task_output(experiment, stage, i, inputs) for i in range(fc.stage_width(stage, batches))]
        out.append(inputs)
    return out


class VectorsTest(unittest.TestCase):
    def setUp(self):
        with open(VECTORS) as f:
            self.doc = json.load(f)

    def test_contract(self):
        self.assertEqual(self.doc["contract"], fc.CONTRACT)

    def test_vectors(self):
        for v in self.doc["vectors"]:
            self.assertEqual(all_outputs(v["experiment"], v["batches"]), v["outputs"])
            self.assertEqual(fc.expected_final(v["experiment"], v["batches"]), v["outputs"][-1][0])

    def test_single(self):
        experiment, stage, index, rest = self.doc["single"]["input"].split("|", 3)
        inputs = rest.split(",") if rest else []
        self.assertEqual(fc.task_output(experiment, stage, int(index), inputs), self.doc["single"]["output"])

    def test_poison(self):
        for bad in ['{"contract":"fanin-conformance/1","experiment":"x","batches":"many"}', "not json", "[]",
                    '{"contract":"other","experiment":"x","batches":1}']:
            with self.assertRaises(fc.InvalidInput):
                fc.parse_input(bad)


def action_json(action):
    if action[0] == "fail":
        return {"kind": "fail", "retryable": action[1], "message": action[2]}
    if action[0] == "exit":
        return {"kind": "exit", "code": action[1]}
    return {"kind": "run", "sleepMs": action[1]}


def ledger_calls(req):
    """Runs the request's calls through a ConformTask; returns each call's result."""
    import redis

    task = fc.ConformTask(redis.Redis.from_url(req["url"]), req["runId"], req["worker"])
    results = []
    for call in req["calls"]:
        try:
            if call["op"] == "dead":
                task.dead(call["input"], call["stage"], call["index"], call["attempt"], call["reason"])
                results.append({"ok": True})
            else:
                results.append({"output": task.run(call["input"], call["stage"], call["index"], call["attempt"], call["inputs"])})
        except fc.TaskFailed as err:
            results.append({"error": str(err), "retryable": err.retryable})
        except fc.InvalidInput as err:
            results.append({"invalid": str(err)})
    return results


def emit(req):
    out = {
        "vectors": [all_outputs(v["experiment"], v["batches"]) for v in req.get("vectors", [])],
        "actions": [action_json(fc.directed_action(c["directives"], c["stage"], c["index"], c["attempt"])) for c in req.get("actions", [])],
    }
    if "ledger" in req:
        out["ledger"] = ledger_calls(req["ledger"])
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "emit":
        print(json.dumps(emit(json.load(sys.stdin))))
    elif len(sys.argv) > 1 and sys.argv[1] == "exit":
        call = json.load(sys.stdin)
        task = fc.ConformTask.from_env()
        print(json.dumps({"output": task.run(call["input"], call["stage"], call["index"], call["attempt"], call["inputs"])}))
    else:
        unittest.main()
